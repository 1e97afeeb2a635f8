/// A clock that waits to start until the merged feed has read its first headlines, so
/// that opening files and reading ahead never make the first events late.
public protocol ReadyAwareClock: AnyObject, Sendable {
    /// Called by the merge once every scheduled source has its first headlines in hand.
    func feedReady()
}
