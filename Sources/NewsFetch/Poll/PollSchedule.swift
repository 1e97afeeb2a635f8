import NewsCore

/// One feed's polling schedule, as pure logic: given what each poll came to and the time,
/// when the next poll is due. No clock of its own and no sleeping: the source asks it and
/// sleeps with its injected clock; tests drive it with plain timestamps.
///
/// Rules:
/// - The first poll is due at once (every feed is fetched at start, under the limiter).
/// - After a fetch (200) or a 304: the policy's interval, or the feed's hints when they
///   ask for longer (never shorter), plus up to `jitter` of it at random (seeded).
/// - After a failure: the backoff, 1 s, 2 s, 4 s... (``RestartPolicy/next(after:)``) up to
///   the larger of its maximum and the interval; a success starts it over.
/// - After a 429 or 503 with `Retry-After`: not before that instant, and not before the
///   backoff either (it counts as a failure).
/// - No wait is longer than the policy's `longestWait`.
public struct PollSchedule: Sendable {
    public let policy: PollPolicy
    /// When the next poll may start.
    public private(set) var due: Timestamp
    /// Failures since the last success.
    public private(set) var failures = 0
    /// The hints of the last feed read (a 304 updates only `maxAge`).
    public private(set) var hints = FeedHints()
    private var nextBackoff: Duration
    private var random: SeededRandom

    public init(policy: PollPolicy, start: Timestamp, seed: UInt64) {
        self.policy = policy
        self.due = start
        self.nextBackoff = policy.backoff.initial
        self.random = SeededRandom(seed: seed)
    }

    /// No poll before `time` (a `Retry-After` from an earlier run), but never later than
    /// the policy's longest wait from `now`.
    public mutating func notBefore(_ time: Timestamp, now: Timestamp) {
        let latest = now.adding(milliseconds: policy.longestWait.wholeMilliseconds)
        let limited = time > latest ? latest : time
        if limited > due { due = limited }
    }

    /// What a poll came to.
    public enum Outcome: Sendable, Equatable {
        case fetched(FeedHints)
        case notModified(maxAge: Duration?)
        case rateLimited(until: Timestamp)
        case failed
    }

    /// Records a poll that ended at `now`; returns the wait until the next one (also in `due`).
    @discardableResult
    public mutating func record(_ outcome: Outcome, at now: Timestamp) -> Duration {
        var wait: Duration
        switch outcome {
        case .fetched(let newHints):
            hints = newHints
            wait = healthyWait()
        case .notModified(let maxAge):
            hints.maxAge = maxAge
            wait = healthyWait()
        case .rateLimited(let until):
            let asked = Duration.milliseconds(max(0, until.milliseconds - now.milliseconds))
            wait = max(asked, backoffWait())
        case .failed:
            wait = backoffWait()
        }
        wait = min(wait, policy.longestWait)
        due = now.adding(milliseconds: wait.wholeMilliseconds)
        return wait
    }

    /// The wait from `now` until the next poll is due (zero when it is due).
    public func wait(at now: Timestamp) -> Duration { .milliseconds(max(0, due.milliseconds - now.milliseconds)) }

    private mutating func healthyWait() -> Duration {
        failures = 0
        nextBackoff = policy.backoff.initial
        let base = max(policy.interval, min(hints.floor ?? .zero, policy.longestWait))
        let spread = Int(Double(base.wholeMilliseconds) * policy.jitter)
        let extra = spread > 0 ? random.uniform(0...spread) : 0
        return base + .milliseconds(extra)
    }

    private mutating func backoffWait() -> Duration {
        failures += 1
        let wait = nextBackoff
        var grown = policy.backoff
        grown.maximum = max(policy.backoff.maximum, policy.interval)
        nextBackoff = grown.next(after: wait)
        return wait
    }
}
