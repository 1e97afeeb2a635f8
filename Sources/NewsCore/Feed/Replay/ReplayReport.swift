/// What the reader met on the way: skipped lines and an incomplete end.
public struct ReplayReport: Sendable, Equatable {
    public var malformed: Int
    public var firstProblems: [LineProblem]
    public var truncatedLastLine: LineProblem?

    init(_ reader: RecordingReader) {
        malformed = reader.malformed
        firstProblems = reader.problems
        truncatedLastLine = reader.truncatedLastLine
    }
}
