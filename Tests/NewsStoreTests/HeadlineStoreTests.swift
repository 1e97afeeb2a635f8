import Foundation
import GRDB
import NewsCore
import Testing
@testable import NewsStore

@Suite struct HeadlineStoreTests {
    // MARK: Opening, migrations

    @Test func migratesAnEmptyStoreAndReopensWithEverything() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        do {
            let store = try openStore(path)
            #expect(try store.recent(limit: 10).isEmpty)
            #expect(try store.unreadCount() == 0)
            try store.insert([headline("a", "Alpha", at: 1), headline("b", "Beta", at: 2)], feed: "bbc")
        }
        let again = try openStore(path)
        #expect(try again.recent(limit: 10).map(\.headline.title) == ["Alpha", "Beta"])
        let version = try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(version == Int(Schema.version))
        let journal = try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
    }

    @Test func aStoreFromANewerSchemaVersionIsAClearError() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        _ = try openStore(path)
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "PRAGMA user_version = \(Schema.version + 1)") }
        #expect(storeErrorKind { _ = try openStore(path) } == .newerSchema)
    }

    @Test func aStoreWithAnUnknownMigrationIsAClearError() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        _ = try openStore(path)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v\(Schema.version + 1)')")
        }
        do {
            _ = try openStore(path)
            Issue.record("opened a store migrated by a newer version")
        } catch let error as StoreError {
            #expect(error.kind == .newerSchema)
            #expect(error.exitStatus == 74)
            #expect(error.description.contains("newer newsdesk"))
        }
    }

    @Test func missingFoldersAreCreatedPrivate() throws {
        let dir = TempFolder()
        let path = dir.file("a/b/c/news.db")
        let store = try openStore(path)
        try store.insert([headline("a", "Alpha", at: 1)], feed: "bbc")
        #expect(FileManager.default.fileExists(atPath: path))
        let mode = try FileManager.default.attributesOfItem(atPath: dir.file("a/b"))[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }

    @Test func defaultPathFollowsXDG() {
        #expect(HeadlineStore.defaultPath(environment: ["XDG_DATA_HOME": "/x/data", "HOME": "/home/p"]) == "/x/data/newsdesk/newsdesk.db")
        #expect(HeadlineStore.defaultPath(environment: ["HOME": "/home/p"]) == "/home/p/.local/share/newsdesk/newsdesk.db")
        // A relative XDG_DATA_HOME is ignored (XDG base directory spec).
        #expect(HeadlineStore.defaultPath(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/p/"]) == "/home/p/.local/share/newsdesk/newsdesk.db")
        #expect(HeadlineStore.defaultPath(environment: [:]) == nil)
    }

    // MARK: Inserting

    @Test func insertSaysWhatIsNewAndKeyIsFeedAndID() throws {
        let dir = TempFolder()
        let store = try openStore(dir.file("news.db"))
        #expect(try store.insert([headline("1", "One", at: 1), headline("2", "Two", at: 2)], feed: "bbc") == [true, true])
        // Same ids again, one new; a duplicate inside a batch is new only the first time.
        #expect(try store.insert([headline("2", "Two", at: 2), headline("3", "Three", at: 3), headline("3", "Three", at: 3)], feed: "bbc") == [false, true, false])
        // The same id in another feed is another headline.
        #expect(try store.insert([headline("1", "One elsewhere", at: 4, source: "npr")], feed: "npr") == [true])
        #expect(try store.count() == 4)
        #expect(try store.insert([], feed: "bbc") == [])
        let recent = try store.recent(limit: 10)
        #expect(recent.map(\.key) == [
            ItemKey(feed: "bbc", id: "1"), ItemKey(feed: "bbc", id: "2"),
            ItemKey(feed: "bbc", id: "3"), ItemKey(feed: "npr", id: "1"),
        ])
        #expect(recent.allSatisfy { !$0.read && !$0.starred })
    }

    @Test func aChangedTitleIsUpdatedInPlaceKeepingMarks() throws {
        let dir = TempFolder()
        let clock = TestClock()
        let store = try openStore(dir.file("news.db"), clock: clock)
        try store.insert([headline("1", "Old title", at: 10), headline("2", "Other", at: 20)], feed: "bbc")
        try store.setRead([ItemKey(feed: "bbc", id: "1")], true)
        try store.setStarred(ItemKey(feed: "bbc", id: "1"), true)
        clock.advance(60_000)
        var changed = headline("1", "New title", at: 99, summary: "now with a summary")
        changed.url = "https://example.org/1"
        #expect(try store.insert([changed], feed: "bbc") == [false])
        let item = try #require(try store.recent(limit: 10).first { $0.headline.id == "1" })
        #expect(item.headline.title == "New title")
        #expect(item.headline.summary == "now with a summary")
        #expect(item.headline.url == "https://example.org/1")
        #expect(item.read && item.starred)
        // The first-seen and published times are the first ones.
        #expect(item.firstSeen == Timestamp(milliseconds: 1_780_000_000_000))
        #expect(item.headline.published == Timestamp(milliseconds: 10))
        // The search index follows the title.
        #expect(try store.search("new", limit: 10).map(\.headline.id) == ["1"])
        #expect(try store.search("old", limit: 10).isEmpty)
    }

    @Test func headlinesComeBackWhole() throws {
        let dir = TempFolder()
        let store = try openStore(dir.file("news.db"))
        let full = Headline(
            id: "x", source: "Imported column", title: "T\u{1B}[31m with\ncontrol", published: Timestamp(milliseconds: -5),
            outlet: "Outlet", summary: "Sum", url: "https://u", note: "the date could not be read")
        let plain = Headline(id: "y", source: "feed", title: "Plain", published: Timestamp(milliseconds: 7))
        try store.insert([full, plain], feed: "feed")
        let back = try store.recent(limit: 5)
        #expect(back.map(\.headline) == [full, plain])
        #expect(back.map(\.feed) == ["feed", "feed"])
    }

    @Test func recentIsTheNewestByPublishedOldestFirst() throws {
        let dir = TempFolder()
        let store = try openStore(dir.file("news.db"))
        try store.insert([headline("c", "C", at: 30), headline("a", "A", at: 10), headline("d", "D", at: 40)], feed: "bbc")
        try store.insert([headline("b", "B", at: 20, source: "npr")], feed: "npr")
        #expect(try store.recent(limit: 3).map(\.headline.id) == ["b", "c", "d"])
        #expect(try store.recent(limit: 0).isEmpty)
    }

    // MARK: Read and starred

    @Test func readAndStarredPersistAcrossReopen() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        do {
            let store = try openStore(path)
            try store.insert((0..<5).map { headline("\($0)", "Title \($0)", at: Int64($0)) }, feed: "bbc")
            #expect(try store.unreadCount() == 5)
            try store.setRead([ItemKey(feed: "bbc", id: "1"), ItemKey(feed: "bbc", id: "2"), ItemKey(feed: "nope", id: "1"), ItemKey(feed: "bbc", id: "zz")], true)
            try store.setRead([ItemKey(feed: "bbc", id: "2")], true)  // twice: counted once
            try store.setStarred(ItemKey(feed: "bbc", id: "4"), true)
            #expect(try store.unreadCount() == 3)
        }
        let store = try openStore(path)
        #expect(try store.unreadCount() == 3)
        let items = try store.recent(limit: 10)
        #expect(items.filter(\.read).map(\.headline.id) == ["1", "2"])
        #expect(items.filter(\.starred).map(\.headline.id) == ["4"])
        try store.setRead([ItemKey(feed: "bbc", id: "1")], false)
        try store.setStarred(ItemKey(feed: "bbc", id: "4"), false)
        #expect(try store.unreadCount() == 4)
        #expect(try store.recent(limit: 10).filter(\.starred).isEmpty)
        // Deleting unread items lowers the count; deleting read ones does not.
        #expect(try store.forget(feed: "bbc") == 5)
        #expect(try store.unreadCount() == 0)
    }

    @Test func twoInstancesSeeEachOthersMarks() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        let one = try openStore(path)
        let two = try openStore(path)
        try one.insert([headline("1", "One", at: 1)], feed: "bbc")
        try two.setRead([ItemKey(feed: "bbc", id: "1")], true)
        #expect(try one.recent(limit: 1).first?.read == true)
        #expect(try one.unreadCount() == 0)
    }

    // MARK: Concurrency

    @Test func twoInstancesWritingAtOnceBothSucceed() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        let stores = [try openStore(path), try openStore(path)]
        let failures = Protected<[String]>([])
        let group = DispatchGroup()
        for (n, store) in stores.enumerated() {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                for batch in 0..<50 {
                    let headlines = (0..<100).map { i in
                        headline("w\(n)-\(batch * 100 + i)", "Writer \(n) headline \(batch * 100 + i)", at: Int64(batch * 100 + i), source: "feed\(n % 2)")
                    }
                    do {
                        let new = try store.insert(headlines, feed: "feed\(n % 2)")
                        if new != Array(repeating: true, count: 100) { failures.withLock { $0.append("writer \(n): not all new") } }
                        // Mark some read too: writes of another kind in between.
                        try store.setRead([ItemKey(feed: "feed\(n % 2)", id: "w\(n)-\(batch * 100)")], true)
                    } catch {
                        failures.withLock { $0.append("writer \(n): \(error)") }
                        return
                    }
                }
            }
        }
        group.wait()
        #expect(failures.withLock { $0 } == [])
        let check = try openStore(path)
        #expect(try check.count() == 10_000)
        #expect(try check.unreadCount() == 10_000 - 100)
        #expect(try check.integrityCheck())
    }

    // MARK: Broken stores

    @Test func randomBytesAreACorruptStore() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var error: StoreError?
        do { _ = try openStore(path) } catch let e as StoreError { error = e }
        #expect(error?.kind == .corrupt)
        #expect(error?.exitStatus == 74)
        #expect(error?.description.contains(path) == true)
    }

    @Test func aTruncatedStoreIsCorrupt() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        do {
            let store = try openStore(path)
            var gen = RealisticHeadlines()
            for batch in 0..<5 {
                try store.insert((0..<200).map { i in
                    var h = gen.next(batch * 200 + i).0
                    h.source = "bbc"
                    return h
                }, feed: "bbc")
            }
            try store.checkpoint()
        }
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > 100_000)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(size / 2))
        try handle.close()
        // Opening may read only the schema: then the damage shows at the first read of a
        // lost page, and the integrity check says so.
        var kind: StoreError.Kind?
        do {
            let store = try openStore(path)
            #expect(try store.integrityCheck() == false)
            _ = try store.recent(limit: 1000)
            _ = try store.search("a", limit: 1000)
            _ = try store.prune(olderThan: nil, keepAtMost: 10)
        } catch let error as StoreError {
            kind = error.kind
        }
        #expect(kind == .corrupt)
    }

    @Test func aParentThatIsAFileCannotBeOpened() throws {
        let dir = TempFolder()
        _ = FileManager.default.createFile(atPath: dir.file("plain"), contents: Data("x".utf8))
        var error: StoreError?
        do { _ = try openStore(dir.file("plain/news.db")) } catch let e as StoreError { error = e }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.exitStatus == 73)
        #expect(storeErrorKind { _ = try openStore(dir.file("plain/sub/news.db")) } == .cannotOpen)
        // A folder where the file should be.
        try FileManager.default.createDirectory(atPath: dir.file("folder.db"), withIntermediateDirectories: false)
        #expect(storeErrorKind { _ = try openStore(dir.file("folder.db")) } == .cannotOpen)
    }

    // Root writes through file modes, so chmod cannot make a read-only store for a test
    // run as root (as this machine's runs are); the case runs for other users only.
    @Test(.enabled(if: getuid() != 0, "running as root: file modes do not stop root's writes"))
    func aReadOnlyStoreIsAClearError() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        do {
            let store = try openStore(path)
            try store.insert([headline("1", "One", at: 1)], feed: "bbc")
            try store.checkpoint()
        }
        chmod(path, 0o444)
        var kind = storeErrorKind {
            let store = try openStore(path)
            try store.insert([headline("2", "Two", at: 2)], feed: "bbc")
        }
        #expect(kind == .readOnly)
        chmod(path, 0o644)
        let folder = dir.file("locked")
        mkdir(folder, 0o700)
        chmod(folder, 0o500)
        kind = storeErrorKind { _ = try openStore(folder + "/news.db") }
        #expect(kind == .readOnly || kind == .cannotOpen)
        #expect(storeErrorKind { _ = try openStore(folder + "/sub/news.db") } == .readOnly)
    }

    // MARK: Retention

    @Test func pruneByAgeAndCountNeverRemovesStarred() throws {
        let dir = TempFolder()
        let store = try openStore(dir.file("news.db"))
        try store.insert((0..<10).map { headline("\($0)", "Title \($0)", at: Int64($0) * 1000) }, feed: "bbc")
        try store.setStarred(ItemKey(feed: "bbc", id: "0"), true)
        try store.setStarred(ItemKey(feed: "bbc", id: "5"), true)
        try store.saveFeedState(FeedRecord(name: "bbc", etag: "\"e\""))
        // Older than 3 s: 0, 1, 2 go but 0 is starred.
        #expect(try store.prune(olderThan: Timestamp(milliseconds: 3000), keepAtMost: nil) == 2)
        #expect(try store.recent(limit: 20).map(\.headline.id) == ["0", "3", "4", "5", "6", "7", "8", "9"])
        // The newest 3 (7, 8, 9) stay, and the starred ones.
        #expect(try store.prune(olderThan: nil, keepAtMost: 3) == 3)
        #expect(try store.recent(limit: 20).map(\.headline.id) == ["0", "5", "7", "8", "9"])
        #expect(try store.prune(olderThan: Timestamp(milliseconds: 8000), keepAtMost: 0) == 3)
        #expect(try store.recent(limit: 20).map(\.headline.id) == ["0", "5"])
        #expect(try store.prune(olderThan: nil, keepAtMost: nil) == 0)
        #expect(try store.unreadCount() == 2)
        #expect(try store.feedState(feed: "bbc")?.etag == "\"e\"")
        // What was pruned is new again, as it should be for a headline no longer kept.
        #expect(try store.insert([headline("1", "Title 1", at: 1000)], feed: "bbc") == [true])
    }

    @Test func forgetRemovesOneFeedOnly() throws {
        let dir = TempFolder()
        let store = try openStore(dir.file("news.db"))
        try store.insert([headline("1", "BBC one", at: 1), headline("2", "BBC two", at: 2)], feed: "bbc")
        try store.insert([headline("1", "NPR one", at: 3, source: "npr")], feed: "npr")
        try store.setStarred(ItemKey(feed: "bbc", id: "1"), true)
        try store.saveFeedState(FeedRecord(name: "bbc", etag: "x"))
        try store.saveFeedState(FeedRecord(name: "npr", etag: "y"))
        #expect(try store.forget(feed: "bbc") == 2)
        #expect(try store.forget(feed: "nothing") == 0)
        #expect(try store.recent(limit: 10).map(\.key) == [ItemKey(feed: "npr", id: "1")])
        #expect(try store.feedState(feed: "bbc") == nil)
        #expect(try store.feedState(feed: "npr")?.etag == "y")
        #expect(try store.feeds() == ["npr"])
        #expect(try store.search("one", limit: 10).map(\.feed) == ["npr"])
        #expect(try store.unreadCount() == 1)
    }

    // MARK: Search

    @Test func searchFindsWordsCaseInsensitivelyWithinLimit() throws {
        let dir = TempFolder()
        let store = try openStore(dir.file("news.db"))
        try store.insert([
            headline("1", "Election results in Zürich", at: 1),
            headline("2", "ELECTIONS: a recount", at: 2),
            headline("3", "Football final tonight", at: 3),
            headline("4", "Local election date set", at: 4),
            headline("5", "Weather", at: 5, summary: "no election here"),
        ], feed: "bbc")
        #expect(try store.search("election", limit: 10).map(\.headline.id) == ["4", "2", "1"])
        #expect(try store.search("ELECTION", limit: 2).map(\.headline.id) == ["4", "2"])
        #expect(try store.search("zurich", limit: 10).map(\.headline.id) == ["1"])
        #expect(try store.search("ZÜRICH results", limit: 10).map(\.headline.id) == ["1"])
        #expect(try store.search("election football", limit: 10).isEmpty)
        #expect(try store.search("nothing", limit: 10).isEmpty)
        // FTS5 syntax in the input is only words.
        #expect(try store.search("\"elect*(", limit: 10).map(\.headline.id) == ["4", "2", "1"])
        #expect(try store.search("elect NEAR(", limit: 10).isEmpty)
        #expect(try store.search("foot-ball", limit: 10).isEmpty)
        // No word: every headline is a candidate, the filter decides.
        #expect(try store.search("  -- ", limit: 2).map(\.headline.id) == ["5", "4"])
        // The filter is applied before the limit.
        #expect(try store.search("election", limit: 1, where: { $0.headline.title.hasPrefix("E") }).map(\.headline.id) == ["2"])
        #expect(try store.search("election", limit: 0).isEmpty)
    }

    // MARK: Health, feed state

    @Test func integrityCheckOnAFreshStore() throws {
        let dir = TempFolder()
        let store = try openStore(dir.file("news.db"))
        #expect(try store.integrityCheck())
        try store.insert([headline("1", "One", at: 1)], feed: "bbc")
        #expect(try store.integrityCheck())
    }

    @Test func feedStateRoundTrips() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        let record = FeedRecord(
            name: "bbc", etag: "W/\"abc\"", lastModified: "Wed, 02 Dec 2026 07:00:00 GMT",
            movedTo: "https://feeds.example.org/new", lastAttempt: Timestamp(milliseconds: 1_000),
            lastSuccess: Timestamp(milliseconds: 900), lastError: "HTTP 503", retryAfter: Timestamp(milliseconds: 5_000))
        do {
            let store = try openStore(path)
            #expect(try store.feedState(feed: "bbc") == nil)
            try store.saveFeedState(record)
            try store.insert([headline("1", "One", at: 1)], feed: "bbc")
        }
        let store = try openStore(path)
        #expect(try store.feedState(feed: "bbc") == record)
        let cleared = FeedRecord(name: "bbc", lastAttempt: Timestamp(milliseconds: 2_000))
        try store.saveFeedState(cleared)
        #expect(try store.feedState(feed: "bbc") == cleared)
        // Saving state leaves the feed's headlines alone.
        #expect(try store.count() == 1)
        #expect(try store.unreadCount() == 1)
    }
}
