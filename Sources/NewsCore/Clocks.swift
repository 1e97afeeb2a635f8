
/// An instant on a feed clock: the time elapsed since the clock's origin.
public struct FeedInstant: InstantProtocol, Sendable, Hashable, Comparable {
    public var offset: Duration
    public init(offset: Duration) { self.offset = offset }
    public func advanced(by duration: Duration) -> FeedInstant { FeedInstant(offset: offset + duration) }
    public func duration(to other: FeedInstant) -> Duration { other.offset - offset }
    public static func < (a: FeedInstant, b: FeedInstant) -> Bool { a.offset < b.offset }
}

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

/// A clock that runs `speed` times faster (or slower) than `base`: `--speed 10` makes
/// a 3 s gap take 0.3 s of real time. Its instants are feed time since the clock was made.
public struct ScaledClock<Base: Clock>: Clock, Sendable where Base.Duration == Duration, Base: Sendable {
    public typealias Instant = FeedInstant
    public let base: Base
    public let speed: Double
    private let origin: Base.Instant

    public init(base: Base, speed: Double) {
        precondition(speed > 0 && speed.isFinite, "speed must be a positive number")
        self.base = base
        self.speed = speed
        self.origin = base.now
    }

    public var now: FeedInstant { FeedInstant(offset: origin.duration(to: base.now) * speed) }
    public var minimumResolution: Duration { base.minimumResolution * speed }

    public func sleep(until deadline: FeedInstant, tolerance: Duration? = nil) async throws {
        try await base.sleep(until: origin.advanced(by: deadline.offset / speed), tolerance: tolerance.map { $0 / speed })
    }
}

extension Duration {
    /// Whole milliseconds (rounded toward zero).
    public var milliseconds: Int64 {
        let (s, attos) = components
        return s * 1000 + attos / 1_000_000_000_000_000
    }
}
