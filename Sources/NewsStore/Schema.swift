import GRDB

/// The store's schema, versioned with GRDB's migrator (DECISIONS.md, 2026-12-02: the
/// store's schema). A migration, once released, is never edited: changes are new ones.
enum Schema {
    /// The `PRAGMA user_version` the newest migration leaves, so that a store written by a
    /// newer newsdesk is recognised even by tools that do not read GRDB's table.
    static let version: Int32 = 3

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3") { db in
            try migrateToV3(db)
        }
        return migrator
    }

    /// - `feeds`: one row per feed name, with the HTTP state that lets the first poll
    ///   after a start be conditional, and the count of unread items (kept by triggers, so
    ///   that `N unread` costs no scan).
    /// - `items`: rowid table. The key (feed, id) is looked up through `items_key` on
    ///   (feed_id, key_hash), a 32-bit hash of the id, and the id compared in the row:
    ///   an index on the id itself would repeat ~40 bytes per headline. `source` is NULL
    ///   when the headline's source is the feed's name. 0/1 columns cost no payload byte.
    /// - `items_fts`: FTS5 over titles, external content (the text lives once, in
    ///   `items`), `detail=none` and `columnsize=0`: candidates for word queries only;
    ///   the query language's own matcher decides.
    static let v1 = """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            etag TEXT,
            last_modified TEXT,
            moved_to TEXT,
            last_attempt INTEGER,
            last_success INTEGER,
            last_error TEXT,
            retry_after INTEGER,
            unread INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feeds(id),
            key_hash INTEGER NOT NULL,
            read INTEGER NOT NULL DEFAULT 0,
            starred INTEGER NOT NULL DEFAULT 0,
            published INTEGER NOT NULL,
            first_seen INTEGER NOT NULL,
            item_id TEXT NOT NULL,
            title TEXT NOT NULL,
            url TEXT,
            summary TEXT,
            outlet TEXT,
            note TEXT,
            source TEXT
        );
        CREATE INDEX items_key ON items(feed_id, key_hash);
        CREATE INDEX items_published ON items(published);
        CREATE INDEX items_starred ON items(published) WHERE starred = 1;
        CREATE VIRTUAL TABLE items_fts USING fts5(
            title, content='items', content_rowid='id', detail=none, columnsize=0,
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER items_insert AFTER INSERT ON items BEGIN
            INSERT INTO items_fts(rowid, title) VALUES (new.id, new.title);
            UPDATE feeds SET unread = unread + 1 WHERE id = new.feed_id AND new.read = 0;
        END;
        CREATE TRIGGER items_delete AFTER DELETE ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, title) VALUES ('delete', old.id, old.title);
            UPDATE feeds SET unread = unread - 1 WHERE id = old.feed_id AND old.read = 0;
        END;
        CREATE TRIGGER items_title AFTER UPDATE OF title ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, title) VALUES ('delete', old.id, old.title);
            INSERT INTO items_fts(rowid, title) VALUES (new.id, new.title);
        END;
        CREATE TRIGGER items_read AFTER UPDATE OF read ON items WHEN old.read <> new.read BEGIN
            UPDATE feeds SET unread = unread + (CASE WHEN new.read = 0 THEN 1 ELSE -1 END)
            WHERE id = new.feed_id;
        END;
        PRAGMA user_version = 1;
        """

    /// v2 (2026-12-02, DECISIONS.md): no trigger on insert. FTS5 run from a trigger syncs
    /// its pending terms at the end of every nested statement, so each row became a segment
    /// of its own to merge (30,000 headlines/s, the index alone takes 180,000/s):
    /// ``HeadlineStore/store(_:feed:)`` now adds a batch's titles to `items_fts` in one
    /// `INSERT ... SELECT` and its new headlines to `feeds.unread` in one `UPDATE`. Nothing
    /// else inserts into `items`. The other triggers (delete, title, read) stay: they run
    /// once per changed row, rarely. No data changes.
    static let v2 = """
        DROP TRIGGER items_insert;
        PRAGMA user_version = 2;
        """

    /// v3 (2026-12-02, DECISIONS.md): the key index is UNIQUE on (feed_id, key_hash), so that
    /// storing a headline is one `INSERT ... ON CONFLICT DO NOTHING`: the index seek that
    /// places a new row is also the look-up that tells a seen key from a new one (v2 looked
    /// each batch's keys up in a query of their own first).
    ///
    /// The hash keeps v2's 32 bits (its size is the store's size) with its low four bits
    /// cleared: ``keyHash(_:)`` is the first value of a window of 16 (``keyWindow(_:)``).
    /// An id whose window's first value another id of the feed holds takes the next free
    /// value of the window. Rule: a window whose first value is free is empty, so a new id
    /// whose insert goes in is new; `items_key_refill` keeps the rule when a window's first
    /// row is deleted, moving a row of its window into its place. The migration clears the
    /// four bits of every stored hash and spreads the rows that then share a value over their
    /// window. No other data changes.
    static let v3 = """
        DROP INDEX items_key;
        UPDATE items SET key_hash = key_hash & ~15;
        UPDATE items SET key_hash = items.key_hash + clash.n
            FROM (SELECT id, row_number() OVER (PARTITION BY feed_id, key_hash ORDER BY id) - 1 AS n FROM items) AS clash
            WHERE items.id = clash.id AND clash.n > 0;
        CREATE UNIQUE INDEX items_key ON items(feed_id, key_hash);
        CREATE TRIGGER items_key_refill AFTER DELETE ON items WHEN old.key_hash & 15 = 0 BEGIN
            UPDATE items SET key_hash = old.key_hash WHERE id = (
                SELECT id FROM items WHERE feed_id = old.feed_id AND key_hash BETWEEN old.key_hash + 1 AND old.key_hash + 15
                LIMIT 1);
        END;
        PRAGMA user_version = 3;
        """

    /// v3's migration: refuses a store with more than 16 ids of one feed in one window (the
    /// 28 bits left of the hash would have to agree 17 times), which it could not place.
    static func migrateToV3(_ db: Database) throws {
        let crowded = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM (SELECT 1 FROM items GROUP BY feed_id, key_hash & ~15 HAVING count(*) > 16)
            """) ?? 0
        if crowded > 0 {
            throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "more than 16 item ids of one feed share a key hash window")
        }
        try db.execute(sql: v3)
    }

    /// The key hash of an item id (v3): FNV-1a over its UTF-8 bytes folded to 32 bits, as v1
    /// and v2 stored it, with the low four bits cleared. Stable forever (it is stored). For
    /// ids that differ in their last characters (`tech-1`, `tech-2`) the values stay close,
    /// so a batch's new keys land on few pages of the index.
    static func keyHash(_ id: String) -> Int64 {
        keyHashV2(id) & ~15
    }

    /// The 16 values a key may be stored under: its hash (first) and the 15 after it.
    static func keyWindow(_ hash: Int64) -> ClosedRange<Int64> {
        let base = hash & ~15
        return base...(base | 15)
    }

    /// The key hash v1 and v2 stored: FNV-1a folded to 32 bits.
    static func keyHashV2(_ id: String) -> Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01b3
        }
        return Int64(Int32(truncatingIfNeeded: h ^ (h >> 32)))
    }
}
