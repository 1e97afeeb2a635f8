import NewsCore

/// The items a feed has shown (an HTTP feed, a watched feed file), by id, with a fingerprint of what was shown (its title),
/// so that an item fetched again is not shown again unless its title changed: then it is
/// an update. Bounded, forgetting the oldest first, so a feed polled for months does not
/// grow memory without end. The bound grows with the feed: at least `minimum`, and four
/// times the items of the largest document read, so an item still in the feed is never
/// forgotten.
public struct SeenIDs: Sendable {
    /// What ``insert(_:title:)`` found.
    public enum Outcome: Equatable, Sendable {
        /// Never shown (or forgotten).
        case new
        /// Shown with this title.
        case same
        /// Shown with another title: an update.
        case changed
    }

    private var fingerprints: [String: UInt64] = [:]
    private var order: [String] = []
    private var head = 0
    public let minimum: Int
    public private(set) var capacity: Int

    public init(minimum: Int = 2048) {
        self.minimum = max(1, minimum)
        self.capacity = self.minimum
    }

    public var count: Int { fingerprints.count }

    public func contains(_ id: String) -> Bool { fingerprints[id] != nil }

    /// Makes room for a document of `items` items.
    public mutating func reserve(forDocumentOf items: Int) {
        capacity = max(capacity, minimum, items * 4)
    }

    /// Notes that `id` is shown with `title`. A changed item keeps its place in the
    /// forgetting order (its first showing).
    public mutating func insert(_ id: String, title: String) -> Outcome {
        let fingerprint = StableHash.fnv1a(title)
        if let old = fingerprints.updateValue(fingerprint, forKey: id) {
            return old == fingerprint ? .same : .changed
        }
        order.append(id)
        while fingerprints.count > capacity {
            fingerprints[order[head]] = nil
            head += 1
        }
        if head > 4096 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        return .new
    }
}
