import NewsCore
import NewsFeeds
import Testing
@testable import NewsFetch
@testable import NewsHTTP

/// HTTPFeedSource against the real loopback server, alone and merged with others.
@Suite("HTTP feeds over loopback", .timeLimit(.minutes(2)))
struct LiveFeedTests {
    @Test("200, then 304 with the validators, then a new item: only the new one comes")
    func pollsAServer() async throws {
        try await onTestThread {
        let clock = ManualClock()
        try await TestServer.with { server in
            let v1 = Feeds.rss(items: [("a", "First", 10), ("b", "Second", 20)])
            let v2 = Feeds.rss(items: [("c", "Third", 30), ("a", "First", 10), ("b", "Second", 20)])
            server.sequence("/feed", [
                .feed(v1, headers: [("ETag", "\"1\"")]),
                .send(status: 304, headers: [("ETag", "\"1\"")]),
                .feed(v2, headers: [("ETag", "\"2\"")]),
            ])
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                let source = HTTPFeedSource(name: "loop", url: server.url("/feed"), fetcher: fetcher, limiter: FetchLimiter(),
                                            policy: PollPolicy(interval: .seconds(1), jitter: 0),
                                            now: clock.nowFunction, sleep: clock.sleepFunction)
                var it = source.makeAsyncIterator()
                let next1 = try await it.next()
                #expect(next1?.map(\.headline.title) == ["First", "Second"])
                let next2 = try await it.next()
                #expect(next2?.map(\.headline.title) == ["Third"])
            }
            #expect(server.requests("/feed").map { $0.header("if-none-match") } == [nil, "\"1\"", "\"1\""])
        }
        }
    }

    @Test("A second version of the feed changes one title: the next poll yields exactly that item, as an update; a third, the same, nothing")
    func changedTitleOverLoopback() async throws {
        try await onTestThread {
        let clock = ManualClock()
        try await TestServer.with { server in
            let v1 = Feeds.rss(items: [("a", "First", 10), ("b", "Second", 20), ("c", "Third", 30)])
            let v2 = Feeds.rss(items: [("a", "First", 10), ("b", "Second, corrected", 20), ("c", "Third", 30)])
            server.sequence("/feed", [.feed(v1), .feed(v2), .feed(v2), .feed(Feeds.rss(items: [("d", "Fourth", 40)]))])
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                let source = HTTPFeedSource(name: "loop", url: server.url("/feed"), fetcher: fetcher, limiter: FetchLimiter(),
                                            policy: PollPolicy(interval: .seconds(1), jitter: 0),
                                            now: clock.nowFunction, sleep: clock.sleepFunction)
                var it = source.makeAsyncIterator()
                let next1 = try #require(try await it.next())
                #expect(next1.map(\.headline.title) == ["First", "Second", "Third"])
                let next2 = try #require(try await it.next())
                #expect(next2.map(\.headline.id) == ["b"])
                #expect(next2.map(\.headline.title) == ["Second, corrected"])
                #expect(next2.map(\.isUpdate) == [true])
                // The third poll (v2 again) yields nothing; next() polls on to the fourth.
                let next3 = try #require(try await it.next())
                #expect(next3.map(\.headline.title) == ["Fourth"])
                #expect(next3.map(\.isUpdate) == [false])
            }
            #expect(server.requests("/feed").count == 4)
        }
        }
    }

    @Test("500 from the server: the source backs off and says so")
    func serverErrorBackoff() async throws {
        try await onTestThread {
        let clock = ManualClock()
        try await TestServer.with { server in
            server.route("/feed", .send(status: 500))
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                let source = HTTPFeedSource(name: "fail", url: server.url("/feed"), fetcher: fetcher, limiter: FetchLimiter(),
                                            policy: PollPolicy(interval: .seconds(1), jitter: 0),
                                            now: clock.nowFunction, sleep: clock.sleepFunction)
                var it = source.makeAsyncIterator()
                var messages: [String] = []
                for _ in 0..<3 {
                    do { _ = try await it.next() } catch { messages.append("\(error)") }
                }
                #expect(messages == ["HTTP 500, retrying in 1s", "HTTP 500, retrying in 2s", "HTTP 500, retrying in 4s"])
            }
        }
        }
    }

    @Test("20 feeds in one merge, 5 of them misbehaving: the other 15 all arrive while the hanging and dripping ones are still in flight")
    func fifteenOnTime() async throws {
        try await onTestThread {
        // An order, not a stopwatch: the hanging and the dripping feed hold their requests open for
        // the whole test (the timeout is far away), and the 15 healthy ones must all arrive meanwhile.
        // (A 10 s stopwatch failed in a loaded CI run; the timeouts themselves are FetcherTests'.)
        let timeout = Duration.seconds(300)
        let good = try await TestServer.start(host: "127.0.0.1")
        // Each misbehaving feed on a host of its own (all loopback), as it would be in life.
        var bad: [TestServer] = []
        for i in 2...6 { bad.append(try await TestServer.start(host: "127.0.0.\(i)")) }
        func stopAll() async {
            await good.stop()
            for b in bad { await b.stop() }
        }

        for i in 0..<15 {
            good.route("/f\(i)", .feed(Feeds.rss(title: "Feed \(i)", items: (0..<3).map { ("f\(i)-\($0)", "Feed \(i) item \($0)", $0) })))
        }
        bad[0].route("/hang", .hang)
        bad[1].route("/drip", .drip(status: 200, body: Array(repeating: 0x20, count: 100_000), every: .milliseconds(20)))
        bad[2].route("/fail", .send(status: 500))
        bad[3].route("/html", .feed(Feeds.html, type: "text/html"))
        bad[4].route("/huge", .send(status: 200, body: Array(repeating: 0x20, count: 300_000)))
        let urls = (0..<15).map { ("good\($0)", good.url("/f\($0)")) }
            + [("hang", bad[0].url("/hang")), ("drip", bad[1].url("/drip")), ("fail", bad[2].url("/fail")),
               ("html", bad[3].url("/html")), ("huge", bad[4].url("/huge"))]

        do {
        try await FeedFetcher.withFetcher(configuration(timeout: timeout, maxBodyBytes: 100_000)) { fetcher in
            let limiter = FetchLimiter(total: 8, perHost: 2)
            // The misbehaving ones first in the list: they take their permits first.
            let sources: [any HeadlineSource] = (urls.suffix(5) + urls.prefix(15)).map { (name, url) -> any HeadlineSource in
                HTTPFeedSource(name: name, url: url, fetcher: fetcher, limiter: limiter, policy: PollPolicy(interval: .seconds(60)))
            }
            var arrived: [String: Int] = [:]
            var goodDone = false
            var problems: [String: String] = [:]
            var problemsWhenGoodDone: Set<String> = []
            try await withMergedFeed(sources: sources, clock: ContinuousClock(),
                                     options: MergeOptions(restart: RestartPolicy(initial: .milliseconds(50), maximum: .milliseconds(50)))) { feed in
                for try await event in feed {
                    switch event {
                    case .headlines(let batch):
                        for a in batch { arrived[a.headline.source, default: 0] += 1 }
                        if !goodDone, (0..<15).allSatisfy({ arrived["good\($0)"] == 3 }) {
                            goodDone = true
                            problemsWhenGoodDone = Set(problems.keys)
                        }
                    case .sourceRestarting(let source, let error, _):
                        if problems[source] == nil { problems[source] = "\(error)" }
                    default: break
                    }
                    if goodDone && ["fail", "html", "huge"].allSatisfy({ problems[$0] != nil }) { break }
                }
            }
            #expect(goodDone)
            #expect(!problemsWhenGoodDone.contains("hang") && !problemsWhenGoodDone.contains("drip"))
            #expect(problems["hang"] == nil && problems["drip"] == nil, "still in flight: \(problems)")
            #expect(arrived.keys.filter { !$0.hasPrefix("good") }.isEmpty)
            #expect(problems["fail"] == "HTTP 500, retrying in 1s")
            #expect(problems["html"] == "an HTML page, not a feed, retrying in 1s")
            #expect(problems["huge"] == "body over 100000 bytes, retrying in 1s")
        }
        } catch {
            await stopAll()
            throw error
        }
        // Both slow requests had reached their servers: they were in flight the whole time.
        #expect(bad[0].requests().count == 1 && bad[1].requests().count == 1)
        await stopAll()
        #expect(good.requests().count == 15)
        }
    }
}
