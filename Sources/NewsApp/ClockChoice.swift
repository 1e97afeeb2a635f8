import NewsCore

/// Which clock runs a feed.
public enum ClockChoice: Sendable {
    /// `--speed max`: the same timeline, no waiting.
    case virtual
    /// `--speed X`.
    case scaled(Double)
    /// A replay in the interactive view: controllable.
    case replay(ReplayClock)

    /// Whether the feed waits for real time (any speed but `max`).
    public var paced: Bool {
        if case .virtual = self { return false }
        return true
    }
}
