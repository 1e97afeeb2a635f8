import NewsCore
import NewsFeeds
import Testing
@testable import NewsFetch
@testable import NewsHTTP

/// A sleep that never ends by itself (only a refresh or a cancellation ends it), and tells
/// the test each time a source starts waiting, with the wait asked for.
final class SleepGate: Sendable {
    let entered: AsyncStream<Duration>
    private let continuation: AsyncStream<Duration>.Continuation

    init() { (entered, continuation) = AsyncStream.makeStream(of: Duration.self) }

    var sleepFunction: @Sendable (Duration) async throws -> Void {
        { [continuation] d in
            continuation.yield(d)
            // Ended by the refresh's cancellation long before; an hour is "never" here.
            try await Task.sleep(for: .seconds(3600))
        }
    }
}

private func ok(_ items: [(String, String, Int)]) -> FetchResult {
    .ok(FetchedFeed(bytes: Array(Feeds.rss(items: items).utf8), validators: Validators(), finalURL: "http://feeds.test/feed",
                    permanentRedirect: nil, charset: nil, maxAge: nil))
}

@Suite("Refreshing HTTP feeds (R)", .timeLimit(.minutes(2)))
struct RefreshTests {
    @Test("A refresh ends the wait for the next poll: the source polls at once, 15 minutes early")
    func refreshPollsNow() async throws {
        let clock = ManualClock()
        let gate = SleepGate()
        let refresh = FeedRefresh()
        let fetcher = ScriptedFetcher([ok([("a", "A", 1)]), ok([("b", "B", 2), ("a", "A", 1)])])
        let source = HTTPFeedSource(name: "news", url: "http://feeds.test/feed", fetcher: fetcher, limiter: FetchLimiter(),
                                    policy: PollPolicy(jitter: 0), now: clock.nowFunction, sleep: gate.sleepFunction,
                                    refresh: refresh)
        let task = Task {
            var it = source.makeAsyncIterator()
            let first = try await it.next()
            let second = try await it.next()
            return (first?.map(\.headline.title), second?.map(\.headline.title))
        }
        var entered = gate.entered.makeAsyncIterator()
        let wait = await entered.next()
        #expect(wait == .seconds(900))
        #expect(fetcher.requests.count == 1)
        refresh.request(["other"])  // another feed's refresh leaves this one waiting
        refresh.request(["news"])
        let (first, second) = try await task.value
        #expect(first == ["A"] && second == ["B"])
        #expect(fetcher.requests.count == 2)
        #expect(clock.now == Timestamp(milliseconds: 1_800_000_000_000))  // no time passed: it was the refresh
    }

    @Test("Refreshing every feed (nil) wakes each waiting source")
    func refreshAll() async throws {
        let clock = ManualClock()
        let refresh = FeedRefresh()
        let gates = [SleepGate(), SleepGate()]
        let fetchers = [ScriptedFetcher([ok([("a", "A", 1)]), ok([("b", "B", 2)])]),
                        ScriptedFetcher([ok([("c", "C", 1)]), ok([("d", "D", 2)])])]
        var tasks: [Task<[String]?, any Error>] = []
        for i in 0..<2 {
            let source = HTTPFeedSource(name: "feed\(i)", url: "http://feeds.test/\(i)", fetcher: fetchers[i], limiter: FetchLimiter(),
                                        policy: PollPolicy(jitter: 0), now: clock.nowFunction, sleep: gates[i].sleepFunction,
                                        refresh: refresh)
            tasks.append(Task {
                var it = source.makeAsyncIterator()
                _ = try await it.next()
                return try await it.next()?.map(\.headline.title)
            })
        }
        for gate in gates {
            var entered = gate.entered.makeAsyncIterator()
            _ = await entered.next()
        }
        refresh.request(nil)
        #expect(try await tasks[0].value == ["B"])
        #expect(try await tasks[1].value == ["D"])
    }

    @Test("429 with Retry-After: refreshed before then, the source goes on waiting and asks nothing; after, it polls")
    func rateLimitedNotAskedEarly() async throws {
        let clock = ManualClock()
        let gate = SleepGate()
        let refresh = FeedRefresh()
        let events = EventLog()
        let fetcher = ScriptedFetcher([.rateLimited(until: clock.now.adding(milliseconds: 120_000), status: 429),
                                       ok([("a", "A", 1)])])
        let source = HTTPFeedSource(name: "busy", url: "http://feeds.test/feed", fetcher: fetcher, limiter: FetchLimiter(),
                                    policy: PollPolicy(jitter: 0), now: clock.nowFunction, sleep: gate.sleepFunction,
                                    onEvent: events.handler, refresh: refresh)
        let task = Task {
            var it = source.makeAsyncIterator()
            var failures: [String] = []
            do { _ = try await it.next() } catch { failures.append("\(error)") }
            let next = try await it.next()
            return (failures, next?.map(\.headline.title))
        }
        var entered = gate.entered.makeAsyncIterator()
        #expect(await entered.next() == .seconds(120))
        refresh.request(["busy"])
        // Woken, it found the server's time not come, and waits again: the rest of it.
        #expect(await entered.next() == .seconds(120))
        #expect(fetcher.requests.count == 1)
        clock.advance(.seconds(120))
        refresh.request(["busy"])
        let (failures, next) = try await task.value
        #expect(failures == ["HTTP 429, retrying in 2m"])
        #expect(next == ["A"])
        #expect(fetcher.requests.count == 2)
        #expect(events.all.first == .rateLimited(status: 429, until: Timestamp(milliseconds: 1_800_000_120_000)))
    }

    @Test("A cancelled wait ends (quitting while a source waits)")
    func cancelledWait() async throws {
        let gate = SleepGate()
        let refresh = FeedRefresh()
        let task = Task { try await refresh.sleep("x", for: .seconds(900), using: gate.sleepFunction) }
        var entered = gate.entered.makeAsyncIterator()
        _ = await entered.next()
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test("A 301 over loopback is reported once: later polls ask the new URL and report nothing more")
    func moveReportedOnce() async throws {
        try await onTestThread {
        let clock = ManualClock()
        let events = EventLog()
        try await TestServer.with { server in
            server.route("/old", .redirect(301, to: server.url("/new")))
            server.route("/new", .feed(Feeds.rss(items: [("a", "A", 1)])))
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                let source = HTTPFeedSource(name: "moved", url: server.url("/old"), fetcher: fetcher, limiter: FetchLimiter(),
                                            policy: PollPolicy(interval: .seconds(1), jitter: 0),
                                            now: clock.nowFunction, sleep: clock.sleepFunction, onEvent: events.handler)
                var it = source.makeAsyncIterator()
                _ = try await it.next()
                // Two more polls (304-less, nothing new: next() would wait for items; poll directly).
                _ = try await it.poll()
                _ = try await it.poll()
            }
            let moves = events.all.filter { if case .movedPermanently = $0 { true } else { false } }
            #expect(moves == [.movedPermanently(from: server.url("/old"), to: server.url("/new"))])
            #expect(server.requests("/old").count == 1)
            #expect(server.requests("/new").count == 3)
        }
        }
    }
}
