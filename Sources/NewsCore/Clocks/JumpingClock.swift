/// A clock whose time can jump straight to a deadline instead of waiting for it (the
/// merge then hands out whole batches without sleeping). ``VirtualClock`` always jumps;
/// a ``ReplayClock`` jumps while it runs at `--speed max`.
public protocol JumpingClock: AnyObject, Sendable {
    /// Whether sleeping right now would jump (true) or wait (false).
    var jumps: Bool { get }
    /// Moves time forward to `deadline`.
    func jump(to deadline: FeedInstant)
}
