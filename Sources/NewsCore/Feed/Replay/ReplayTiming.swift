/// How a replay maps recorded offsets to when events are played: gaps never negative
/// (offsets that go backwards keep file order and wait zero), capped by `--idle-limit`.
public struct ReplayTiming: Sendable, Equatable {
    public var idleLimit: Int64?
    /// The largest recorded offset so far, and the played offset of the last event.
    public var lastRecorded: Int64 = 0
    public var lastPlayed: Int64 = 0

    public init(idleLimit: Int64? = nil) { self.idleLimit = idleLimit }

    /// The played offset of the next event, recorded at `recorded`.
    public mutating func play(_ recorded: Int64) -> Int64 {
        var gap = max(0, recorded - lastRecorded)
        if let idleLimit { gap = min(gap, idleLimit) }
        lastRecorded = max(lastRecorded, recorded)
        lastPlayed += gap
        return lastPlayed
    }
}
