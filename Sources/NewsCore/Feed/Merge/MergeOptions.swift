/// Options for ``withMergedFeed(sources:clock:start:options:isolation:body:)``.
public struct MergeOptions: Sendable {
    /// Batches each source may produce ahead of the consumer before it waits (then it
    /// waits until half of them are taken). 8 batches of 256 cost about 1 MB in all.
    public var lookahead: Int = 8
    /// Most headlines handed over in one ``FeedEvent/headlines(_:)`` batch.
    public var maxBatch: Int = 256
    /// The feed ends at this offset (milliseconds of feed time), if set: `--duration`.
    public var endOffset: Int64? = nil
    /// Retry failed sources (nil: a failure ends the source).
    public var restart: RestartPolicy? = nil
    /// How long a stalled source is waited for on a jumping clock.
    public var stall: StallPolicy = StallPolicy()
    /// The thread the sources run on, whose idleness tells a stalled source from a busy
    /// thread. The app has one merge and uses the shared one; a test that times a stall
    /// gives its merge a thread of its own, so that other tests' feeds cannot keep it busy.
    public var executor: ThreadExecutor = .sources

    public init(lookahead: Int = 8, maxBatch: Int = 256, endOffset: Int64? = nil, restart: RestartPolicy? = nil,
                stall: StallPolicy = StallPolicy(), executor: ThreadExecutor = .sources) {
        self.lookahead = max(1, lookahead)
        self.maxBatch = max(1, maxBatch)
        self.endOffset = endOffset
        self.restart = restart
        self.stall = stall
        self.executor = executor
    }
}
