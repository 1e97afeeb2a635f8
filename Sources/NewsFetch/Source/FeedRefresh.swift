import NewsCore

/// "Poll now" for HTTP feeds (`R` in the view), shared by the sources of a run: a source
/// waiting for its next poll waits in ``sleep(_:for:using:)``, which ends early when the
/// feed is refreshed. A refresh asked while the source is fetching anyway is not kept:
/// it means "now", and that fetch is now.
///
/// It only cuts the wait short. The source still asks through the ``FetchLimiter`` (8 at
/// a time, 2 per host), and does not ask a feed that is rate-limited (429 or 503 with
/// `Retry-After`) before its time: refreshed then, it goes back to waiting.
public final class FeedRefresh: Sendable {
    private struct Waiter {
        var name: String
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        /// Refreshes of every feed, and of each feed by name, so far.
        var all = 0
        var byName: [String: Int] = [:]
        var waiters: [Int: Waiter] = [:]
        /// Waiters cancelled before they were registered.
        var cancelled: Set<Int> = []
        var nextID = 0

        func generation(_ name: String) -> Int { all + (byName[name] ?? 0) }
    }

    private let state = Protected(State())

    public init() {}

    /// Wakes the named feeds' waits (every feed's when `names` is nil).
    public func request(_ names: [String]?) {
        let woken: [CheckedContinuation<Void, Never>] = state.withLock { s in
            if let names {
                for name in Set(names) { s.byName[name, default: 0] += 1 }
            } else {
                s.all += 1
            }
            let wake = s.waiters.filter { names?.contains($0.value.name) ?? true }
            for id in wake.keys { s.waiters[id] = nil }
            return wake.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Waits `duration` with `sleep`, or until `name` is refreshed, whichever is first.
    /// Returns true when it was the refresh. Throws when the task is cancelled.
    public func sleep(_ name: String, for duration: Duration,
                      using sleep: @escaping @Sendable (Duration) async throws -> Void) async throws -> Bool {
        let generation = state.withLock { $0.generation(name) }
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await sleep(duration)
                return false
            }
            group.addTask {
                await self.refreshed(name, after: generation)
                return true
            }
            defer { group.cancelAll() }
            let first = try await group.next() ?? false
            try Task.checkCancellation()
            return first
        }
    }

    /// Returns once `name` has been refreshed since `generation` (or the task is cancelled).
    private func refreshed(_ name: String, after generation: Int) async {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.cancelled.remove(id) != nil || s.generation(name) != generation { return true }
                    s.waiters[id] = Waiter(name: name, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            state.withLock { _ = $0.cancelled.remove(id) }  // a cancel that came as it was woken
        } onCancel: {
            let waiter = state.withLock { s -> Waiter? in
                guard let waiter = s.waiters.removeValue(forKey: id) else {
                    s.cancelled.insert(id)
                    return nil
                }
                return waiter
            }
            waiter?.continuation.resume()
        }
    }
}
