import CLibc
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
/// - `source:tech` (or `src:tech`) keeps headlines from sources whose name starts with
///   `tech`; `-source:sports` drops one source.
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

/// A search term: a word or a quoted phrase.
public struct QueryTerm: Sendable, Hashable {
    /// As typed (without quotes).
    public let text: String
    /// Case-folded UTF-8, as searched for.
    public let folded: [UInt8]
    public let isPhrase: Bool

    public init(_ text: String, isPhrase: Bool = false) {
        self.text = text
        self.folded = CaseFolding.fold(text)
        self.isPhrase = isPhrase
    }
}

/// A parsed query.
public indirect enum QueryNode: Sendable, Hashable {
    /// Matches everything (the empty query).
    case all
    case term(QueryTerm)
    /// Sources whose case-folded name starts with these case-folded bytes.
    case source(prefix: [UInt8], text: String)
    case not(QueryNode)
    case and([QueryNode])
    case or([QueryNode])

    /// The node written in the query language, so that parsing it gives a query that
    /// prints the same again (a fixed point): composite parts in parentheses, phrases in
    /// quotes, and a word that starts with `-` (literal only when glued to what precedes
    /// it) or is spelled like an operator (`AND`, `OR`, `NOT`) as a phrase. AND is printed
    /// as the space it means, NOT as `-`.
    public var canonicalText: String {
        func part(_ node: QueryNode) -> String {
            switch node {
            case .and, .or: return "(" + node.canonicalText + ")"
            default: return node.canonicalText
            }
        }
        switch self {
        case .all: return ""
        case .term(let t):
            let quoted = t.isPhrase || t.text.unicodeScalars.first == "-" || QueryParser.operatorWords.contains(t.text)
            return quoted ? "\"" + t.text + "\"" : t.text
        case .source(_, let text): return "source:" + text
        case .not(let x):
            if case .not = x { return "-(" + x.canonicalText + ")" }
            return "-" + part(x)
        case .and(let xs): return xs.map(part).joined(separator: " ")
        case .or(let xs): return xs.map(part).joined(separator: " | ")
        }
    }

    /// Terms that a matching title contains (those not under an exclusion).
    public var positiveTerms: [QueryTerm] {
        switch self {
        case .all, .source: return []
        case .term(let t): return [t]
        case .not: return []
        case .and(let xs), .or(let xs): return xs.flatMap(\.positiveTerms)
        }
    }

    /// Whether a title (case-folded bytes) from a source matches. `source` answers whether
    /// the headline's folded source name starts with the given folded prefix.
    public func matches(folded title: UnsafeBufferPointer<UInt8>, source: ([UInt8]) -> Bool) -> Bool {
        switch self {
        case .all:
            return true
        case .term(let term):
            return QueryNode.contains(title, term.folded)
        case .source(let prefix, _):
            return source(prefix)
        case .not(let x):
            return !x.matches(folded: title, source: source)
        case .and(let xs):
            for x in xs where !x.matches(folded: title, source: source) { return false }
            return true
        case .or(let xs):
            for x in xs where x.matches(folded: title, source: source) { return true }
            return false
        }
    }

    @inline(__always)
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        needle.withUnsafeBufferPointer { ByteSearch.contains(haystack, $0) }
    }

    /// A sound structural check that `self` matches only what `other` matches.
    func implies(_ other: QueryNode) -> Bool {
        if self == other { return true }
        switch (self, other) {
        case (_, .all):
            return true
        case (.term(let a), .term(let b)):
            // A title containing "goal" contains "goa".
            return QueryNode.containsSequence(a.folded, b.folded)
        case (.source(let a, _), .source(let b, _)):
            // Names starting with "tec" start with "te".
            return a.starts(with: b)
        case (.not(let a), .not(let b)):
            return b.implies(a)
        case (_, .and(let bs)):
            // Implies every part of other.
            return bs.allSatisfy { self.implies($0) }
        case (.and(let xs), _):
            // Some part alone is enough.
            return xs.contains { $0.implies(other) }
        case (.or(let xs), _):
            return xs.allSatisfy { $0.implies(other) }
        case (_, .or(let bs)):
            return bs.contains { self.implies($0) }
        default:
            return false
        }
    }

    static func containsSequence(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { contains($0, needle) }
    }
}

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

struct QueryParser {
    enum TokenKind: Equatable {
        case word(String)
        case phrase(String)
        case source(String)
        /// `-`, or `NOT` (told apart by length, as `|` and `OR` are).
        case minus
        case or
        case and
        case open
        case close
        case end
    }

    struct Token {
        var kind: TokenKind
        var start: Int
        var length: Int
    }

    /// The words that are operators when written in capitals.
    static let operatorWords: Set<String> = ["AND", "OR", "NOT"]

    var tokens: [Token] = []
    var position = 0
    var problems: [QueryError] = []
    var sourceTerms: [Query.SourceTerm] = []

    init(text: String) {
        tokens = Self.tokenize(Array(text.unicodeScalars), problems: &problems)
    }

    /// Splits on Unicode scalars, not on characters: a combining mark after a space or a
    /// quote would otherwise join it into one character and change the query's meaning.
    static func tokenize(_ chars: [Unicode.Scalar], problems: inout [QueryError]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }
        func isBreak(_ c: Unicode.Scalar) -> Bool { isSpace(c) || c == "(" || c == ")" || c == "|" || c == "\"" }
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(chars[range])) }
        while i < chars.count {
            let c = chars[i]
            if isSpace(c) { i += 1; continue }
            switch c {
            case "(":
                tokens.append(Token(kind: .open, start: i, length: 1)); i += 1
            case ")":
                tokens.append(Token(kind: .close, start: i, length: 1)); i += 1
            case "|":
                tokens.append(Token(kind: .or, start: i, length: 1)); i += 1
            case "-" where tokens.last.map({ $0.start + $0.length < i || $0.kind == .open || $0.kind == .or || $0.kind == .minus }) ?? true:
                // A minus that starts a token excludes what follows; inside a word it is literal.
                if i + 1 == chars.count || isSpace(chars[i + 1]) {
                    problems.append(QueryError(message: "'-' needs a term to exclude right after it", start: i, length: 1))
                } else {
                    tokens.append(Token(kind: .minus, start: i, length: 1))
                }
                i += 1
            case "\"":
                var j = i + 1
                while j < chars.count, chars[j] != "\"" { j += 1 }
                let phrase = text((i + 1)..<j)
                // An unclosed quote runs to the end: closed implicitly.
                tokens.append(Token(kind: .phrase(phrase), start: i, length: min(j + 1, chars.count) - i))
                i = j + 1
            default:
                var j = i
                while j < chars.count, !isBreak(chars[j]) { j += 1 }
                let word = text(i..<j)
                if word == "OR" {
                    tokens.append(Token(kind: .or, start: i, length: 2))
                } else if word == "AND" {
                    tokens.append(Token(kind: .and, start: i, length: 3))
                } else if word == "NOT" {
                    tokens.append(Token(kind: .minus, start: i, length: 3))
                } else if let colon = word.firstIndex(of: ":"),
                    ["source", "src"].contains(word[..<colon].lowercased())
                {
                    tokens.append(Token(kind: .source(String(word[word.index(after: colon)...])), start: i, length: j - i))
                } else {
                    tokens.append(Token(kind: .word(word), start: i, length: j - i))
                }
                i = j
            }
        }
        tokens.append(Token(kind: .end, start: chars.count, length: 0))
        return tokens
    }

    var current: Token { tokens[position] }

    mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    mutating func problem(_ message: String, _ token: Token) {
        problems.append(QueryError(message: message, start: token.start, length: max(1, token.length)))
    }

    mutating func parseQuery() -> QueryNode {
        var items: [QueryNode] = []
        while current.kind != .end {
            if current.kind == .close {
                problem("unmatched ')'", current)
                advance()
                continue
            }
            if skipAnd(after: items) { continue }
            if let node = parseOr() { items.append(node) }
        }
        return Self.and(items)
    }

    /// A sequence of ANDed items up to `)` or the end.
    mutating func parseGroup() -> QueryNode {
        var items: [QueryNode] = []
        while current.kind != .end && current.kind != .close {
            if skipAnd(after: items) { continue }
            if let node = parseOr() { items.append(node) }
        }
        return Self.and(items)
    }

    /// Steps over an explicit `AND` (items side by side are ANDed anyway), reporting one
    /// with nothing to match on one side. False if the current token is not `AND`.
    mutating func skipAnd(after items: [QueryNode]) -> Bool {
        guard current.kind == .and else { return false }
        let op = current
        advance()
        if items.isEmpty {
            problem("'AND' needs something to match on its left", op)
        } else if [.end, .close, .and, .or].contains(current.kind) {
            problem("'AND' needs something to match on its right", op)
        }
        return true
    }

    mutating func parseOr() -> QueryNode? {
        var alternatives: [QueryNode] = []
        if current.kind == .or {
            problem("'\(current.length == 2 ? "OR" : "|")' needs something to match on its left", current)
            advance()
        }
        if let first = parseUnary() { alternatives.append(first) }
        while current.kind == .or {
            let op = current
            advance()
            if [.end, .close, .or, .and].contains(current.kind) {
                problem("'\(op.length == 2 ? "OR" : "|")' needs something to match on its right", op)
                continue
            }
            if let next = parseUnary() { alternatives.append(next) }
        }
        switch alternatives.count {
        case 0: return nil
        case 1: return alternatives[0]
        default: return .or(alternatives)
        }
    }

    mutating func parseUnary() -> QueryNode? {
        if current.kind == .minus {
            let minus = current
            advance()
            if [.end, .close, .or, .and, .minus].contains(current.kind) {
                problem("'\(minus.length == 3 ? "NOT" : "-")' needs a term to exclude right after it", minus)
                return nil
            }
            guard let operand = parseUnary() else { return nil }
            if operand == .all { return nil }
            return .not(operand)
        }
        return parsePrimary()
    }

    mutating func parsePrimary() -> QueryNode? {
        let token = current
        switch token.kind {
        case .word(let w):
            advance()
            return .term(QueryTerm(w))
        case .phrase(let p):
            advance()
            if p.isEmpty {
                problem("empty quotes match nothing in particular", token)
                return nil
            }
            return .term(QueryTerm(p, isPhrase: true))
        case .source(let name):
            advance()
            if name.isEmpty {
                problem("'\(token.length > 4 ? "source:" : "src:")' needs a source name after it, as in source:tech", token)
                return nil
            }
            sourceTerms.append(Query.SourceTerm(text: name, start: token.start, length: token.length))
            return .source(prefix: CaseFolding.fold(name), text: name)
        case .open:
            advance()
            let inner = parseGroup()
            if current.kind == .close {
                advance()
            }  // else: an unclosed parenthesis is closed implicitly at the end
            if inner == .all {
                problem("empty parentheses", token)
                return nil
            }
            return inner
        case .or, .and, .minus, .close, .end:
            // Handled by the callers; never reached for a well-formed token stream.
            advance()
            return nil
        }
    }

    static func and(_ items: [QueryNode]) -> QueryNode {
        switch items.count {
        case 0: return .all
        case 1: return items[0]
        default: return .and(items)
        }
    }
}

/// Matches headlines one at a time against a query, reusing one buffer for the folded
/// title: for a stream of headlines that is not kept (`--plain`), where filling a history
/// just to filter would cost more than the filtering.
public struct HeadlineMatcher {
    public let query: Query
    private var scratch: [UInt8] = []
    private let usesSources: Bool
    private var lastSource = ""
    private var lastFoldedSource: [UInt8] = []

    public init(_ query: Query) {
        self.query = query
        scratch.reserveCapacity(256)
        func hasSource(_ node: QueryNode) -> Bool {
            switch node {
            case .source: return true
            case .all, .term: return false
            case .not(let x): return hasSource(x)
            case .and(let xs), .or(let xs): return xs.contains(where: hasSource)
            }
        }
        usesSources = hasSource(query.root)
    }

    /// Whether `headline` matches.
    public mutating func matches(_ headline: borrowing Headline) -> Bool {
        if query.matchesEverything { return true }
        scratch.removeAll(keepingCapacity: true)
        let appended: Void? = headline.title.utf8.withContiguousStorageIfAvailable { CaseFolding.appendFolded($0, to: &scratch) }
        if appended == nil { scratch = CaseFolding.fold(headline.title) }
        if usesSources && headline.source != lastSource {
            lastSource = headline.source
            lastFoldedSource = CaseFolding.fold(headline.source)
        }
        let source = lastFoldedSource
        return scratch.withUnsafeBufferPointer { query.root.matches(folded: $0, source: { source.starts(with: $0) }) }
    }
}
