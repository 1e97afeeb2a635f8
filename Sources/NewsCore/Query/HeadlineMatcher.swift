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
