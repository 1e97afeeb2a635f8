import DequeModule
import NewsCore

/// The app's one event channel: keys, resizes, signals and ticks are posted as they
/// happen; the event loop takes everything pending at once, applies it, and draws one
/// frame.
///
/// Overload policy: headline batches never make the feed wait (so a recording keeps
/// everything, however fast a source floods), and at most ``maxPendingHeadlines`` wait
/// for the screen. Beyond that the oldest batch not yet shown is dropped from the view and
/// counted; the count reaches the state as ``AppEvent/dropped(_:)`` and the header shows it.
/// Keys and other events are never dropped, so the view answers keys under any load.
///
/// A feed's events may carry the feed's generation: when a replay seeks, the old feed's
/// events still pending (or already taken with the seek's key) are stale, and the event
/// loop drops them by that number instead of applying them to the rebuilt history.
public final class EventQueue: Sendable {
    public static let maxPendingHeadlines = 65_536

    /// An event as posted: `generation` is the feed's that posted it (nil: not a feed's).
    public struct Posted: Sendable {
        public var event: AppEvent
        public var generation: Int?
    }

    private struct State {
        var events: Deque<Posted> = []
        var headlines = 0
        var dropped = 0
        var consumer: CheckedContinuation<Void, Never>?
    }

    private let state = Protected(State())

    public init() {}

    /// Posts an event (never waits); a feed's events carry its `generation`.
    public func post(_ event: AppEvent, generation: Int? = nil) {
        let consumer = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.events.append(Posted(event: event, generation: generation))
            defer { s.consumer = nil }
            return s.consumer
        }
        consumer?.resume()
    }

    /// Posts a headline batch; never waits. Past the bound, the oldest pending batches are
    /// dropped from the view (see the policy above).
    public func postBatch(_ event: AppEvent, generation: Int? = nil) {
        guard case .headlines(let batch, _) = event else { return post(event, generation: generation) }
        let consumer = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.events.append(Posted(event: event, generation: generation))
            s.headlines += batch.count
            while s.headlines > EventQueue.maxPendingHeadlines,
                  let oldest = s.events.firstIndex(where: { if case .headlines = $0.event { true } else { false } }),
                  case .headlines(let old, _) = s.events[oldest].event
            {
                s.events.remove(at: oldest)
                s.headlines -= old.count
                s.dropped += old.count
            }
            defer { s.consumer = nil }
            return s.consumer
        }
        consumer?.resume()
    }

    /// Everything pending (with a ``AppEvent/dropped(_:)`` at the end if anything was
    /// dropped since the last time), waiting for at least one event.
    public func take() async -> [AppEvent] {
        await takePosted().map(\.event)
    }

    /// As ``take()``, with each event's generation.
    public func takePosted() async -> [Posted] {
        while true {
            let events = state.withLock { s -> [Posted] in
                var events = Array(s.events)
                if s.dropped > 0 { events.append(Posted(event: .dropped(s.dropped), generation: nil)) }
                s.events.removeAll()
                s.headlines = 0
                s.dropped = 0
                return events
            }
            if !events.isEmpty { return events }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if !s.events.isEmpty { return true }
                    s.consumer = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }

    /// Kept for the event loop's shutdown (nothing waits on the queue any more).
    public func close() {}
}
