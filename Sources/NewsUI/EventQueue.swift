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
public final class EventQueue: Sendable {
    public static let maxPendingHeadlines = 65_536

    private struct State {
        var events: Deque<AppEvent> = []
        var headlines = 0
        var dropped = 0
        var consumer: CheckedContinuation<Void, Never>?
    }

    private let state = Protected(State())

    public init() {}

    /// Posts an event (never waits).
    public func post(_ event: AppEvent) {
        let consumer = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.events.append(event)
            defer { s.consumer = nil }
            return s.consumer
        }
        consumer?.resume()
    }

    /// Posts a headline batch; never waits. Past the bound, the oldest pending batches are
    /// dropped from the view (see the policy above).
    public func postBatch(_ event: AppEvent) {
        guard case .headlines(let batch, _) = event else { return post(event) }
        let consumer = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.events.append(event)
            s.headlines += batch.count
            while s.headlines > EventQueue.maxPendingHeadlines,
                  let oldest = s.events.firstIndex(where: { if case .headlines = $0 { true } else { false } }),
                  case .headlines(let old, _) = s.events[oldest]
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
        while true {
            let events = state.withLock { s -> [AppEvent] in
                var events = Array(s.events)
                if s.dropped > 0 { events.append(.dropped(s.dropped)) }
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
