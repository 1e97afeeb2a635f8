import Foundation
import GRDB
import NewsCore
import Testing
@testable import NewsStore

/// Schema v3 (a unique key index: a headline is stored with one `INSERT ... ON CONFLICT DO
/// NOTHING`; ids whose hashes share a window spread over it) and the migration of a store a
/// v2 newsdesk wrote.
@Suite struct SchemaV3Tests {
    /// Two ids whose v3 key hashes are the same value (the same window), and whose v2 hashes
    /// differ: found by trying ids in turn (about 2^14 of them: 28 bits).
    static let clash: (String, String) = {
        var seen: [Int64: String] = [:]
        var i = 0
        while true {
            let id = "clash-\(i)"
            let hash = Schema.keyHash(id)
            if let other = seen[hash], Schema.keyHashV2(other) != Schema.keyHashV2(id) { return (other, id) }
            seen[hash] = id
            i += 1
        }
    }()

    func keyHashes(_ path: String) throws -> [String: Int64] {
        try DatabaseQueue(path: path).read { db in
            var out: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT item_id, key_hash FROM items") { out[row[0]] = row[1] }
            return out
        }
    }

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

    /// A store as newsdesk with schema v2 left it: GRDB's migrator with v1 and v2, rows as v2
    /// wrote them (v2's 32-bit hashes, the word index and unread counts kept by the store),
    /// marks and feed state set. Two of its ids, in one feed, share a v3 window.
    func writeV2Store(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        var v2 = DatabaseMigrator()
        v2.registerMigration("v1") { db in try db.execute(sql: Schema.v1) }
        v2.registerMigration("v2") { db in try db.execute(sql: Schema.v2) }
        try v2.migrate(queue)
        let (c1, c2) = Self.clash
        try queue.write { db in
            try db.execute(sql: "INSERT INTO feeds (name, etag, last_success) VALUES ('bbc', '\"e9\"', 90)")
            try db.execute(sql: "INSERT INTO feeds (name) VALUES ('npr')")
            let rows: [(Int64, String, String, Int64, String?)] = [
                (1, "b1", "Election night in Leeds", 1000, "BBC One"),
                (1, c1, "Ferry strike called off", 2000, nil),
                (1, c2, "Ferry timetable returns", 3000, nil),
                (2, "n1", "Election recount ordered", 1500, "NPR News"),
                (2, c1, "Same id in another feed", 2500, nil),
            ]
            for (feed, id, title, published, outlet) in rows {
                try db.execute(sql: """
                    INSERT INTO items (feed_id, key_hash, published, first_seen, item_id, title, url, outlet)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [feed, Schema.keyHashV2(id), published, published + 7, id, title, "https://example.org/\(id)", outlet])
            }
            try db.execute(sql: "INSERT INTO items_fts(rowid, title) SELECT id, title FROM items")
            try db.execute(sql: "UPDATE feeds SET unread = (SELECT count(*) FROM items WHERE feed_id = feeds.id)")
            try db.execute(sql: "UPDATE items SET read = 1 WHERE item_id IN ('b1', ?) AND feed_id = 1", arguments: [c2])
            try db.execute(sql: "UPDATE items SET starred = 1 WHERE item_id = ? AND feed_id = 1", arguments: [c1])
        }
    }

    @Test func aV2StoreWithDataMigratesKeepingEveryHeadlineMarkAndFeedState() throws {
        let dir = TempFolder()
        let path = dir.file("v2.db")
        try writeV2Store(path)
        let (c1, c2) = Self.clash
        #expect(try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") } == 2)

        let store = try openStore(path, clock: TestClock(9000))
        let after = try DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
             try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'items_key'"))
        }
        #expect(after.0 == 3 && Schema.version == 3)
        #expect(after.1 == ["v1", "v2", "v3"])
        #expect(after.2?.contains("UNIQUE") == true)
        // Every hash is its window's first value but one: of the two bbc ids sharing a
        // window, the older row keeps the first value and the other takes the next.
        let hashes = try keyHashes(path)
        #expect(hashes["b1"] == Schema.keyHash("b1"))
        #expect(hashes[c1] != nil && hashes[c2] != nil)
        let bbc = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT item_id, key_hash FROM items WHERE feed_id = 1 AND item_id IN (?, ?) ORDER BY id", arguments: [c1, c2])
                .map { (row: Row) -> (String, Int64) in (row[0], row[1]) }
        }
        #expect(bbc.map(\.0) == [c1, c2])
        #expect(bbc.map(\.1) == [Schema.keyHash(c1), Schema.keyHash(c1) + 1])

        // Every headline, whole, with its marks and first-seen time.
        let all = try store.recent(limit: 10)
        #expect(all.map(\.key) == [
            ItemKey(feed: "bbc", id: "b1"), ItemKey(feed: "npr", id: "n1"), ItemKey(feed: "bbc", id: c1),
            ItemKey(feed: "npr", id: c1), ItemKey(feed: "bbc", id: c2),
        ])
        #expect(all.map(\.read) == [true, false, false, false, true])
        #expect(all.map(\.starred) == [false, false, true, false, false])
        #expect(all.map(\.firstSeen.milliseconds) == [1007, 1507, 2007, 2507, 3007])
        #expect(all[0].headline == Headline(id: "b1", source: "bbc", title: "Election night in Leeds", published: Timestamp(milliseconds: 1000),
                                            outlet: "BBC One", url: "https://example.org/b1"))
        #expect(try store.unreadCount() == 3)
        #expect(try store.feedState(feed: "bbc")?.etag == "\"e9\"")
        #expect(try store.search("election", limit: 10).map(\.headline.id) == ["n1", "b1"])

        // Storing after the migration: every stored key is known with its marks (the moved
        // one too), new ones are new.
        let outcomes = try store.store([
            headline(c2, "Ferry timetable returns", at: 3000),
            headline(c1, "Ferry strike called off", at: 2000),
            headline("b1", "Election night in Leeds", at: 1000),
            headline("b4", "Ferry news tonight", at: 4000),
        ], feed: "bbc")
        #expect(outcomes == [
            InsertOutcome(isNew: false, marks: [.read]), InsertOutcome(isNew: false, marks: [.starred]),
            InsertOutcome(isNew: false, marks: [.read]), InsertOutcome(isNew: true, marks: []),
        ])
        #expect(try store.count() == 6)
        #expect(try store.unreadCount() == 4)
        try store.setRead([ItemKey(feed: "bbc", id: c2)], false)
        #expect(try store.unreadCount() == 5)
        #expect(try store.search("ferry", limit: 10).map(\.headline.id) == ["b4", c2, c1])
        #expect(try store.integrityCheck())
        #expect(try ftsIntact(path))
    }

    @Test func idsSharingAHashWindowAreBothStoredAndKnown() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        let store = try openStore(path)
        let (a, b) = Self.clash
        #expect(try store.insert([headline(a, "First of the pair", at: 1), headline(b, "Second of the pair", at: 2)], feed: "bbc") == [true, true])
        var hashes = try keyHashes(path)
        #expect(hashes[a] == Schema.keyHash(a))
        #expect(hashes[b] == Schema.keyHash(a) + 1)
        // Both are known, each with its own marks.
        try store.setRead([ItemKey(feed: "bbc", id: b)], true)
        try store.setStarred(ItemKey(feed: "bbc", id: a), true)
        #expect(try store.store([headline(b, "Second of the pair", at: 2), headline(a, "First of the pair", at: 1)], feed: "bbc") == [
            InsertOutcome(isNew: false, marks: [.read]), InsertOutcome(isNew: false, marks: [.starred]),
        ])
        // A changed title of the moved one is updated in place.
        #expect(try store.insert([headline(b, "Second pair renamed", at: 2)], feed: "bbc") == [false])
        #expect(try store.search("renamed", limit: 10).map(\.headline.id) == [b])
        #expect(try store.count() == 2)
        #expect(try store.unreadCount() == 1)

        // The window's first row goes (a is starred: forget takes starred too, so unstar and
        // prune it): the other takes its place, and is still known, not stored twice.
        try store.setStarred(ItemKey(feed: "bbc", id: a), false)
        #expect(try store.prune(olderThan: Timestamp(milliseconds: 2), keepAtMost: nil) == 1)
        hashes = try keyHashes(path)
        #expect(hashes[a] == nil)
        #expect(hashes[b] == Schema.keyHash(a))
        #expect(try store.store([headline(b, "Second pair renamed", at: 2)], feed: "bbc") == [InsertOutcome(isNew: false, marks: [.read])])
        #expect(try store.count() == 1)
        // And the pruned one is new again, next in the window.
        #expect(try store.insert([headline(a, "First of the pair", at: 3)], feed: "bbc") == [true])
        hashes = try keyHashes(path)
        #expect(hashes[a] == Schema.keyHash(a) + 1)
        #expect(try store.count() == 2)
        #expect(try store.unreadCount() == 1)
        #expect(try store.integrityCheck())
        #expect(try ftsIntact(path))
    }

    @Test func aBatchOfNewHeadlinesIsOneInsertEachAndTheSameKeysAgainAreSeen() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        let store = try openStore(path)
        let first = (0..<300).map { headline("tech-\($0)", "Headline number \($0)", at: Int64($0)) }
        #expect(try store.insert(first, feed: "tech").allSatisfy { $0 })
        try store.setRead([ItemKey(feed: "tech", id: "tech-7")], true)
        // The same 300 and 100 more, in another order: only the 100 are new.
        let second = (200..<400).map { headline("tech-\($0)", "Headline number \($0)", at: Int64($0)) }
            + (0..<200).reversed().map { headline("tech-\($0)", "Headline number \($0)", at: Int64($0)) }
        let outcomes = try store.store(second, feed: "tech")
        #expect(outcomes.filter(\.isNew).count == 100)
        #expect(zip(second, outcomes).allSatisfy { h, o in o.isNew == (Int(h.id.dropFirst(5))! >= 300) })
        #expect(zip(second, outcomes).filter { $0.1.marks == [.read] }.map(\.0.id) == ["tech-7"])
        #expect(try store.count() == 400)
        #expect(try store.unreadCount() == 399)
        #expect(try store.search("number", limit: 1000).count == 400)
        #expect(try ftsIntact(path))
    }

    @Test func everyHeadlineHasItsFeedWithoutForeignKeyEnforcement() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        let store = try openStore(path)
        try store.insert([headline("1", "One", at: 1), headline("2", "Two", at: 2)], feed: "bbc")
        try store.insert([headline("1", "One elsewhere", at: 3, source: "npr")], feed: "npr")
        try store.insert([headline("3", "Three", at: 4, source: "dw")], feed: "dw")
        #expect(try store.forget(feed: "npr") == 1)
        #expect(try store.prune(olderThan: Timestamp(milliseconds: 2), keepAtMost: nil) == 1)
        try store.insert([headline("4", "Four", at: 5, source: "npr")], feed: "npr")
        let (enforced, orphans, feeds) = try DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
             try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count,
             try Int.fetchOne(db, sql: "SELECT count(DISTINCT feed_id) FROM items"))
        }
        // GRDB's own connection enforces foreign keys; the store's do not, and need not.
        #expect(enforced == 1)
        #expect(orphans == 0)
        #expect(feeds == 3)
        #expect(try store.feeds() == ["bbc", "dw", "npr"])
        #expect(try store.count() == 3)
    }

    /// A batch goes in 16 rows a statement; a chunk where not all 16 go in says of each
    /// headline what it is: seen (with marks, a changed title updated), the same id again,
    /// two ids sharing a window, new.
    @Test func aChunkWithSeenDuplicateAndClashingIdsSaysWhatEachIs() throws {
        let dir = TempFolder()
        let path = dir.file("news.db")
        let store = try openStore(path)
        let (a, b) = Self.clash
        #expect(try store.insert((0..<20).map { headline("s-\($0)", "Story \($0)", at: Int64($0)) }, feed: "bbc").allSatisfy { $0 })
        try store.setRead([ItemKey(feed: "bbc", id: "s-3")], true)
        let batch = [
            headline("s-3", "Story 3", at: 3), headline("n-1", "New one", at: 30), headline("n-1", "New one", at: 30),
            headline(a, "Clash a", at: 31), headline(b, "Clash b", at: 32), headline("s-5", "Story five renamed", at: 5),
        ] + (2..<12).map { headline("n-\($0)", "New \($0)", at: Int64(40 + $0)) } + [headline("s-7", "Story 7", at: 7)]
        #expect(batch.count == HeadlineStore.chunkRows + 1)
        let outcomes = try store.store(batch, feed: "bbc")
        #expect(outcomes.map(\.isNew) == [false, true, false, true, true, false] + Array(repeating: true, count: 10) + [false])
        #expect(outcomes[0].marks == [.read])
        #expect(outcomes.dropFirst().allSatisfy { $0.marks.isEmpty })
        #expect(try store.count() == 33)
        #expect(try store.unreadCount() == 32)
        let hashes = try keyHashes(path)
        #expect(hashes[a] == Schema.keyHash(a))
        #expect(hashes[b] == Schema.keyHash(a) + 1)
        #expect(try store.search("renamed", limit: 10).map(\.headline.id) == ["s-5"])
        #expect(try store.search("story", limit: 100).count == 20)
        #expect(try store.search("new", limit: 100).count == 11)
        // The same batch again: nothing new, every mark as stored.
        #expect(try store.store(batch, feed: "bbc").allSatisfy { !$0.isNew })
        #expect(try store.count() == 33)
        #expect(try store.integrityCheck())
        #expect(try ftsIntact(path))
    }
}
