import Foundation
import NewsCore
import Testing
@testable import NewsFetch

/// The fetcher newsdesk uses: NewsHTTP's behind the plugin's C interface
/// (libNewsdeskHTTP.so, built by `swift build` next to the test bundle).
@Suite("The HTTP plugin", .timeLimit(.minutes(2)))
struct PluginFetcherTests {
    @Test("the wire keeps every kind of result, a body's bytes as they are")
    func wireRoundTrip() throws {
        let body: [UInt8] = Array("<rss>\u{0}\u{ff}".utf8) + [0, 255, 10]
        let results: [FetchResult] = [
            .ok(FetchedFeed(bytes: body, validators: Validators(etag: "\"x\"", lastModified: "Tue, 01 Dec 2026 10:00:00 GMT"),
                            finalURL: "http://127.0.0.1/f", permanentRedirect: "http://127.0.0.1/g", mediaType: "application/rss+xml",
                            charset: "iso-8859-1", maxAge: .seconds(600))),
            .ok(FetchedFeed(bytes: [], validators: Validators(), finalURL: "http://127.0.0.1/empty")),
            .notModified(NotModified(validators: Validators(etag: "e"), finalURL: "http://127.0.0.1/f", maxAge: nil)),
            .rateLimited(until: Timestamp(milliseconds: 1_800_000_000_123), status: 429),
            .failed(.timedOut(.milliseconds(1500))), .failed(.status(500)), .failed(.cancelled),
            .failed(.connection("connection refused")), .failed(.tooLarge(limit: 100)),
        ]
        for result in results {
            let bytes = FetchWire.encode(result: result)
            #expect(bytes.withUnsafeBytes { FetchWire.decodeResult($0) } == result)
        }
        #expect([UInt8]([1, 0]).withUnsafeBytes { FetchWire.decodeResult($0) } == .failed(.connection("the HTTP plugin sent a broken answer")))
        #expect([UInt8]([200, 0, 0, 0, 1]).withUnsafeBytes { FetchWire.decodeResult($0) } == .failed(.connection("the HTTP plugin sent a broken answer")))
    }

    @Test("through the plugin: 200 with its validators, then 304, over the loopback server")
    func fetchesThroughThePlugin() async throws {
        try await onTestThread {
        try await TestServer.with { server in
            let feed = Feeds.rss(items: [("a", "First", 10)])
            server.sequence("/feed", [.feed(feed, headers: [("ETag", "\"1\"")]), .send(status: 304, headers: [("ETag", "\"1\"")])])
            try await PluginFetcher.withFetcher(configuration()) { fetcher in
                let first = await fetcher.fetch(FeedRequest(url: server.url("/feed")))
                let fetched = try #require(first.fetched)
                #expect(fetched.bytes == Array(feed.utf8))
                #expect(fetched.validators.etag == "\"1\"")
                let second = await fetcher.fetch(FeedRequest(url: server.url("/feed"), validators: fetched.validators))
                #expect(second.notModified?.validators.etag == "\"1\"")
            }
            #expect(server.requests("/feed").map { $0.header("if-none-match") } == [nil, "\"1\""])
        }
        }
    }

    @Test("a fetch cancelled while the server hangs ends at once as cancelled, and closing the plugin does not wait for it")
    func cancelThroughThePlugin() async throws {
        try await onTestThread {
        try await TestServer.with { server in
            server.route("/hang", .hang)
            try await PluginFetcher.withFetcher(configuration(timeout: .seconds(300))) { fetcher in
                let task = Task { await fetcher.fetch(FeedRequest(url: server.url("/hang"))) }
                while server.requests("/hang").isEmpty { try await Task.sleep(for: .milliseconds(10)) }
                task.cancel()
                #expect(await task.value == .failed(.cancelled))
            }
        }
        }
    }

    @Test("a plugin that is not there is a clear error naming the file")
    func missingPlugin() throws {
        #expect(throws: PluginError.self) { try PluginFetcher.Library.load(path: "/nonexistent/libNewsdeskHTTP.so") }
        do {
            _ = try PluginFetcher.Library.load(path: "/nonexistent/libNewsdeskHTTP.so")
        } catch {
            #expect(error.description.contains("/nonexistent/libNewsdeskHTTP.so"))
        }
    }
}
