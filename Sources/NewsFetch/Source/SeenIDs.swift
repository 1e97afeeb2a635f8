/// The item ids a feed has shown, so that an item fetched again is not shown again:
/// bounded, forgetting the oldest first, so a feed polled for months does not grow
/// memory without end. The bound grows with the feed: at least `minimum`, and four times
/// the items of the largest document read, so an item still in the feed is never forgotten.
struct SeenIDs: Sendable {
    private var ids: Set<String> = []
    private var order: [String] = []
    private var head = 0
    let minimum: Int
    private(set) var capacity: Int

    init(minimum: Int = 2048) {
        self.minimum = max(1, minimum)
        self.capacity = self.minimum
    }

    var count: Int { ids.count }

    func contains(_ id: String) -> Bool { ids.contains(id) }

    /// Makes room for a document of `items` items.
    mutating func reserve(forDocumentOf items: Int) {
        capacity = max(capacity, minimum, items * 4)
    }

    /// Adds `id`; true when it was new.
    mutating func insert(_ id: String) -> Bool {
        guard ids.insert(id).inserted else { return false }
        order.append(id)
        while ids.count > capacity {
            ids.remove(order[head])
            head += 1
        }
        if head > 4096 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        return true
    }
}
