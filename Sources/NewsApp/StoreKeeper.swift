import Dispatch
import NewsCore
import NewsStore

/// The store as a live run uses it (issue 13): every merged batch is committed before it
/// is shown or printed, what the store had already seen is told apart, the view's history
/// starts from it, and the reader's marks go back to it.
///
/// A headline's feed in the store is its source's name (the key is (source, id), as the
/// view's ``HeadlineKey``). Calls are synchronous and may take a while (a disk): make
/// them off the event loop. The marks are written in order on a queue of their own.
public final class StoreKeeper: Sendable {
    public let store: HeadlineStore
    /// Sources whose headlines pass by unstored: the simulated ones beside real feeds,
    /// when the store was not named (a demo never fills a person's archive).
    public let unstored: Set<String>
    private let marks = DispatchQueue(label: "newsdesk.store.marks")

    public init(store: HeadlineStore, unstored: Set<String> = []) {
        self.store = store
        self.unstored = unstored
    }

    /// Commits `batch` (one transaction per source in it) and returns what to show: the
    /// headlines the store had not seen, and those it had under another title (the source's
    /// updates) with the marks it holds for them. A headline seen before and unchanged is
    /// dropped (it is in the stored history already) unless `keepSeen` (`--all`): then it
    /// comes with its marks.
    public func commit(_ batch: [Arrival], keepSeen: Bool = false) throws(StoreError) -> [Arrival] {
        if batch.isEmpty { return batch }
        // Group by source, keeping each group's order (a batch is usually one or a few sources).
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for i in batch.indices {
            let source = batch[i].headline.source
            if unstored.contains(source) { continue }
            if groups[source] == nil { order.append(source) }
            groups[source, default: []].append(i)
        }
        var outcome = [InsertOutcome?](repeating: nil, count: batch.count)
        for source in order {
            let indices = groups[source]!
            let results = try store.store(indices.map { batch[$0].headline }, feed: source)
            for (i, result) in zip(indices, results) { outcome[i] = result }
        }
        var shown: [Arrival] = []
        shown.reserveCapacity(batch.count)
        for i in batch.indices {
            var arrival = batch[i]
            if let result = outcome[i], !result.isNew {
                guard keepSeen || arrival.isUpdate else { continue }
                arrival.marks = result.marks
            }
            shown.append(arrival)
        }
        return shown
    }

    /// The newest `limit` stored headlines, oldest first, as the view's first arrivals:
    /// each at the offset of when the store first saw it (before `start`: negative).
    public func history(limit: Int, start: Timestamp) throws(StoreError) -> [Arrival] {
        try store.recentArrivals(limit: limit, start: start)
    }

    /// Stored headlines as arrivals for the view, in their order, with their marks.
    public func arrivals<S: Sequence>(_ stored: S, start: Timestamp) -> [Arrival] where S.Element == StoredHeadline {
        stored.map { Arrival(offset: $0.firstSeen.milliseconds - start.milliseconds, headline: $0.headline, marks: $0.marks) }
    }

    /// The most results the view's search of the store (`F`) shows.
    public static let searchLimit = 10_000

    /// Keeps the read mark of `keys` (in the background, in order); `failed` hears of a
    /// write that did not happen.
    public func setRead(_ keys: [HeadlineKey], _ read: Bool, failed: @escaping @Sendable (StoreError) -> Void) {
        let store = self.store
        marks.async {
            do throws(StoreError) {
                try store.setRead(keys.map { ItemKey(feed: $0.source, id: $0.id) }, read)
            } catch { failed(error) }
        }
    }

    /// Keeps the star of `key` (in the background, in order).
    public func setStarred(_ key: HeadlineKey, _ starred: Bool, failed: @escaping @Sendable (StoreError) -> Void) {
        let store = self.store
        marks.async {
            do throws(StoreError) {
                try store.setStarred(ItemKey(feed: key.source, id: key.id), starred)
            } catch { failed(error) }
        }
    }

    /// Waits for the marks not yet written (before the run ends).
    public func flush() { marks.sync {} }
}
