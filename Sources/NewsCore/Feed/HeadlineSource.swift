/// How a source's arrivals are timed.
public enum SourceTiming: Sendable {
    /// The source knows when each headline arrives (its `Arrival.offset`) ahead of time:
    /// simulated sources and recordings. The merge orders these by offset and releases
    /// each when the clock reaches it, so the merged order is the same at every speed.
    case scheduled
    /// The source learns of headlines as they happen (stdin, a network feed). The merge
    /// stamps each arrival with the clock's time when it comes in and releases it at once.
    case live
}

/// A source of headlines: an asynchronous sequence of batches of ``Arrival``s.
///
/// A scheduled source yields its arrivals in order of `offset` (never decreasing) and
/// as fast as it is asked: it does not sleep. Pacing against the clock is the merge's
/// job, done once for all sources against one start instant (see ``withMergedFeed``).
/// Yielding batches rather than single headlines keeps the cost of each asynchronous
/// hand-off (a few microseconds) spread over many headlines.
public protocol HeadlineSource: AsyncSequence, Sendable where Element == [Arrival], Failure == any Error {
    /// The source's name, as in `Headline.source`.
    var name: String { get }
    var timing: SourceTiming { get }
}

extension HeadlineSource {
    public var timing: SourceTiming { .scheduled }
}

/// An error from a source that paces its own retries (an HTTP feed waits out its backoff
/// and `Retry-After`; a watched file waits for its next change): the merge reports it and
/// asks the source again at once, without a backoff of its own (``RestartPolicy``), and
/// the error's text says what the source does next.
public protocol SelfPacedSourceError: Error {}
