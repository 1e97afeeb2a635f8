/// A problem on one line of a file: reported with the file, the line and the reason.
public struct LineProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var reason: String
    public var description: String { "\(path):\(line): \(reason)" }
}
