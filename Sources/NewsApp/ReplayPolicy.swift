/// The replay controls' rules, apart from the clock they act on so that they can be
/// tested on their own: speeds double and halve between 1/64 and 4096 (past 4096 is max,
/// and slower from max is 64), and a seek stays inside the recording.
enum ReplayPolicy {
    static let fastest = 4096.0
    static let slowest = 1.0 / 64
    /// Where `slower` lands from max: a speed still fast enough to feel like it.
    static let slowerFromMax = 64.0

    /// `+`: twice as fast; past the fastest factor, max; max stays max.
    static func faster(_ speed: Double) -> Double {
        guard speed.isFinite else { return speed }
        return speed * 2 > fastest ? .infinity : speed * 2
    }

    /// `-`: half as fast, not below the slowest factor.
    static func slower(_ speed: Double) -> Double {
        speed.isInfinite ? slowerFromMax : max(slowest, speed / 2)
    }

    /// `[` / `]`: `delta` milliseconds from `position`, clamped to the start and (once
    /// the index knows it) the recording's duration.
    static func seekTarget(from position: Int64, by delta: Int64, duration: Int64?) -> Int64 {
        let target = max(0, position + delta)
        guard let duration else { return target }
        return min(target, duration)
    }
}
