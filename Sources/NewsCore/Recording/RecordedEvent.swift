/// One recorded headline: where it is in the file and when it arrived.
public struct RecordedEvent: Sendable, Equatable {
    /// 1-based line number in the file.
    public var line: Int
    public var arrival: Arrival
}
