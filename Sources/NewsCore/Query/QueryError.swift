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

    /// Two lines for a terminal: the query (terminal-safe), and carets under the problem.
    /// Printed as they are, so the columns are the terminal's: `wcwidth` code point by code
    /// point (``TextWidth/cellWidth(_:)``; a mark adds nothing), a control character taking
    /// its placeholder's.
    public func pointing(into query: String) -> String {
        // Columns of the code points before the problem, and of those it covers.
        var width = 0, markWidth = 0, index = 0
        let scalars = Array(query.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            let previous = i > 0 ? scalars[i - 1] : nil, next = i + 1 < scalars.count ? scalars[i + 1] : nil
            let columns = TerminalSafe.placeholder(for: scalar, after: previous, before: next).map { TextWidth.columns($0) }
                ?? TextWidth.cellWidth(scalar.value)
            if index < start { width += columns } else if index < start + length { markWidth += columns }
            index += 1
        }
        markWidth = max(1, markWidth)
        return "  \(TerminalSafe.sanitize(query))\n  \(String(repeating: " ", count: width))^\(String(repeating: "~", count: markWidth - 1))"
    }
}
