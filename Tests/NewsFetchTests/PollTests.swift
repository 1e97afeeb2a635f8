import NewsCore
import NewsFeeds
import Testing
@testable import NewsFetch
@testable import NewsHTTP

private let t0 = Timestamp(milliseconds: 1_800_000_000_000)

private func at(_ seconds: Int64) -> Timestamp { t0.adding(milliseconds: seconds * 1000) }

@Suite("Poll schedule")
struct PollScheduleTests {
    @Test("The first poll is due at once; then every 15 minutes by default, plus at most 10% jitter")
    func defaults() {
        var s = PollSchedule(policy: PollPolicy(), start: t0, seed: 1)
        #expect(s.due == t0)
        #expect(s.wait(at: t0) == .zero)
        for _ in 0..<20 {
            let wait = s.record(.fetched(FeedHints()), at: t0)
            #expect(wait >= .seconds(900) && wait <= .seconds(990))
            #expect(s.due == t0.adding(milliseconds: wait.wholeMilliseconds))
        }
    }

    @Test("A Retry-After from an earlier run puts off the first poll, never past the longest wait; one already over changes nothing")
    func notBefore() {
        var s = PollSchedule(policy: PollPolicy(), start: t0, seed: 1)
        s.notBefore(at(-5), now: t0)
        #expect(s.due == t0)
        s.notBefore(at(120), now: t0)
        #expect(s.due == at(120) && s.wait(at: t0) == .seconds(120))
        var far = PollSchedule(policy: PollPolicy(), start: t0, seed: 1)
        far.notBefore(at(10 * 86_400), now: t0)
        #expect(far.due == at(86_400))
    }

    @Test("An interval is at least 1 s")
    func shortestInterval() {
        #expect(PollPolicy(interval: .milliseconds(10)).interval == .seconds(1))
        var s = PollSchedule(policy: PollPolicy(interval: .seconds(1), jitter: 0), start: t0, seed: 1)
        #expect(s.record(.notModified(maxAge: nil), at: t0) == .seconds(1))
    }

    @Test("Jitter is seeded: the same seed gives the same waits, another seed others")
    func seededJitter() {
        func waits(_ seed: UInt64) -> [Duration] {
            var s = PollSchedule(policy: PollPolicy(interval: .seconds(600)), start: t0, seed: seed)
            return (0..<10).map { _ in s.record(.fetched(FeedHints()), at: t0) }
        }
        #expect(waits(7) == waits(7))
        #expect(waits(7) != waits(8))
        #expect(Set(waits(7)).count > 1)
    }

    @Test("A feed's hints are a floor, never a reason to poll more often",
          arguments: [
            (FeedHints(ttl: .seconds(3600)), Duration.seconds(3600)),        // ttl 60 over a 15-minute interval
            (FeedHints(ttl: .seconds(300)), Duration.seconds(900)),          // ttl 5: the interval stands
            (FeedHints(syndication: .seconds(1800)), Duration.seconds(1800)),
            (FeedHints(maxAge: .seconds(60)), Duration.seconds(900)),
            (FeedHints(ttl: .seconds(1200), maxAge: .seconds(2400)), Duration.seconds(2400)),
            (FeedHints(ttl: .seconds(999_999_999)), Duration.seconds(86_400)),  // capped at a day
          ])
    func hintsAreAFloor(_ hints: FeedHints, _ expected: Duration) {
        var s = PollSchedule(policy: PollPolicy(jitter: 0), start: t0, seed: 1)
        #expect(s.record(.fetched(hints), at: t0) == expected)
    }

    @Test("A 304's max-age replaces the last one; the document's ttl stays")
    func notModifiedKeepsTTL() {
        var s = PollSchedule(policy: PollPolicy(interval: .seconds(60), jitter: 0), start: t0, seed: 1)
        s.record(.fetched(FeedHints(ttl: .seconds(600), maxAge: .seconds(1200))), at: t0)
        #expect(s.record(.notModified(maxAge: nil), at: t0) == .seconds(600))
        #expect(s.record(.notModified(maxAge: .seconds(900)), at: t0) == .seconds(900))
    }

    @Test("sy:updatePeriod over sy:updateFrequency")
    func syndicationHints() {
        #expect(FeedHints.syndication(period: "hourly", frequency: 2) == .seconds(1800))
        #expect(FeedHints.syndication(period: nil, frequency: 4) == .seconds(21_600))
        #expect(FeedHints.syndication(period: "weekly", frequency: nil) == .seconds(604_800))
        #expect(FeedHints.syndication(period: "fortnightly", frequency: 1) == nil)
        #expect(FeedHints.syndication(period: nil, frequency: nil) == nil)
    }

    @Test("Failures back off 1 s, 2 s, 4 s... up to a minute for a short interval, and start over after a success")
    func backoff() {
        var s = PollSchedule(policy: PollPolicy(interval: .seconds(1), jitter: 0), start: t0, seed: 1)
        let waits = (0..<9).map { _ in s.record(.failed, at: t0) }
        #expect(waits == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
        #expect(s.failures == 9)
        #expect(s.record(.fetched(FeedHints()), at: t0) == .seconds(1))
        #expect(s.failures == 0)
        #expect(s.record(.failed, at: t0) == .seconds(1))
    }

    @Test("For a long interval the backoff grows up to the interval, not past it")
    func backoffUpToInterval() {
        var s = PollSchedule(policy: PollPolicy(interval: .seconds(900), jitter: 0), start: t0, seed: 1)
        let waits = (0..<12).map { _ in s.record(.failed, at: t0) }
        #expect(waits.last == .seconds(900))
        #expect(waits[9] == .seconds(512))
        #expect(waits.allSatisfy { $0 <= .seconds(900) })
    }

    @Test("Retry-After is honoured: nothing before it, and not before the backoff either")
    func retryAfter() {
        var s = PollSchedule(policy: PollPolicy(interval: .seconds(1), jitter: 0), start: t0, seed: 1)
        #expect(s.record(.rateLimited(until: at(120)), at: t0) == .seconds(120))
        #expect(s.due == at(120))
        // A Retry-After already past: the backoff (now 2 s) still holds.
        #expect(s.record(.rateLimited(until: at(100)), at: at(120)) == .seconds(2))
        // One a year away is capped at a day.
        #expect(s.record(.rateLimited(until: at(365 * 86_400)), at: t0) == .seconds(86_400))
    }
}

@Suite("Feed hints in the parser")
struct FeedHintParsingTests {
    @Test("RSS <ttl> and sy:updatePeriod/sy:updateFrequency are read from the channel")
    func hints() throws {
        let rss = Feeds.rss(items: [("a", "A", 1)], extra: "<ttl>45</ttl><sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>3</sy:updateFrequency>")
        let doc = try FeedParser.parse(bytes: Array(rss.utf8), readTime: t0)
        #expect(doc.ttlMinutes == 45)
        #expect(doc.updatePeriod == "hourly")
        #expect(doc.updateFrequency == 3)
        let hints = FeedHints(document: doc, maxAge: .seconds(30))
        #expect(hints == FeedHints(ttl: .seconds(2700), syndication: .seconds(1200), maxAge: .seconds(30)))
        #expect(hints.floor == .seconds(2700))
        #expect(doc.items.count == 1)
    }

    @Test("RDF's sy: with an undeclared prefix, and a ttl that is not a number")
    func rdfAndJunk() throws {
        let rdf = """
            <?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
            <channel rdf:about="http://x/"><title>T</title><sy:updatePeriod>daily</sy:updatePeriod><ttl>soon</ttl></channel>
            <item rdf:about="http://x/1"><title>One</title><link>http://x/1</link></item></rdf:RDF>
            """
        let doc = try FeedParser.parse(bytes: Array(rdf.utf8), readTime: t0)
        #expect(doc.updatePeriod == "daily")
        #expect(doc.ttlMinutes == nil)
        #expect(FeedHints(document: doc, maxAge: nil).floor == .seconds(86_400))
    }
}

@Suite("Header values")
struct HeaderValueTests {
    @Test("Content-Type's media type and charset")
    func contentType() {
        let full = HeaderValues.contentType("Application/RSS+XML; charset=\"ISO-8859-1\"")
        #expect(full.mediaType == "application/rss+xml")
        #expect(full.charset == "ISO-8859-1")
        #expect(HeaderValues.contentType("text/xml;charset=utf-8;q=1").charset == "utf-8")
        #expect(HeaderValues.contentType("text/xml").charset == nil)
        #expect(HeaderValues.contentType(nil).mediaType == nil)
    }

    @Test("Cache-Control max-age, and Retry-After in both forms")
    func cacheAndRetry() {
        #expect(HeaderValues.maxAge("public, max-age=600") == .seconds(600))
        #expect(HeaderValues.maxAge("no-cache") == nil)
        #expect(HeaderValues.maxAge("max-age=-5") == nil)
        #expect(HeaderValues.retryAfter("30", now: t0) == at(30))
        #expect(HeaderValues.retryAfter("Fri, 15 Jan 2027 08:00:00 GMT", now: t0) == FeedDate.parse("2027-01-15T08:00:00Z"))
        #expect(HeaderValues.retryAfter("soon", now: t0) == nil)
        #expect(HeaderValues.retryAfter("", now: t0) == nil)
    }

    @Test("Durations and sizes in messages")
    func words() {
        #expect(DurationWords.format(.seconds(4)) == "4s")
        #expect(DurationWords.format(.seconds(120)) == "2m")
        #expect(DurationWords.format(.seconds(90)) == "1m30s")
        #expect(DurationWords.format(.seconds(3600)) == "1h")
        #expect(DurationWords.format(.milliseconds(500)) == "0.5s")
        #expect(DurationWords.format(.milliseconds(1500)) == "2s")
        #expect(DurationWords.size(32 << 20) == "32 MiB")
    }
}

@Suite("Proxy settings")
struct ProxySettingsTests {
    @Test("http_proxy, https_proxy and no_proxy from the environment, as curl reads them")
    func fromEnvironment() throws {
        let s = ProxySettings.fromEnvironment([
            "http_proxy": "http://user:p%40ss@proxy.local:3128/",
            "HTTPS_PROXY": "secure.proxy:8443",
            "HTTP_PROXY": "http://ignored:1",
            "NO_PROXY": " .internal.example, localhost:8080,[::1] ",
        ])
        #expect(s.http == ProxySettings.Server(host: "proxy.local", port: 3128, username: "user", password: "p@ss"))
        #expect(s.https == ProxySettings.Server(host: "secure.proxy", port: 8443))
        #expect(s.noProxy == ["internal.example", "localhost", "::1"])
        #expect(ProxySettings.fromEnvironment(["HTTP_PROXY": "http://x:1"]).http == nil)
        #expect(ProxySettings.Server("http://bare")?.port == 1080)
        #expect(ProxySettings.Server("socks5://x:1") == nil)
        #expect(ProxySettings.Server("http://x:notaport") == nil)
    }

    @Test("no_proxy matches a host and every host under it, by suffix, without case")
    func noProxyMatching() {
        let s = ProxySettings(http: .init(host: "p", port: 1), https: .init(host: "q", port: 2), noProxy: ["example.com", ".Corp.Net", "10.0.0.1"])
        #expect(s.bypasses(host: "example.com"))
        #expect(s.bypasses(host: "feeds.EXAMPLE.com"))
        #expect(!s.bypasses(host: "notexample.com"))
        #expect(s.bypasses(host: "corp.net") && s.bypasses(host: "a.b.corp.net"))
        #expect(s.bypasses(host: "10.0.0.1") && !s.bypasses(host: "10.0.0.10"))
        #expect(s.server(scheme: "http", host: "other.org")?.host == "p")
        #expect(s.server(scheme: "HTTPS", host: "other.org")?.host == "q")
        #expect(s.server(scheme: "https", host: "www.example.com") == nil)
        #expect(ProxySettings(http: .init(host: "p", port: 1), noProxy: ["*"]).server(scheme: "http", host: "a") == nil)
        #expect(ProxySettings.none.server(scheme: "http", host: "a") == nil)
    }
}
