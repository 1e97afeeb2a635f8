import NewsCore

/// A merged feed being read, whatever its clock: the next event, the feed's time, and
/// handing spent batches back.
public protocol FeedCursor: AnyObject {
    func next() async throws -> FeedEvent?
    func recycle(_ batch: [Arrival])
    /// Hands batches back from another task (see `MergedFeed.recycle`).
    var recycler: @Sendable ([Arrival]) -> Void { get }
    /// Milliseconds of feed time since offset 0.
    var elapsed: Int64 { get }
}

/// The cursor on a merge over one concrete clock type.
final class MergedCursor<C: Clock>: FeedCursor where C.Duration == Duration, C: Sendable, C.Instant: Sendable {
    private let feed: MergedFeed<C>
    private var iterator: MergedFeed<C>.Iterator
    init(_ feed: MergedFeed<C>) {
        self.feed = feed
        iterator = feed.makeAsyncIterator()
    }
    func next() async throws -> FeedEvent? { try await iterator.next() }
    func recycle(_ batch: [Arrival]) { feed.recycle(batch) }
    var recycler: @Sendable ([Arrival]) -> Void {
        let feed = self.feed
        return { feed.recycle($0) }
    }
    var elapsed: Int64 { feed.elapsed }
}

/// Runs `sources` merged on the chosen clock and hands `body` a cursor on the feed.
public func withFeed<R>(_ sources: [any HeadlineSource], clock: ClockChoice, options: MergeOptions,
                        _ body: (any FeedCursor) async throws -> R) async throws -> R {
    switch clock {
    case .virtual:
        return try await withMergedFeed(sources: sources, clock: VirtualClock(), options: options) { try await body(MergedCursor($0)) }
    case .scaled(let factor):
        return try await withMergedFeed(sources: sources, clock: ScaledClock(base: ContinuousClock(), speed: factor), options: options) {
            try await body(MergedCursor($0))
        }
    case .replay(let replayClock):
        return try await withMergedFeed(sources: sources, clock: replayClock, start: FeedInstant(offset: .zero), options: options) {
            try await body(MergedCursor($0))
        }
    }
}
