/// A problem in a query, with where it is (offsets in Unicode scalars of the query text).
public struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// The part the problem is about: `start..<start+length` in the query's Unicode scalars.
    public var start: Int
    public var length: Int

    public var description: String { message }

    public init(message: String, start: Int, length: Int) {
        self.message = message
        self.start = start
        self.length = length
    }

    /// Two lines for a terminal: the query, and carets under the problem.
    public func pointing(into query: String) -> String {
        // Columns of the characters before the problem, and of those it covers.
        var width = 0, markWidth = 0, scalars = 0
        for c in query {
            if scalars < start { width += TextWidth.columns(c) } else if scalars < start + length { markWidth += TextWidth.columns(c) }
            scalars += c.unicodeScalars.count
        }
        markWidth = max(1, markWidth)
        return "  \(TerminalSafe.sanitize(query))\n  \(String(repeating: " ", count: width))^\(String(repeating: "~", count: markWidth - 1))"
    }
}
