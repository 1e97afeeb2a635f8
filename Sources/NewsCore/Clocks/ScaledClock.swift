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
