import Foundation
import GRDB
import NewsCore
import Testing
@testable import NewsStore

/// Schema v2 (no insert trigger: the store indexes a batch's titles and counts its unread
/// itself) and the migration of a store a v1 newsdesk wrote.
@Suite struct SchemaV2Tests {
    /// The FTS5 index agrees with `items` (rank 1: checked against the content table);
    /// throws SQLITE_CORRUPT_VTAB when it does not.
    func ftsIntact(_ path: String) throws -> Bool {
        do {
            try DatabaseQueue(path: path).write { db in
                try db.execute(sql: "INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)")
            }
            return true
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
            return false
        }
    }

    /// A store as newsdesk with schema v1 left it: GRDB's migrator with v1 only, the rows
    /// written by v1's statements (the insert trigger indexing and counting), marks and feed
    /// state set.
    func writeV1Store(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        var v1 = DatabaseMigrator()
        v1.registerMigration("v1") { db in try db.execute(sql: Schema.v1) }
        try v1.migrate(queue)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO feeds (name, etag, last_modified, moved_to, last_attempt, last_success, last_error, retry_after) VALUES ('bbc', '\"e1\"', 'Tue, 01 Dec 2026 10:00:00 GMT', 'https://moved.example/rss', 100, 90, 'HTTP 503', 200)")
            try db.execute(sql: "INSERT INTO feeds (name) VALUES ('npr')")
            let rows: [(Int64, String, String, Int64, String?, String?)] = [
                (1, "b1", "Election night in Leeds", 1000, "BBC One", nil),
                (1, "b2", "Storm warning for the coast", 2000, nil, "Met Office"),
                (1, "b3", "Markets rally on rate hopes", 3000, nil, nil),
                (2, "n1", "Election recount ordered", 1500, "NPR News", nil),
            ]
            for (feed, id, title, published, outlet, source) in rows {
                try db.execute(sql: """
                    INSERT INTO items (feed_id, key_hash, published, first_seen, item_id, title, url, summary, outlet, note, source)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
                    """, arguments: [feed, Schema.keyHashV2(id), published, published + 7, id, title,
                                     "https://example.org/\(id)", id == "b1" ? "A summary" : nil, outlet, source])
            }
            try db.execute(sql: "UPDATE items SET read = 1 WHERE item_id IN ('b1', 'n1')")
            try db.execute(sql: "UPDATE items SET starred = 1 WHERE item_id = 'b2'")
        }
    }

    @Test func aV1StoreWithDataMigratesKeepingEveryHeadlineMarkAndFeedState() throws {
        let dir = TempFolder()
        let path = dir.file("v1.db")
        try writeV1Store(path)
        let before = try DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'items_insert'"))
        }
        #expect(before.0 == 1 && before.1 == 1)

        let clock = TestClock(5000)
        let store = try openStore(path, clock: clock)
        let after = try DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'items_insert'"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"))
        }
        // Through v2 to the newest (v3: SchemaV3Tests).
        #expect(after.0 == Int(Schema.version) && Schema.version == 3)
        #expect(after.1 == 0)
        #expect(after.2 == ["v1", "v2", "v3"])

        // Every headline, whole, with its marks and first-seen time.
        let all = try store.recent(limit: 10)
        #expect(all.map(\.key) == [
            ItemKey(feed: "bbc", id: "b1"), ItemKey(feed: "npr", id: "n1"),
            ItemKey(feed: "bbc", id: "b2"), ItemKey(feed: "bbc", id: "b3"),
        ])
        let b1 = all[0], b2 = all[2]
        #expect(b1.headline == Headline(id: "b1", source: "bbc", title: "Election night in Leeds", published: Timestamp(milliseconds: 1000),
                                        outlet: "BBC One", summary: "A summary", url: "https://example.org/b1"))
        #expect(b2.headline.source == "Met Office")
        #expect(all.map(\.read) == [true, true, false, false])
        #expect(all.map(\.starred) == [false, false, true, false])
        #expect(all.map(\.firstSeen.milliseconds) == [1007, 1507, 2007, 3007])
        #expect(try store.unreadCount() == 2)
        #expect(try store.feeds() == ["bbc", "npr"])
        #expect(try store.feedState(feed: "bbc") == FeedRecord(
            name: "bbc", etag: "\"e1\"", lastModified: "Tue, 01 Dec 2026 10:00:00 GMT", movedTo: "https://moved.example/rss",
            lastAttempt: Timestamp(milliseconds: 100), lastSuccess: Timestamp(milliseconds: 90), lastError: "HTTP 503",
            retryAfter: Timestamp(milliseconds: 200)))
        // The v1 word index is kept and still answers.
        #expect(try store.search("election", limit: 10).map(\.headline.id) == ["n1", "b1"])

        // Storing after the migration: old keys are known with their marks, new ones are
        // indexed and counted without the trigger.
        let outcomes = try store.store([
            headline("b2", "Storm warning for the coast", at: 2000, source: "Met Office"),
            headline("b4", "Election debate tonight", at: 4000),
        ], feed: "bbc")
        #expect(outcomes == [InsertOutcome(isNew: false, marks: [.starred]), InsertOutcome(isNew: true, marks: [])])
        #expect(try store.unreadCount() == 3)
        #expect(try store.search("election", limit: 10).map(\.headline.id) == ["b4", "n1", "b1"])
        #expect(try store.integrityCheck())
        #expect(try ftsIntact(path))
    }

    @Test func aBatchIsIndexedAndCountedWithoutATrigger() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        let store = try openStore(path)
        // The same id twice in one batch, the second time with a new title: the first is
        // indexed before the second changes it.
        let outcomes = try store.store([
            headline("1", "Harbour closed by fog", at: 1),
            headline("2", "Bridge reopens", at: 2),
            headline("1", "Harbour reopens after fog", at: 1),
            headline("3", "Fog lifts", at: 3),
        ], feed: "bbc")
        #expect(outcomes.map(\.isNew) == [true, true, false, true])
        #expect(try store.count() == 3)
        #expect(try store.unreadCount() == 3)
        #expect(try store.search("reopens", limit: 10).map(\.headline.id) == ["2", "1"])
        #expect(try store.search("closed", limit: 10).isEmpty)
        #expect(try store.search("fog", limit: 10).map(\.headline.id) == ["3", "1"])
        #expect(try ftsIntact(path))
        // Unread counts follow read marks, pruning and forgetting as before.
        try store.setRead([ItemKey(feed: "bbc", id: "2")], true)
        #expect(try store.unreadCount() == 2)
        try store.insert([headline("9", "Other feed", at: 9, source: "npr")], feed: "npr")
        #expect(try store.unreadCount() == 3)
        #expect(try store.forget(feed: "npr") == 1)
        #expect(try store.unreadCount() == 2)
        #expect(try store.prune(olderThan: Timestamp(milliseconds: 2), keepAtMost: nil) == 1)
        #expect(try store.unreadCount() == 1)
        #expect(try store.search("fog", limit: 10).map(\.headline.id) == ["3"])
        #expect(try ftsIntact(path))
        // A store whose newest row went (forget) gives the next batch rowids above the rest.
        try store.insert([headline("4", "Fog returns", at: 4)], feed: "bbc")
        #expect(try store.search("fog", limit: 10).map(\.headline.id) == ["4", "3"])
        #expect(try ftsIntact(path))
    }

    @Test func recentArrivalsIsRecentAsArrivals() throws {
        let dir = TempFolder()
        let clock = TestClock(10_000)
        let store = try openStore(dir.file("news.db"), clock: clock)
        try store.insert([headline("a", "Alpha", at: 3), headline("b", "Beta", at: 1)], feed: "bbc")
        clock.advance(500)
        try store.insert([headline("c", "Gamma in a title longer than fifteen bytes", at: 2, source: "Some outlet")], feed: "npr")
        try store.setStarred(ItemKey(feed: "bbc", id: "a"), true)
        try store.setRead([ItemKey(feed: "npr", id: "c")], true)
        let start = Timestamp(milliseconds: 10_200)
        let arrivals = try store.recentArrivals(limit: 2, start: start)
        let recent = try store.recent(limit: 2)
        #expect(arrivals.map(\.headline) == recent.map(\.headline))
        #expect(arrivals.map(\.headline.id) == ["c", "a"])
        #expect(arrivals.map(\.offset) == [300, -200])
        #expect(arrivals.map(\.marks) == [[.read], [.starred]])
        #expect(arrivals[0].headline.source == "Some outlet")
        #expect(try store.recentArrivals(limit: 0, start: start).isEmpty)
    }
}
