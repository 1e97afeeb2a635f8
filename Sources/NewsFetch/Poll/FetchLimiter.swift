import NewsCore

/// Bounds how many fetches run at once: `total` in all and `perHost` to any one host
/// (8 and 2 by default), so that the start, when every feed is due together, neither
/// floods the network nor hammers one server with all of its feeds.
///
/// Waiters are served in the order they came, except that one waiting for a busy host
/// does not hold back one for a free host. A waiting task that is cancelled stops waiting
/// (throws `CancellationError`) and takes no permit.
public final class FetchLimiter: Sendable {
    public let total: Int
    public let perHost: Int

    private struct Waiter {
        var id: UInt64
        var host: String
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var running = 0
        var byHost: [String: Int] = [:]
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
        var cancelled: Set<UInt64> = []

        func hasRoom(_ host: String, total: Int, perHost: Int) -> Bool {
            running < total && byHost[host, default: 0] < perHost
        }

        mutating func take(_ host: String) {
            running += 1
            byHost[host, default: 0] += 1
        }
    }

    private let state = Protected(State())

    public init(total: Int = 8, perHost: Int = 2) {
        self.total = max(1, total)
        self.perHost = max(1, perHost)
    }

    /// Runs `body` holding a permit for `host`, waiting for one first.
    public func withPermit<R: Sendable>(host: String, _ body: () async throws -> R) async throws -> R {
        try await acquire(host: host)
        defer { release(host: host) }
        return try await body()
    }

    /// Fetches running now, in all and for `host` (for tests and the sources screen).
    public func running(host: String? = nil) -> Int {
        state.withLock { s in host.map { s.byHost[$0, default: 0] } ?? s.running }
    }

    /// Tasks waiting for a permit.
    public var waiting: Int { state.withLock { $0.waiters.count } }

    func acquire(host: String) async throws {
        try Task.checkCancellation()
        let (total, perHost) = (self.total, self.perHost)
        let id: UInt64? = state.withLock { s in
            if s.waiters.isEmpty || !s.waiters.contains(where: { $0.host == host }), s.hasRoom(host, total: total, perHost: perHost) {
                s.take(host)
                return nil
            }
            s.nextID += 1
            return s.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { s in
                    if s.cancelled.remove(id) != nil { return true }
                    s.waiters.append(Waiter(id: id, host: host, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLock { s in
                if let i = s.waiters.firstIndex(where: { $0.id == id }) { return s.waiters.remove(at: i) }
                s.cancelled.insert(id)  // cancelled before it queued: it resumes at once
                return nil
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
        // A permit granted after the cancellation handler found nothing: the id stays in
        // `cancelled` only if it never queued, which throws above.
        state.withLock { s in _ = s.cancelled.remove(id) }
    }

    func release(host: String) {
        let (total, perHost) = (self.total, self.perHost)
        let granted: [Waiter] = state.withLock { s in
            s.running -= 1
            s.byHost[host, default: 1] -= 1
            if s.byHost[host] == 0 { s.byHost[host] = nil }
            var out: [Waiter] = []
            var i = 0
            while i < s.waiters.count && s.running < total {
                if s.hasRoom(s.waiters[i].host, total: total, perHost: perHost) {
                    let w = s.waiters.remove(at: i)
                    s.take(w.host)
                    out.append(w)
                } else {
                    i += 1
                }
            }
            return out
        }
        for w in granted { w.continuation.resume() }
    }
}
