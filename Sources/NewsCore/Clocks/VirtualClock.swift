/// A discrete-event clock for `--speed max`: time stands still until someone sleeps,
/// then jumps straight to the deadline. Sleeping never suspends.
///
/// Used by the merge (the only sleeper on a feed clock), it runs the very same
/// timeline as speed 1, with no waiting at all.
public final class VirtualClock: Clock, Sendable {
    public typealias Instant = FeedInstant
    private let current: Protected<FeedInstant>

    public init(now: FeedInstant = FeedInstant(offset: .zero)) {
        current = Protected(now)
    }

    public var now: FeedInstant { current.withLock { $0 } }
    public var minimumResolution: Duration { .zero }

    /// Moves time forward to `deadline` (never backward).
    public func advance(to deadline: FeedInstant) {
        current.withLock { if deadline > $0 { $0 = deadline } }
    }

    public func sleep(until deadline: FeedInstant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        advance(to: deadline)
    }
}

extension VirtualClock: JumpingClock {
    public var jumps: Bool { true }
    public func jump(to deadline: FeedInstant) { advance(to: deadline) }
}
