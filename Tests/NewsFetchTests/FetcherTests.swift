import Foundation
import NewsCore
import NewsFeeds
import Testing
@testable import NewsFetch
@testable import NewsHTTP

private let oneItem = Feeds.rss(items: [("a", "First", 10)])

@Suite("Fetcher", .timeLimit(.minutes(2)))
struct FetcherTests {
    @Test("200 then 304: both validators sent back verbatim, an honest User-Agent, gzip and deflate offered")
    func conditionalGet() async throws {
        try await onTestThread {
        try await TestServer.with { server in
            let etag = "W/\"abc-123\""
            let modified = "Tue, 01 Dec 2026 10:00:00 GMT"
            server.route("/feed") { req in
                if req.header("if-none-match") == etag && req.header("if-modified-since") == modified {
                    return .send(status: 304)
                }
                return .feed(oneItem, headers: [("ETag", etag), ("Last-Modified", modified)])
            }
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                let first = await fetcher.fetch(FeedRequest(url: server.url("/feed")))
                let feed = try #require(first.fetched)
                #expect(feed.bytes == Array(oneItem.utf8))
                #expect(feed.validators == Validators(etag: etag, lastModified: modified))
                #expect(feed.finalURL == server.url("/feed"))
                #expect(feed.permanentRedirect == nil)
                #expect(feed.mediaType == "application/rss+xml")

                let second = await fetcher.fetch(FeedRequest(url: server.url("/feed"), validators: feed.validators))
                let nm = try #require(second.notModified)
                #expect(nm.validators == feed.validators)
            }
            let requests = server.requests("/feed")
            #expect(requests.count == 2)
            #expect(requests[0].header("if-none-match") == nil)
            #expect(requests[1].header("if-none-match") == etag)
            #expect(requests[1].header("if-modified-since") == modified)
            #expect(requests[0].header("user-agent") == "newsdesk/\(testVersion) (+https://github.com/newsdesk/newsdesk)")
            #expect(requests[0].header("accept-encoding") == "gzip, deflate")
        }
        }
    }

    @Test("A 304 that sends new validators replaces those it sends and keeps the others")
    func validatorsChangeOn304() async throws {
        try await onTestThread {
        try await TestServer.with { server in
            server.route("/feed", .send(status: 304, headers: [("ETag", "\"v2\""), ("Cache-Control", "max-age=600")]))
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                let old = Validators(etag: "\"v1\"", lastModified: "Mon, 30 Nov 2026 08:00:00 GMT")
                let result = await fetcher.fetch(FeedRequest(url: server.url("/feed"), validators: old))
                let nm = try #require(result.notModified)
                #expect(nm.validators == Validators(etag: "\"v2\"", lastModified: old.lastModified))
                #expect(nm.maxAge == .seconds(600))
            }
        }
        }
    }

    @Test("A gzip or deflate body is decompressed", arguments: ["gzip", "deflate"])
    func compressed(_ encoding: String) async throws {
        try await onTestThread {
        let plain = Array(Feeds.rss(items: (0..<200).map { ("id\($0)", "Headline number \($0)", $0) }).utf8)
        let packed = encoding == "gzip" ? try Compress.gzip(plain) : try Compress.deflate(plain)
        #expect(packed.count < plain.count / 2)
        try await TestServer.with { server in
            server.route("/feed", .send(status: 200, headers: [("Content-Type", "application/rss+xml"), ("Content-Encoding", encoding)], body: packed))
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                let result = await fetcher.fetch(FeedRequest(url: server.url("/feed")))
                #expect(result.fetched?.bytes == plain)
            }
        }
        }
    }

    @Test("A compressed body that expands past the limit is cut off")
    func compressionBomb() async throws {
        try await onTestThread {
        let plain = Array(Feeds.rss(items: [("a", String(repeating: "x", count: 200_000), 1)]).utf8)
        let packed = try Compress.gzip(plain)
        #expect(packed.count < 10_000)
        try await TestServer.with { server in
            server.route("/feed", .send(status: 200, headers: [("Content-Encoding", "gzip")], body: packed))
            try await FeedFetcher.withFetcher(configuration(maxBodyBytes: 50_000)) { fetcher in
                let result = await fetcher.fetch(FeedRequest(url: server.url("/feed")))
                #expect(result.failure == .tooLarge(limit: 50_000))
            }
        }
        }
    }

    @Test("301 and 308 are followed and reported as permanent; 302, 303 and 307 are followed, not remembered",
          arguments: [(301, true), (308, true), (302, false), (303, false), (307, false)])
    func redirects(_ status: Int, _ permanent: Bool) async throws {
        try await onTestThread {
        try await TestServer.with { server in
            server.route("/old", .redirect(status, to: "/new"))
            server.route("/new", .feed(oneItem))
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                let result = await fetcher.fetch(FeedRequest(url: server.url("/old")))
                let feed = try #require(result.fetched)
                #expect(feed.finalURL == server.url("/new"))
                #expect(feed.permanentRedirect == (permanent ? server.url("/new") : nil))
            }
        }
        }
    }

    @Test("After a temporary hop, later permanent ones are not remembered; before it, they are")
    func mixedChain() async throws {
        try await onTestThread {
        try await TestServer.with { server in
            server.route("/a", .redirect(301, to: "/b"))
            server.route("/b", .redirect(302, to: "/c"))
            server.route("/c", .redirect(308, to: "/d"))
            server.route("/d", .feed(oneItem))
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                let viaA = try #require(await fetcher.fetch(FeedRequest(url: server.url("/a"))).fetched)
                #expect(viaA.permanentRedirect == server.url("/b"))
                #expect(viaA.finalURL == server.url("/d"))
                let viaB = try #require(await fetcher.fetch(FeedRequest(url: server.url("/b"))).fetched)
                #expect(viaB.permanentRedirect == nil)
            }
        }
        }
    }

    @Test("A redirect loop, and more than 5 hops, are errors")
    func redirectLoopAndLimit() async throws {
        try await onTestThread {
        try await TestServer.with { server in
            server.route("/a", .redirect(302, to: "/b"))
            server.route("/b", .redirect(301, to: "/a"))
            for i in 0..<6 { server.route("/hop\(i)", .redirect(302, to: "/hop\(i + 1)")) }
            server.route("/hop6", .feed(oneItem))
            for i in 0..<5 { server.route("/ok\(i)", .redirect(307, to: "/ok\(i + 1)")) }
            server.route("/ok5", .feed(oneItem))
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                let loop = await fetcher.fetch(FeedRequest(url: server.url("/a")))
                #expect(loop.failure == .redirectLoop)
                #expect(loop.failure?.description == "redirect loop")
                let long = await fetcher.fetch(FeedRequest(url: server.url("/hop0")))
                #expect(long.failure == .tooManyRedirects(limit: 5))
                let five = await fetcher.fetch(FeedRequest(url: server.url("/ok0")))
                #expect(five.fetched?.finalURL == server.url("/ok5"))
            }
        }
        }
    }

    @Test("A redirect without a usable Location is an error in words, the server's text made terminal-safe")
    func badLocation() async throws {
        try await onTestThread {
        try await TestServer.with { server in
            server.route("/none", .send(status: 302))
            // An escape cannot even be sent (NIO refuses control characters in a header); a bidi override can.
            server.route("/evil", .redirect(301, to: "gopher://x/\u{202E}txt.exe"))
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                #expect(await fetcher.fetch(FeedRequest(url: server.url("/none"))).failure == .badRedirect("HTTP 302 without a Location"))
                let evil = await fetcher.fetch(FeedRequest(url: server.url("/evil"))).failure?.description ?? ""
                #expect(evil.hasPrefix("HTTP 301 to a URL that cannot be fetched: "))
                #expect(evil.contains("⟨U+202E⟩"))
                #expect(!evil.contains("\u{202E}"))
            }
        }
        }
    }

    @Test("429 and 503 with Retry-After in seconds or as an HTTP date: not before then")
    func retryAfter() async throws {
        try await onTestThread {
        let clock = ManualClock(start: 1_796_180_400_000)  // 2026-12-02T03:00:00Z
        try await TestServer.with { server in
            server.route("/seconds", .send(status: 429, headers: [("Retry-After", "120")]))
            server.route("/date", .send(status: 503, headers: [("Retry-After", "Wed, 02 Dec 2026 04:30:00 GMT")]))
            server.route("/past", .send(status: 429, headers: [("Retry-After", "Tue, 01 Dec 2026 04:30:00 GMT")]))
            server.route("/none", .send(status: 503))
            try await FeedFetcher.withFetcher(configuration(), now: clock.nowFunction) { fetcher in
                let s = await fetcher.fetch(FeedRequest(url: server.url("/seconds")))
                #expect(s == .rateLimited(until: clock.now.adding(milliseconds: 120_000), status: 429))
                let d = await fetcher.fetch(FeedRequest(url: server.url("/date")))
                #expect(d == .rateLimited(until: clock.now.adding(milliseconds: 90 * 60_000), status: 503))
                let p = await fetcher.fetch(FeedRequest(url: server.url("/past")))
                #expect(p == .rateLimited(until: clock.now, status: 429))
                let n = await fetcher.fetch(FeedRequest(url: server.url("/none")))
                #expect(n.failure?.description == "HTTP 503")
            }
        }
        }
    }

    @Test("500 is a failure that says its status")
    func serverError() async throws {
        try await onTestThread {
        try await TestServer.with { server in
            server.route("/feed", .send(status: 500, body: Array("oops".utf8)))
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                let r = await fetcher.fetch(FeedRequest(url: server.url("/feed")))
                #expect(r.failure?.description == "HTTP 500")
            }
        }
        }
    }

    @Test("A server that never answers is cut off at the timeout")
    func hangingServer() async throws {
        try await onTestThread {
        try await TestServer.with { server in
            server.route("/feed", .hang)
            try await FeedFetcher.withFetcher(configuration(timeout: .milliseconds(500))) { fetcher in
                let (r, took) = await elapsed { await fetcher.fetch(FeedRequest(url: server.url("/feed"))) }
                #expect(r.failure == .timedOut(.milliseconds(500)))
                #expect(r.failure?.description == "timed out after 0.5s")
                #expect(took >= .milliseconds(450) && took < .seconds(10))
            }
        }
        }
    }

    @Test("A server that drips its body a byte at a time is cut off at the timeout, not at the end of the body")
    func slowDrip() async throws {
        try await onTestThread {
        try await TestServer.with { server in
            // 600 bytes at one per 10 ms would take 6 s; every gap is far under the timeout.
            server.route("/feed", .drip(status: 200, body: Array(String(repeating: " ", count: 500).utf8) + Array(oneItem.utf8.prefix(100)),
                                        every: .milliseconds(10)))
            try await FeedFetcher.withFetcher(configuration(timeout: .seconds(1))) { fetcher in
                let (r, took) = await elapsed { await fetcher.fetch(FeedRequest(url: server.url("/feed"))) }
                #expect(r.failure == .timedOut(.seconds(1)))
                #expect(r.failure?.description == "timed out after 1s")
                #expect(took >= .milliseconds(950) && took < .seconds(10))
            }
        }
        }
    }

    @Test("A body over the limit is cut off, with or without a Content-Length")
    func bodyOverLimit() async throws {
        try await onTestThread {
        let big = Array(Feeds.rss(items: (0..<100).map { ("id\($0)", "Headline \($0) padded with words", $0) }).utf8)
        #expect(big.count > 4096)
        try await TestServer.with { server in
            server.route("/length", .send(status: 200, body: big))
            server.route("/chunked", .chunks(status: 200, chunks: stride(from: 0, to: big.count, by: 1000).map { Array(big[$0..<min($0 + 1000, big.count)]) }))
            server.route("/fits", .send(status: 200, body: Array(big.prefix(4096))))
            try await FeedFetcher.withFetcher(configuration(maxBodyBytes: 4096)) { fetcher in
                for path in ["/length", "/chunked"] {
                    let r = await fetcher.fetch(FeedRequest(url: server.url(path)))
                    #expect(r.failure == .tooLarge(limit: 4096), "\(path)")
                    #expect(r.failure?.description == "body over 4 KiB")
                }
                #expect(await fetcher.fetch(FeedRequest(url: server.url("/fits"))).fetched?.bytes.count == 4096)
            }
        }
        #expect(FetchFailure.tooLarge(limit: 32 << 20).description == "body over 32 MiB")
        }
    }

    @Test("An HTML page is not a feed, whatever its Content-Type says")
    func htmlPage() async throws {
        try await onTestThread {
        try await TestServer.with { server in
            server.route("/html", .feed(Feeds.html, type: "text/html; charset=utf-8"))
            server.route("/lying", .feed(Feeds.html, type: "application/rss+xml"))
            server.route("/empty", .send(status: 200))
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                for path in ["/html", "/lying"] {
                    let r = await fetcher.fetch(FeedRequest(url: server.url(path)))
                    #expect(r.failure?.description == "an HTML page, not a feed", "\(path)")
                }
                #expect(await fetcher.fetch(FeedRequest(url: server.url("/empty"))).failure?.description == "an empty response, not a feed")
            }
        }
        }
    }

    @Test("A feed served with a wrong Content-Type is still read: the content decides")
    func wrongContentType() async throws {
        try await onTestThread {
        try await TestServer.with { server in
            server.route("/feed", .feed(oneItem, type: "text/html"))
            server.route("/bin", .feed(oneItem, type: "application/octet-stream"))
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                for path in ["/feed", "/bin"] {
                    let feed = try #require(await fetcher.fetch(FeedRequest(url: server.url(path))).fetched)
                    let doc = try FeedParser.parse(bytes: feed.bytes, readTime: Timestamp(milliseconds: 0), charset: feed.charset)
                    #expect(doc.items.map(\.title) == ["First"])
                }
            }
        }
        }
    }

    @Test("The charset of the Content-Type is passed on for a document that names none")
    func charsetFromHeader() async throws {
        try await onTestThread {
        // "Привет" in windows-1251: read without the header's charset, it is windows-1252 mojibake.
        let cp1251: [UInt8] = [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2]
        let body = Array("<rss version=\"2.0\"><channel><title>T</title><item><guid>1</guid><title>".utf8) + cp1251
            + Array("</title></item></channel></rss>".utf8)
        try await TestServer.with { server in
            server.route("/feed", .send(status: 200, headers: [("Content-Type", "application/rss+xml; charset=\"windows-1251\"")], body: body))
            try await FeedFetcher.withFetcher(configuration()) { fetcher in
                let feed = try #require(await fetcher.fetch(FeedRequest(url: server.url("/feed"))).fetched)
                #expect(feed.charset == "windows-1251")
                let doc = try FeedParser.parse(bytes: feed.bytes, readTime: Timestamp(milliseconds: 0), charset: feed.charset)
                #expect(doc.items.first?.title == "Привет")
                #expect(doc.encoding == "WINDOWS-1251")
                let without = try FeedParser.parse(bytes: feed.bytes, readTime: Timestamp(milliseconds: 0))
                #expect(without.items.first?.title != "Привет")
            }
        }
        // The document's own declaration wins over the header.
        let declared = Array("<?xml version=\"1.0\" encoding=\"windows-1251\"?>".utf8) + body
        let doc = try FeedParser.parse(bytes: declared, readTime: Timestamp(milliseconds: 0), charset: "iso-8859-1")
        #expect(doc.items.first?.title == "Привет")
        }
    }

    @Test("A refused connection and a URL that is not http are failures in words")
    func connectionFailures() async throws {
        try await onTestThread {
        let port = try await TestServer.with { $0.port }  // stopped: nothing listens there now
        try await FeedFetcher.withFetcher(configuration(timeout: .seconds(3))) { fetcher in
            let refused = await fetcher.fetch(FeedRequest(url: "http://127.0.0.1:\(port)/feed"))
            #expect(refused.failure == .connection("connection refused"))
            let ftp = await fetcher.fetch(FeedRequest(url: "ftp://127.0.0.1/feed"))
            #expect(ftp.failure == .invalidURL("ftp://127.0.0.1/feed"))
        }
        }
    }

    @Test("http_proxy carries http requests (AHC tunnels them with CONNECT); a host in no_proxy goes direct")
    func proxy() async throws {
        try await onTestThread {
        try await TestServer.with { proxy in
            try await TestServer.with { origin in
                // The "proxy" refuses every tunnel: the fetch fails, and no name is ever resolved.
                proxy.route("feeds.invalid:80", .send(status: 403))
                origin.route("/feed", .feed(oneItem))
                let settings = ProxySettings.fromEnvironment(["http_proxy": "http://127.0.0.1:\(proxy.port)", "no_proxy": "localhost, 127.0.0.1"])
                try await FeedFetcher.withFetcher(configuration(proxies: settings)) { fetcher in
                    let viaProxy = await fetcher.fetch(FeedRequest(url: "http://feeds.invalid/feed"))
                    #expect(viaProxy.failure == .connection("the proxy refused the request"))
                    let direct = await fetcher.fetch(FeedRequest(url: origin.url("/feed")))
                    #expect(direct.fetched?.bytes == Array(oneItem.utf8))
                }
                #expect(proxy.requests().map(\.uri) == ["feeds.invalid:80"])
                #expect(origin.requests().count == 1)
            }
        }
        }
    }

    @Test("The fetcher's clients are shut down when its body throws, and the error comes through")
    func shutdownOnThrow() async throws {
        try await onTestThread {
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await FeedFetcher.withFetcher(configuration()) { _ in throw Boom() }
        }
        }
    }
}
