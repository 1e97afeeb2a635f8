/// The clock of a replay: recording time, running `speed` times faster than real time
/// from one anchor, and controllable while it runs. Every control (pause, resume, a new
/// speed, a seek) re-anchors it: time never jumps backwards or skips by accident, and
/// sleepers re-plan against the new anchor, so no drift accumulates (each event is due at
/// `anchor + (offset - anchorOffset) / speed`, never at the end of summed sleeps).
public final class ReplayClock: Clock, JumpingClock, ReadyAwareClock, Sendable {
    public typealias Instant = FeedInstant
    public typealias Duration = Swift.Duration

    private struct State {
        /// Base-clock time (since the base's origin) and recording time of the anchor.
        var anchorReal: Swift.Duration
        var anchorFeed: Swift.Duration
        /// `.infinity` for `--speed max`.
        var speed: Double
        var paused = false
        /// Paused only until the feed is ready (see ``ReadyAwareClock``).
        var held = false
        var sleepers: [UInt64: (deadline: Swift.Duration, wake: CheckedContinuation<Void, Never>)] = [:]
        var nextID: UInt64 = 0
    }

    /// The base clock, type-erased: its time since this clock was made, and sleeping on it.
    private let baseNow: @Sendable () -> Swift.Duration
    private let baseSleep: @Sendable (Swift.Duration) async throws -> Void
    private let state: Protected<State>

    /// A replay clock on real time.
    public convenience init(start: FeedInstant = FeedInstant(offset: .zero), speed: Double, paused: Bool = false,
                            holdUntilReady: Bool = false) {
        self.init(base: ContinuousClock(), start: start, speed: speed, paused: paused, holdUntilReady: holdUntilReady)
    }

    /// A replay clock on `base` (a test clock in tests).
    /// With `holdUntilReady`, time stands still until the merge reports the feed ready.
    public init<Base: Clock & Sendable>(base: Base, start: FeedInstant = FeedInstant(offset: .zero), speed: Double, paused: Bool = false,
                                        holdUntilReady: Bool = false)
    where Base.Duration == Swift.Duration, Base.Instant: Sendable {
        let origin = base.now
        baseNow = { origin.duration(to: base.now) }
        baseSleep = { try await base.sleep(until: origin.advanced(by: $0), tolerance: nil) }
        var initial = State(anchorReal: .zero, anchorFeed: start.offset, speed: speed, paused: paused || holdUntilReady)
        initial.held = holdUntilReady && !paused
        state = Protected(initial)
    }

    public func feedReady() {
        guard state.withLock({ $0.held }) else { return }
        control { s, _ in
            s.held = false
            s.paused = false
        }
    }

    public var minimumResolution: Swift.Duration { .milliseconds(1) }

    public var now: FeedInstant {
        let real = baseNow()
        return state.withLock { FeedInstant(offset: Self.now($0, real)) }
    }

    private static func now(_ s: State, _ real: Swift.Duration) -> Swift.Duration {
        if s.paused || s.speed.isInfinite { return s.anchorFeed }
        return s.anchorFeed + (real - s.anchorReal) * s.speed
    }

    public var speed: Double { state.withLock { $0.speed } }
    public var isPaused: Bool { state.withLock { $0.paused } }

    public var jumps: Bool { state.withLock { $0.speed.isInfinite && !$0.paused } }

    /// The earliest time someone is waiting for (the next event's), if anyone is.
    public var pendingDeadline: FeedInstant? {
        state.withLock { $0.sleepers.values.map(\.deadline).min().map { FeedInstant(offset: $0) } }
    }

    public func jump(to deadline: FeedInstant) {
        let real = baseNow()
        state.withLock { s in
            if deadline.offset > s.anchorFeed { s.anchorFeed = deadline.offset }
            s.anchorReal = real
        }
    }

    // MARK: controls

    /// Changes something and wakes every sleeper to re-plan.
    private func control(_ change: (inout State, Swift.Duration) -> Void) {
        let real = baseNow()
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.anchorFeed = Self.now(s, real)
            s.anchorReal = real
            change(&s, real)
            defer { s.sleepers.removeAll() }
            return s.sleepers.values.map(\.wake)
        }
        woken.forEach { $0.resume() }
    }

    public func pause() { control { s, _ in s.paused = true; s.held = false } }
    public func resume() { control { s, _ in s.paused = false; s.held = false } }
    public func setSpeed(_ speed: Double) { control { s, _ in s.speed = speed } }

    /// Sets the time to `instant` (seeking), keeping pause and speed.
    public func set(to instant: FeedInstant) { control { s, _ in s.anchorFeed = instant.offset } }

    /// While paused: lets time reach the earliest pending deadline (one event), and stays paused.
    public func step() {
        control { s, _ in
            guard s.paused, let next = s.sleepers.values.map(\.deadline).min() else { return }
            if next > s.anchorFeed { s.anchorFeed = next }
        }
    }

    // MARK: sleeping

    public func sleep(until deadline: FeedInstant, tolerance: Swift.Duration? = nil) async throws {
        while true {
            try Task.checkCancellation()
            enum Plan { case done, wait(Swift.Duration?) }
            let real = baseNow()
            let plan = state.withLock { s -> Plan in
                let now = Self.now(s, real)
                if now >= deadline.offset { return .done }
                if s.paused { return .wait(nil) }
                if s.speed.isInfinite {
                    s.anchorFeed = deadline.offset
                    return .done
                }
                return .wait(s.anchorReal + (deadline.offset - s.anchorFeed) / s.speed)
            }
            guard case .wait(let realDeadline) = plan else { return }
            await waitForChange(until: realDeadline, deadline: deadline.offset)
        }
    }

    /// Suspends until a control wakes sleepers, `realDeadline` passes, or the task is cancelled.
    private func waitForChange(until realDeadline: Swift.Duration?, deadline: Swift.Duration) async {
        let id = state.withLock { s -> UInt64 in
            s.nextID += 1
            return s.nextID
        }
        let sleepOnBase = baseSleep
        let timer: Task<Void, Never>? = realDeadline.map { when in
            Task { [weak self] in
                try? await sleepOnBase(when)
                if !Task.isCancelled { self?.wake(id) }
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if Task.isCancelled { return true }
                    s.sleepers[id] = (deadline, c)
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            self.wake(id)
        }
        timer?.cancel()
    }

    private func wake(_ id: UInt64) {
        let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
        sleeper?.wake.resume()
    }
}
