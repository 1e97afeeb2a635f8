/// What an import did.
public struct ImportSummary: Sendable {
    public var imported = 0
    public var skipped = 0
    /// Rows left out by `--only`.
    public var filteredOut = 0
    public var problems: [LineProblem] = []
    public var started: Timestamp?
    public var duration: Int64 = 0
}
