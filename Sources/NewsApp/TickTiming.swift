/// When the view's clock ticks: on whole seconds of feed time, so that the ages shown
/// ("4s" to "5s") change when they should, never later than a real second.
enum TickTiming {
    /// The first whole second (in milliseconds) after `milliseconds`.
    static func nextWholeSecond(after milliseconds: Int64) -> Int64 {
        (milliseconds / 1000 + 1) * 1000
    }

    /// How long a replay waits for its next tick at `position` (milliseconds of
    /// recording): to the next whole second of recording time at `speed`, at most a real
    /// second (paused, at max or at a standstill: a real second, to keep the line fresh).
    static func replayWait(position: Int64, speed: Double, paused: Bool) -> Duration {
        guard !paused && speed.isFinite && speed > 0 else { return .seconds(1) }
        let toNext = Double(1000 - position % 1000) / speed
        return .milliseconds(Int64(max(1, min(1000, toNext.rounded(.up)))))
    }
}
