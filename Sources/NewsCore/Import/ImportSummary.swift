/// What an import did.
public struct ImportSummary: Sendable {
    public var imported = 0
    public var skipped = 0
    /// Rows left out by `--only`.
    public var filteredOut = 0
    /// Problems that skipped nothing (a feed's: a field dropped, a date that could not be
    /// read, where the feed broke), in `problems` beside the skipped rows'.
    public var noted = 0
    public var problems: [LineProblem] = []
    public var started: Timestamp?
    public var duration: Int64 = 0
}
