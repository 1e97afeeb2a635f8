/// The query language shared by `--filter` and the interactive filter.
///
/// - `word` matches titles containing it, case-insensitively (Unicode-aware: `ZÜRICH`
///   matches `Zürich`). Terms separated by spaces must all match (AND).
/// - `"a quoted phrase"` matches the phrase as written, spaces included.
/// - `-term` or `NOT term` excludes titles that contain `term` (also `-"phrase"`, `-(...)`,
///   `-source:x`).
/// - `a | b` or `a OR b` matches either. OR binds tighter than AND, as in web search:
///   `goal | score final` means `(goal OR score) AND final`. `a AND b` is `a b` written out.
/// - `AND`, `OR` and `NOT` are operators only in capitals, as in web search: `and`, `or`
///   and `not` are words, and so is a quoted `"AND"`.
/// - `( ... )` groups.
/// - `source:bbc` (or `src:bbc`) keeps headlines from sources whose name starts with
///   `bbc`; `-source:bbc` drops them.
///
/// Parsing is lenient while typing: an unclosed quote or parenthesis is closed
/// implicitly and the empty query matches everything. What cannot mean anything (`source:`
/// with nothing after it, a `|` or `AND` with nothing on one side, a lone `-` or `NOT`, an
/// unmatched `)`) is reported by ``Query/parse(_:)`` as a ``QueryError`` and skipped by
/// ``Query/init(lenient:sources:)``.
public struct Query: Sendable, Hashable, CustomStringConvertible {
    /// The text the query was parsed from.
    public let text: String
    public let root: QueryNode
    /// Problems that ``init(lenient:sources:)`` skipped (empty for a query that parsed cleanly).
    public let problems: [QueryError]
    /// The `source:` terms, excluded ones too, in the order written.
    public let sourceTerms: [SourceTerm]

    /// The query that matches everything.
    public static let all = Query(lenient: "")

    /// Parses strictly: the first problem is thrown.
    public static func parse(_ text: String) throws(QueryError) -> Query {
        let query = Query(lenient: text)
        if let first = query.problems.first { throw first }
        return query
    }

    /// Parses leniently, as the interactive filter does on every keystroke. With the names
    /// of the `sources` known ahead, a `source:` term that names none of them is a problem
    /// too (see ``unknownSources(among:)``); it is kept, and matches nothing.
    public init(lenient text: String, sources: [String] = []) {
        var parser = QueryParser(text: text)
        self.text = text
        self.root = parser.parseQuery()
        self.sourceTerms = parser.sourceTerms
        self.problems = parser.problems + Self.unknown(parser.sourceTerms, among: sources)
    }

    /// A query built in code (for example the filter plus the sources toggled off).
    public init(root: QueryNode, text: String) {
        self.text = text
        self.root = root
        self.problems = []
        self.sourceTerms = []
    }

    /// A `source:` term as written, and where it is in the text (offsets in Unicode scalars).
    public struct SourceTerm: Sendable, Hashable {
        /// The name or prefix after `source:`.
        public var text: String
        public var start: Int
        public var length: Int
    }

    /// A problem ("no source 'foo'") for each `source:` term that is not the start of any of
    /// `sources`' names (case-insensitive, as matching is). Empty when `sources` is empty:
    /// where the sources are not known ahead, anything may come.
    public func unknownSources(among sources: [String]) -> [QueryError] {
        Self.unknown(sourceTerms, among: sources)
    }

    private static func unknown(_ terms: [SourceTerm], among sources: [String]) -> [QueryError] {
        guard !sources.isEmpty else { return [] }
        let names = sources.map(CaseFolding.fold)
        return terms.filter { term in
            let prefix = CaseFolding.fold(term.text)
            return !names.contains { $0.starts(with: prefix) }
        }.map { QueryError(message: "no source '\($0.text)'", start: $0.start, length: $0.length) }
    }

    /// True if the query matches every headline.
    public var matchesEverything: Bool { root == .all }

    public var description: String { text }

    /// Whether `headline` matches.
    public func matches(_ headline: Headline) -> Bool {
        var title = headline.title
        let folded = title.withUTF8 { buffer -> [UInt8] in
            var out: [UInt8] = []
            out.reserveCapacity(buffer.count)
            CaseFolding.appendFolded(buffer, to: &out)
            return out
        }
        let source = CaseFolding.fold(headline.source)
        return folded.withUnsafeBufferPointer { root.matches(folded: $0, source: { prefix in source.starts(with: prefix) }) }
    }

    /// Where the query's terms matched in `title`: for each term that is not excluded,
    /// the ranges of `title.utf8` offsets of its occurrences (possibly none, for a term in
    /// an OR that did not match).
    public func termMatches(in title: String) -> [(term: String, ranges: [Range<Int>])] {
        let folded = CaseFolding.fold(title)
        return root.positiveTerms.map { term in
            (term.text, folded.withUnsafeBufferPointer { Self.occurrences(of: term.folded, in: $0) })
        }
    }

    /// The byte ranges of `title.utf8` to highlight: every occurrence of every term that is
    /// not excluded, sorted and merged.
    public func highlights(in title: String) -> [Range<Int>] {
        let all = termMatches(in: title).flatMap(\.ranges).sorted { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in all {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    static func occurrences(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard !needle.isEmpty, let base = haystack.baseAddress else { return [] }
        var ranges: [Range<Int>] = []
        var from = 0
        needle.withUnsafeBufferPointer { pin in
            while let start = ByteSearch.find(pin, in: UnsafeRawPointer(base), from: from, to: haystack.count) {
                ranges.append(start..<(start + pin.count))
                from = start + pin.count
            }
        }
        return ranges
    }

    /// True if every headline this query matches is also matched by `other`, judged from
    /// the two queries' structure (a sound but incomplete check). When the user types one
    /// more character, the new query implies the old one, and the old result can be
    /// narrowed instead of rescanning the history.
    public func implies(_ other: Query) -> Bool {
        root.implies(other.root)
    }
}
