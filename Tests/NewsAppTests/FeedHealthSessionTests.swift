import Foundation
import NewsCore
import NewsFeeds
import NewsFetch
import NewsUI
import Testing
@testable import NewsApp

/// The sources screen's wiring in the live view: an HTTP feed's events reach the state
/// through the one queue, and R reaches the run's FeedRefresh.
@MainActor
@Suite struct FeedHealthSessionTests {
    @Test func feedEventsReachTheStateAndRRefreshes() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newsapp-health-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("wire.xml").path
        try #"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid>a</guid><title>A story</title></item></channel></rss>"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        // A file stands in for the feed's headlines; its health comes from the events.
        let sources: [any HeadlineSource] = [FeedFileSource(name: "wire", path: file, now: { t0 })]
        var settings = LiveSettings(sources: sources, start: t0, clock: .scaled(1), merge: MergeOptions(),
                                    historyCapacity: 100, filter: nil, staleAfter: 30_000, recorder: nil)
        let events = FeedEvents(now: { t0 })
        let refresh = FeedRefresh()
        settings.feeds = ["wire"]
        settings.feedEvents = events
        settings.refresh = refresh
        let session = LiveSession(settings)
        let screen = MemoryScreen()
        let run = Task { try await session.run(on: screen, watchSignals: false) }
        try await eventually("input started") { screen.listening }
        let loop = try #require(session.loopForTests)
        #expect(loop.state.config.feeds == ["wire"])
        events.onEvent("wire", .movedPermanently(from: "http://a.test/", to: "http://b.test/feed"))
        events.onEvent("wire", .fetched(newItems: 1, items: 1, validators: Validators(), nextPoll: t0.adding(milliseconds: 900_000)))
        try await eventually("the health in the state") { loop.state.health["wire"]?.status == .ok }
        #expect(loop.state.health["wire"]?.movedTo == "http://b.test/feed" && loop.state.health["wire"]?.items == 1)
        // R: the session asks the refresh, which ends a wait for the feed's next poll.
        let done = Protected(false)
        let waiting = Task.detached {
            let refreshed = try await refresh.sleep("wire", for: .seconds(3600)) { try await Task.sleep(for: $0) }
            done.withLock { $0 = true }
            return refreshed
        }
        defer { waiting.cancel() }
        // A refresh asked before the wait starts is (rightly) not kept: R until it ends the wait.
        try await eventually("R ends the wait") {
            if !done.withLock({ $0 }) { screen.type([.char("R")]) }
            return done.withLock { $0 }
        }
        #expect(try await waiting.value == true)
        #expect(loop.state.message?.text == "refreshing wire")
        screen.type([.char("q")])
        #expect(try await run.value == 0)
    }

    @Test func plainModeLine() {
        #expect(FeedEvents.plainMessage("lwn", .movedPermanently(from: "http://a/", to: "https://b/rss"))
                == "lwn: moved permanently to https://b/rss (update the subscription)")
        #expect(FeedEvents.plainMessage("lwn", .failed(reason: "HTTP 500", nextPoll: t0)) == nil)
        #expect(FeedEvents.update(.rateLimited(status: 503, until: t0), at: t0) == .rateLimited(status: 503, at: t0, until: t0))
    }
}
