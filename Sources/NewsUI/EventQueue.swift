import DequeModule
import NewsCore

/// The app's one event channel: keys, resizes, signals and ticks are posted as they
/// happen; the event loop takes everything pending at once, applies it, and draws one
/// frame. Headline batches are bounded (``maxPendingBatches``): a feed running faster
/// than the screen waits here instead of filling memory.
public final class EventQueue: Sendable {
    public static let maxPendingBatches = 8

    private struct State {
        var events: Deque<AppEvent> = []
        var batches = 0
        var consumer: CheckedContinuation<Void, Never>?
        var producers: [CheckedContinuation<Void, Never>] = []
        var closed = false
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

    /// Posts a headline batch, waiting while too many are pending.
    public func postBatch(_ event: AppEvent) async {
        while true {
            let full = state.withLock { $0.batches >= EventQueue.maxPendingBatches && !$0.closed }
            if !full { break }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.batches < EventQueue.maxPendingBatches || s.closed { return true }
                    s.producers.append(c)
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
        let consumer = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.events.append(event)
            s.batches += 1
            defer { s.consumer = nil }
            return s.consumer
        }
        consumer?.resume()
    }

    /// Everything pending, waiting for at least one event.
    public func take() async -> [AppEvent] {
        while true {
            let (events, producers) = state.withLock { s -> ([AppEvent], [CheckedContinuation<Void, Never>]) in
                let events = Array(s.events)
                s.events.removeAll()
                s.batches = 0
                defer { s.producers = [] }
                return (events, s.producers)
            }
            for p in producers { p.resume() }
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

    /// Releases producers waiting for room (at shutdown).
    public func close() {
        let producers = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.closed = true
            defer { s.producers = [] }
            return s.producers
        }
        for p in producers { p.resume() }
    }
}
