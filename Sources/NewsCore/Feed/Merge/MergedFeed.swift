extension MergedFeed: Sendable where C: Sendable, C.Instant: Sendable {}

/// The consumer's side of the merge: an asynchronous sequence of ``FeedEvent``s.
/// Iterate it once, inside the body of ``withMergedFeed(sources:clock:start:options:isolation:body:)``.
public struct MergedFeed<C: Clock>: AsyncSequence where C.Duration == Duration {
    public typealias Element = FeedEvent
    public typealias Failure = any Error

    let storage: MergeStorage
    public let clock: C
    /// The clock's instant at offset 0.
    public let start: C.Instant
    let names: [String]
    let timings: [SourceTiming]
    let options: MergeOptions

    /// Milliseconds of feed time since the start, by the clock.
    public var elapsed: Int64 { start.duration(to: clock.now).milliseconds }

    /// Hands back a batch the consumer has finished with (optional). Its headlines are
    /// then freed by a source task, on the thread that allocated them, instead of by the
    /// consumer: at `--speed max` that takes the cost of freeing off the busiest thread
    /// and lets the allocator reuse the memory without crossing threads.
    public func recycle(_ batch: [Arrival]) {
        storage.recycle(batch)
    }

    public func makeAsyncIterator() -> Iterator { Iterator(feed: self) }
}
