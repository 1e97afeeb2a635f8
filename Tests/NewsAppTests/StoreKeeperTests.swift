import Foundation
import NewsCore
import NewsFetch
import NewsStore
import NewsUI
import Testing
@testable import NewsApp

/// A store in a fresh temporary folder (a real SQLite file).
func temporaryStore(clock: @escaping @Sendable () -> Timestamp = { t0 }) throws -> HeadlineStore {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newsapp-store-\(UUID().uuidString)")
    return try HeadlineStore(path: dir.appendingPathComponent("newsdesk.db").path, clock: clock)
}

/// The live runs' use of the store (issue 13): committed before shown, seen items left out.
@Suite struct StoreKeeperTests {
    @Test("A batch is stored; what the store had seen is left out of what is shown, unless --all, and then it carries its marks")
    func seenItemsAreLeftOut() throws {
        let store = try temporaryStore()
        let keeper = StoreKeeper(store: store)
        let first = [arrival(1, at: 0), arrival(2, at: 10, source: "world")]
        #expect(try keeper.commit(first).map(\.headline.id) == ["tech-1", "world-2"])
        #expect(try store.count() == 2)
        try store.setRead([ItemKey(feed: "tech", id: "tech-1")], true)
        try store.setStarred(ItemKey(feed: "world", id: "world-2"), true)
        let again = [arrival(1, at: 20), arrival(3, at: 30), arrival(2, at: 40, source: "world")]
        #expect(try keeper.commit(again).map(\.headline.id) == ["tech-3"])
        let all = try keeper.commit(again, keepSeen: true)
        #expect(all.map(\.headline.id) == ["tech-1", "tech-3", "world-2"])
        #expect(all.map(\.marks) == [.read, [], .starred])
        #expect(try store.count() == 3)
    }

    @Test("An update (a title changed) is shown with its stored marks, and the store takes the new title")
    func updatesAreShown() throws {
        let store = try temporaryStore()
        let keeper = StoreKeeper(store: store)
        _ = try keeper.commit([arrival(1, at: 0)])
        try store.setRead([ItemKey(feed: "tech", id: "tech-1")], true)
        var changed = arrival(1, at: 5)
        changed.headline.title = "Headline 1, corrected"
        changed.isUpdate = true
        let shown = try keeper.commit([changed])
        #expect(shown.count == 1 && shown[0].marks == .read && shown[0].isUpdate)
        #expect(try store.recent(limit: 5).map(\.headline.title) == ["Headline 1, corrected"])
    }

    @Test("Sources left unstored (the simulated ones beside feeds, no --store) pass by, and the store never sees them")
    func unstoredSources() throws {
        let store = try temporaryStore()
        let keeper = StoreKeeper(store: store, unstored: ["tech"])
        let batch = [arrival(1, at: 0), arrival(2, at: 1, source: "feed")]
        #expect(try keeper.commit(batch).count == 2)
        #expect(try keeper.commit(batch).map(\.headline.id) == ["tech-1"])
        #expect(try store.feeds() == ["feed"])
    }

    @Test("The view's first arrivals are the newest stored headlines, oldest first, with their marks, dated when first seen")
    func history() throws {
        let store = try temporaryStore(clock: { t0.adding(milliseconds: -60_000) })
        let keeper = StoreKeeper(store: store)
        _ = try keeper.commit((0..<5).map { arrival($0, at: Int64($0) * 1000) })
        try store.setStarred(ItemKey(feed: "tech", id: "tech-4"), true)
        let arrivals = try keeper.history(limit: 3, start: t0)
        #expect(arrivals.map(\.headline.id) == ["tech-2", "tech-3", "tech-4"])
        #expect(arrivals.map(\.marks) == [[], [], .starred])
        #expect(arrivals.allSatisfy { $0.offset == -60_000 })
    }

    @Test("Marks are written in order, off the caller's thread; flush waits for them")
    func marksInOrder() throws {
        let store = try temporaryStore()
        let keeper = StoreKeeper(store: store)
        _ = try keeper.commit([arrival(1, at: 0), arrival(2, at: 1)])
        let keys = [HeadlineKey(source: "tech", id: "tech-1"), HeadlineKey(source: "tech", id: "tech-2")]
        for i in 0..<20 { keeper.setRead(keys, i % 2 == 0, failed: { _ in Issue.record("a write failed") }) }
        keeper.setStarred(keys[1], true, failed: { _ in Issue.record("a write failed") })
        keeper.flush()
        #expect(try store.unreadCount() == 2)  // the last of the twenty said unread
        #expect(try store.recent(limit: 2).map(\.starred) == [false, true])
    }

    @Test("--keep: a time prunes what is older, a count keeps the newest; neither touches starred headlines")
    func retention() throws {
        #expect(Retention("30d") == .age(milliseconds: 30 * 86_400_000))
        #expect(Retention("12h") == .age(milliseconds: 12 * 3_600_000))
        #expect(Retention("500") == .count(500))
        for bad in ["", "3x", "-1d", "0s", "0", "99999999999999999999"] { #expect(Retention.problem(bad) != nil, "\(bad)") }
        let store = try temporaryStore()
        _ = try StoreKeeper(store: store).commit((0..<10).map { arrival($0, at: Int64($0) * 86_400_000) })
        try store.setStarred(ItemKey(feed: "tech", id: "tech-0"), true)
        // As of day 9: older than 5 days is days 0-3 (day 4 is exactly 5 days old); the starred day 0 stays.
        #expect(try Retention.age(milliseconds: 5 * 86_400_000).prune(store, now: t0.adding(milliseconds: 9 * 86_400_000)) == 3)
        #expect(try Retention.count(2).prune(store, now: t0) == 4)
        #expect(try store.recent(limit: 10).map(\.headline.id) == ["tech-0", "tech-8", "tech-9"])
    }
}

/// The live view on a store.
@MainActor
@Suite struct StoreSessionTests {
    @Test("The view opens on the stored history before any source has sent a thing; a source's seen items are not shown twice")
    func opensOnStoredHistory() async throws {
        let store = try temporaryStore(clock: { t0.adding(milliseconds: -3_600_000) })
        let keeper = StoreKeeper(store: store)
        _ = try keeper.commit([arrival(1, at: 0), arrival(2, at: 1)])
        // The source sends the two stored items again, then a new one.
        let source = ArraySource(name: "tech", batches: [[arrival(1, at: 0), arrival(2, at: 0)], [arrival(3, at: 5)]])
        var settings = LiveSettings(sources: [source], start: t0, clock: .virtual, merge: MergeOptions(endOffset: 60_000),
                                    historyCapacity: 100, filter: nil, staleAfter: 30_000, recorder: nil)
        settings.keeper = keeper
        let screen = MemoryScreen()
        let session = LiveSession(settings)
        let run = Task { try await session.run(on: screen, watchSignals: false) }
        try await eventually("the first frame") { screen.frame != nil }
        let text = screen.lines.joined(separator: "\n")
        #expect(text.contains("Headline 1") && text.contains("Headline 2"), "\(text)")
        let loop = try #require(session.loopForTests)
        try await eventually("the new headline") { loop.state.history.count == 3 }
        try await eventually("the feed's end") { loop.state.feedEnded }
        #expect((0..<3).map { loop.state.history.title($0) } == ["Headline 1", "Headline 2", "Headline 3"])
        screen.type([.char("q")])
        #expect(try await run.value == 0)
        #expect(try store.count() == 3)
    }

    @Test("A store that cannot be opened: the view runs without it and its status line says why")
    func storeProblemOnTheStatusLine() async throws {
        var settings = LiveSettings(sources: [], start: t0, clock: .virtual, merge: MergeOptions(endOffset: 1000),
                                    historyCapacity: 100, filter: nil, staleAfter: 30_000, recorder: nil)
        settings.storeProblem = "store /x/newsdesk.db: read-only"
        let screen = MemoryScreen()
        let session = LiveSession(settings)
        let run = Task { try await session.run(on: screen, watchSignals: false) }
        try await eventually("the first frame") { screen.frame != nil }
        #expect(screen.lines.last?.contains("not kept: store /x/newsdesk.db: read-only") == true, "\(screen.lines)")
        screen.type([.char("q")])
        #expect(try await run.value == 0)
    }
}

/// A source that sends fixed batches, then ends.
struct ArraySource: HeadlineSource {
    let name: String
    let batches: [[Arrival]]
    var timing: SourceTiming { .scheduled }
    func makeAsyncIterator() -> Iterator { Iterator(batches: batches[...]) }
    struct Iterator: AsyncIteratorProtocol {
        var batches: ArraySlice<[Arrival]>
        mutating func next() async throws -> [Arrival]? { batches.popFirst() }
    }
}

/// The HTTP feeds' state across runs, in the store.
@Suite struct StoreFeedStateTests {
    @Test("After a restart the first poll is conditional, asks where the feed moved, and waits out a Retry-After")
    func firstPollAfterRestart() throws {
        let store = try temporaryStore()
        let url = "http://127.0.0.1:1/feed.xml", moved = "http://127.0.0.1:1/new.xml"
        let state = StoreFeedState(store: store)
        #expect(state.start("bbc", url: url) == FeedStart(url: url))
        state.record("bbc", .fetched(newItems: 3, items: 3, validators: Validators(etag: "\"v1\"", lastModified: "Thu, 01 Jan 2026 10:00:00 GMT"),
                                     nextPoll: t0.adding(milliseconds: 60_000)), at: t0)
        state.record("bbc", .movedPermanently(from: url, to: moved), at: t0)
        state.record("bbc", .rateLimited(status: 429, until: t0.adding(milliseconds: 600_000)), at: t0.adding(milliseconds: 1000))

        // A new run, a new instance on the same file.
        let again = StoreFeedState(store: try HeadlineStore(path: store.path, clock: { t0 }))
        let start = again.start("bbc", url: url)
        #expect(start.url == moved)
        #expect(start.validators == Validators(etag: "\"v1\"", lastModified: "Thu, 01 Jan 2026 10:00:00 GMT"))
        #expect(start.notBefore == t0.adding(milliseconds: 600_000))
        let record = try #require(try store.feedState(feed: "bbc"))
        #expect(record.lastSuccess == t0 && record.lastAttempt == t0.adding(milliseconds: 1000) && record.lastError == "HTTP 429")
        // A subscription changed by hand is not overridden by the old move.
        #expect(again.start("bbc", url: "http://127.0.0.1:1/other.xml").url == "http://127.0.0.1:1/other.xml")
        // A chain of moves is followed from the subscribed URL to the last one.
        again.record("bbc", .movedPermanently(from: moved, to: "http://127.0.0.1:1/newest.xml"), at: t0)
        #expect(again.start("bbc", url: url).url == "http://127.0.0.1:1/newest.xml")
        // A success ends the wait.
        again.record("bbc", .notModified(validators: Validators(etag: "\"v2\""), nextPoll: t0), at: t0.adding(milliseconds: 700_000))
        #expect(again.start("bbc", url: url).notBefore == nil)
        #expect(again.start("bbc", url: url).validators.etag == "\"v2\"")
    }
}
