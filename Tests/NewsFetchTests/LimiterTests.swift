import NewsCore
import Testing
@testable import NewsFetch

/// A gate a task waits at until the test opens it.
private final class Gate: Sendable {
    private let state = Protected<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { c in
            let now: Bool = state.withLock { s in
                if s.open { return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { s in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }
}

/// Polls `condition` (a few ms apart) for up to 5 s.
private func eventually(_ condition: () -> Bool) async -> Bool {
    for _ in 0..<1000 {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

@Suite("Fetch limiter", .timeLimit(.minutes(2)))
struct FetchLimiterTests {
    @Test("Never more than 8 at once in all, nor 2 to one host; every task gets its turn")
    func bounds() async throws {
        try await onTestThread {
        let limiter = FetchLimiter(total: 8, perHost: 2)
        let peak = Protected<(total: Int, host: [String: Int], now: [String: Int], done: Int)>((0, [:], [:], 0))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<60 {
                let host = "h\(i % 6)"
                group.addTask {
                    try await limiter.withPermit(host: host) {
                        peak.withLock { p in
                            p.now[host, default: 0] += 1
                            p.host[host] = max(p.host[host, default: 0], p.now[host]!)
                            p.total = max(p.total, p.now.values.reduce(0, +))
                        }
                        try await Task.sleep(for: .milliseconds(3))
                        peak.withLock { p in p.now[host]! -= 1; p.done += 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        let p = peak.withLock { $0 }
        #expect(p.done == 60)
        #expect(p.total <= 8)
        #expect(p.host.values.allSatisfy { $0 <= 2 })
        #expect(limiter.running() == 0 && limiter.waiting == 0)
        }
    }

    @Test("A host at its limit does not hold back a fetch for another host")
    func busyHostDoesNotBlockOthers() async throws {
        try await onTestThread {
        let limiter = FetchLimiter(total: 8, perHost: 2)
        let gate = Gate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask(executorPreference: testThread) { try await limiter.withPermit(host: "slow") { await gate.wait() } } }
            #expect(await eventually { limiter.running(host: "slow") == 2 && limiter.waiting == 1 })
            // The third "slow" one waits; "fast" goes at once.
            try await limiter.withPermit(host: "fast") { #expect(limiter.running(host: "fast") == 1) }
            #expect(limiter.running(host: "slow") == 2)
            gate.open()
            try await group.waitForAll()
        }
        #expect(limiter.running() == 0)
        }
    }

    @Test("The total bound holds across hosts, and waiters go in order as permits free up")
    func totalBound() async throws {
        try await onTestThread {
        let limiter = FetchLimiter(total: 2, perHost: 2)
        let gate = Gate()
        let order = Protected<[String]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for h in ["a", "b"] { group.addTask(executorPreference: testThread) { try await limiter.withPermit(host: h) { await gate.wait() } } }
            #expect(await eventually { limiter.running() == 2 })
            group.addTask(executorPreference: testThread) { try await limiter.withPermit(host: "c") { order.withLock { $0.append("c") } } }
            #expect(await eventually { limiter.waiting == 1 })
            group.addTask(executorPreference: testThread) { try await limiter.withPermit(host: "d") { order.withLock { $0.append("d") } } }
            #expect(await eventually { limiter.waiting == 2 })
            #expect(limiter.running() == 2)
            gate.open()
            try await group.waitForAll()
        }
        #expect(order.withLock { $0 } == ["c", "d"])
        }
    }

    @Test("A waiter that is cancelled stops waiting and takes no permit")
    func cancelledWaiter() async throws {
        try await onTestThread {
        let limiter = FetchLimiter(total: 1, perHost: 1)
        let gate = Gate()
        let holder = Task(executorPreference: testThread) { try await limiter.withPermit(host: "h") { await gate.wait() } }
        #expect(await eventually { limiter.running() == 1 })
        let waiter = Task(executorPreference: testThread) { try await limiter.withPermit(host: "h") { "ran" } }
        #expect(await eventually { limiter.waiting == 1 })
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(limiter.waiting == 0)
        #expect(limiter.running() == 1)
        gate.open()
        try await holder.value
        #expect(try await limiter.withPermit(host: "h") { "again" } == "again")
        #expect(limiter.running() == 0)
        }
    }
}
