import NewsCore
import NewsFeeds
import Testing
@testable import NewsFetch

private func ok(_ body: String, url: String = "http://feeds.test/feed", validators: Validators = Validators(),
                permanent: String? = nil, charset: String? = nil, maxAge: Duration? = nil) -> FetchResult {
    .ok(FetchedFeed(bytes: Array(body.utf8), validators: validators, finalURL: url, permanentRedirect: permanent,
                    charset: charset, maxAge: maxAge))
}

private func source(_ fetcher: ScriptedFetcher, clock: ManualClock, policy: PollPolicy = PollPolicy(jitter: 0),
                    events: EventLog? = nil, url: String = "http://feeds.test/feed") -> HTTPFeedSource {
    HTTPFeedSource(name: "test", url: url, fetcher: fetcher, limiter: FetchLimiter(), policy: policy, seed: 3,
                   now: clock.nowFunction, sleep: clock.sleepFunction, onEvent: events?.handler)
}

/// The description of the error `next()` throws, nil when it returns.
func failure(of it: inout HTTPFeedSource.Iterator) async -> String? {
    do {
        _ = try await it.next()
        return nil
    } catch {
        return "\(error)"
    }
}

@Suite("HTTP feed source", .timeLimit(.minutes(2)))
struct HTTPFeedSourceTests {
    @Test("First every item in publication order, then only items with a new id or a changed title; nothing for a 304")
    func onlyNewItems() async throws {
        let clock = ManualClock()
        let v1 = Validators(etag: "\"1\"")
        let fetcher = ScriptedFetcher([
            ok(Feeds.rss(items: [("b", "Second", 20), ("a", "First", 10)]), validators: v1),
            .notModified(NotModified(validators: v1, finalURL: "http://feeds.test/feed")),
            ok(Feeds.rss(items: [("b", "Second", 20), ("a", "First", 10)])),
            ok(Feeds.rss(items: [("c", "Third", 30), ("b", "Second (edited)", 20), ("a", "First", 10)])),
        ])
        var it = source(fetcher, clock: clock).makeAsyncIterator()
        let first = try #require(try await it.next())
        #expect(first.map(\.headline.id) == ["a", "b"])
        #expect(first.allSatisfy { $0.headline.source == "test" })
        #expect(clock.sleeps.isEmpty)  // the first fetch is at once
        let second = try #require(try await it.next())
        // b's title changed: it comes again, as an update, in publication order with the new one.
        #expect(second.map(\.headline.title) == ["Second (edited)", "Third"])
        #expect(second.map(\.isUpdate) == [true, false])
        #expect(first.allSatisfy { !$0.isUpdate })
        // Three polls after the first, each 15 minutes on (no jitter here).
        #expect(clock.sleeps == [.seconds(900), .seconds(900), .seconds(900)])
        #expect(fetcher.requests.map(\.validators) == [Validators(), v1, v1, Validators()])
    }

    @Test("A failing feed throws 'HTTP 500, retrying in 1s', then 2s, 4s, and waits that long before each retry")
    func backoffMessages() async throws {
        let clock = ManualClock()
        let events = EventLog()
        let fetcher = ScriptedFetcher([.failed(.status(500)), .failed(.status(500)), .failed(.status(500)),
                                       ok(Feeds.rss(items: [("a", "Back", 1)]))])
        var it = source(fetcher, clock: clock, policy: PollPolicy(interval: .seconds(5), jitter: 0), events: events).makeAsyncIterator()
        var messages: [String] = []
        for _ in 0..<3 {
            do {
                _ = try await it.next()
                Issue.record("expected a failure")
            } catch {
                messages.append("\(error)")
            }
        }
        #expect(messages == ["HTTP 500, retrying in 1s", "HTTP 500, retrying in 2s", "HTTP 500, retrying in 4s"])
        let next1 = try await it.next()
        #expect(next1?.map(\.headline.title) == ["Back"])
        #expect(clock.sleeps == [.seconds(1), .seconds(2), .seconds(4)])
        guard case .failed(let reason, _) = events.all.first else { Issue.record("no failed event"); return }
        #expect(reason == "HTTP 500")
    }

    @Test("429 with Retry-After: no request before then")
    func rateLimited() async throws {
        let clock = ManualClock()
        let fetcher = ScriptedFetcher([.rateLimited(until: clock.now.adding(milliseconds: 120_000), status: 429),
                                       ok(Feeds.rss(items: [("a", "A", 1)]))])
        var it = source(fetcher, clock: clock).makeAsyncIterator()
        let message = await failure(of: &it)
        #expect(message == "HTTP 429, retrying in 2m")
        let next2 = try await it.next()
        #expect(next2?.count == 1)
        #expect(clock.sleeps == [.seconds(120)])
    }

    @Test("A permanent redirect moves the source for later polls and is reported; a temporary one does not")
    func permanentRedirect() async throws {
        let clock = ManualClock()
        let events = EventLog()
        let fetcher = ScriptedFetcher([
            ok(Feeds.rss(items: [("a", "A", 1)]), url: "http://tmp.test/x"),
            ok(Feeds.rss(items: [("b", "B", 2)]), url: "http://new.test/feed", permanent: "http://new.test/feed"),
            ok(Feeds.rss(items: [("c", "C", 3)]), url: "http://new.test/feed"),
        ])
        var it = source(fetcher, clock: clock, events: events).makeAsyncIterator()
        for _ in 0..<3 { _ = try await it.next() }
        #expect(fetcher.requests.map(\.url) == ["http://feeds.test/feed", "http://feeds.test/feed", "http://new.test/feed"])
        #expect(events.all.contains(.movedPermanently(from: "http://feeds.test/feed", to: "http://new.test/feed")))
    }

    @Test("A body that is not a feed, or breaks the parser, is a failure; its validators are not kept")
    func unreadableBody() async throws {
        let clock = ManualClock()
        let fetcher = ScriptedFetcher([
            .failed(.notAFeed("an HTML page, not a feed")),
            ok("<rss version=\"2.0\"><channel><title>x</title>" + String(repeating: "<a>", count: 200), validators: Validators(etag: "\"bad\"")),
            ok(Feeds.rss(items: [("a", "A", 1)])),
        ])
        var it = source(fetcher, clock: clock).makeAsyncIterator()
        let first = await failure(of: &it)
        #expect(first == "an HTML page, not a feed, retrying in 1s")
        let second = await failure(of: &it)
        #expect(second?.hasPrefix("elements nested deeper than 100 levels") == true)
        let next3 = try await it.next()
        #expect(next3?.count == 1)
        #expect(fetcher.requests.last?.validators == Validators())
    }

    @Test("The feed's ttl puts off the next poll; the charset of the header reaches the parser")
    func hintsAndCharset() async throws {
        let clock = ManualClock()
        let latin1: [UInt8] = Array("<rss version=\"2.0\"><channel><title>T</title><ttl>60</ttl><item><guid>1</guid><title>".utf8)
            + [0xC6, 0xF5, 0xE2] + Array("</title></item></channel></rss>".utf8)  // "Жхв" in windows-1251
        let fetcher = ScriptedFetcher([
            .ok(FetchedFeed(bytes: latin1, validators: Validators(), finalURL: "http://feeds.test/feed", charset: "windows-1251")),
            .notModified(NotModified(validators: Validators(), finalURL: "http://feeds.test/feed")),
            ok(Feeds.rss(items: [("2", "Two", 2)])),
        ])
        var it = source(fetcher, clock: clock).makeAsyncIterator()
        let next4 = try await it.next()
        #expect(next4?.first?.headline.title == "Жхв")
        _ = try await it.next()
        #expect(clock.sleeps == [.seconds(3600), .seconds(3600)])
    }

    @Test("A request cancelled while the source is not is a failure to retry, not the source's silent end")
    func cancelledRequestIsAFailure() async throws {
        let clock = ManualClock()
        let fetcher = ScriptedFetcher([.failed(.cancelled), ok(Feeds.rss(items: [("a", "A", 1)]))])
        var it = source(fetcher, clock: clock).makeAsyncIterator()
        let message = await failure(of: &it)
        #expect(message == "cancelled, retrying in 1s")
        let next = try await it.next()
        #expect(next?.count == 1)
    }

    @Test("Without a seed, each URL gets its own jitter: feeds started together drift apart")
    func jitterPerURL() async throws {
        func firstWait(_ url: String) async throws -> Duration? {
            let clock = ManualClock()
            let fetcher = ScriptedFetcher([ok(Feeds.rss(items: [("a", "A", 1)])), .notModified(NotModified(validators: Validators(), finalURL: url)),
                                           ok(Feeds.rss(items: [("b", "B", 2)]))])
            var it = HTTPFeedSource(name: "j", url: url, fetcher: fetcher, limiter: FetchLimiter(), policy: PollPolicy(),
                                    now: clock.nowFunction, sleep: clock.sleepFunction).makeAsyncIterator()
            _ = try await it.next()
            _ = try await it.next()
            return clock.sleeps.first
        }
        let waits = try await [firstWait("http://a.test/feed"), firstWait("http://b.test/feed"), firstWait("http://c.test/feed")]
        #expect(Set(waits).count == 3)
        #expect(waits.allSatisfy { $0.map { $0 >= .seconds(900) && $0 <= .seconds(990) } == true })
        #expect(try await firstWait("http://a.test/feed") == waits[0])
    }

    @Test("Ids seen are bounded, oldest forgotten first, never below four documents' worth")
    func seenIsBounded() {
        var seen = SeenIDs(minimum: 10)
        for i in 0..<100 { _ = seen.insert("id\(i)", title: "t") }
        #expect(seen.count == 10)
        #expect(seen.contains("id99") && !seen.contains("id89"))
        seen.reserve(forDocumentOf: 50)
        for i in 100..<400 { _ = seen.insert("id\(i)", title: "t") }
        #expect(seen.count == 200)
        #expect(seen.insert("id399", title: "t") == .same)
        #expect(seen.insert("id0", title: "t") == .new)
    }

    @Test("Seen ids keep the title shown: the same is .same, another .changed, and a change does not grow the set")
    func seenFingerprints() {
        var seen = SeenIDs(minimum: 3)
        #expect(seen.insert("a", title: "One") == .new)
        #expect(seen.insert("a", title: "One") == .same)
        #expect(seen.insert("a", title: "One, edited") == .changed)
        #expect(seen.insert("a", title: "One, edited") == .same)
        #expect(seen.insert("a", title: "One") == .changed)  // changed back is a change too
        for id in ["b", "c"] { _ = seen.insert(id, title: id) }
        #expect(seen.count == 3)
        // a keeps its place in the forgetting order (first shown): the next new id forgets it.
        #expect(seen.insert("d", title: "d") == .new)
        #expect(seen.count == 3 && !seen.contains("a") && seen.contains("b"))
    }

    @Test("An id twice in one document is taken once, as it first comes, and never flaps as an update")
    func duplicateIDInADocument() async throws {
        let clock = ManualClock()
        let twice = Feeds.rss(items: [("a", "Early", 10), ("a", "Late", 20), ("b", "Other", 30)])
        let fetcher = ScriptedFetcher([ok(twice), ok(twice)])
        var it = source(fetcher, clock: clock).makeAsyncIterator()
        let first = try #require(try await it.next())
        #expect(first.map(\.headline.title) == ["Early", "Other"])
        // The second poll has nothing new: the source polls on (a third fetch is not scripted).
        let again = try await it.poll()
        #expect(again?.isEmpty == true)
    }
}
