/// What comes out of the merged feed.
public enum FeedEvent: Sendable {
    /// Headlines in arrival order (a batch: one per hand-off would cost microseconds each).
    case headlines([Arrival])
    /// A source failed; the others keep flowing. Comes after the last headline it produced.
    case sourceFailed(source: String, error: any Error)
    /// A source ended normally after its last headline.
    case sourceFinished(source: String)
    /// A source failed and will be asked again after `delay` (``MergeOptions/restart``);
    /// the others keep flowing. Comes after the last headline it produced.
    case sourceRestarting(source: String, error: any Error, delay: Duration)
}
