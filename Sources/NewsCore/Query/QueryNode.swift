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
