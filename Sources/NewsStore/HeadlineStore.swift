import Foundation
import GRDB
import GRDBSQLite
import NewsCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every headline newsdesk has seen, the reader's read and starred marks, each feed's
/// HTTP state, retention and a word index, in one SQLite file in WAL mode (issue 13).
///
/// Synchronous: every call runs to completion on the caller's thread (call it from a
/// background task, not the event loop). Any number of instances, in one process or in
/// several, may use one file at once: writes wait for each other (a 5 s busy timeout)
/// and readers never wait for writers.
public final class HeadlineStore: Sendable {
    public let path: String
    private let pool: DatabasePool
    private let clock: @Sendable () -> Timestamp

    /// `$XDG_DATA_HOME/newsdesk/newsdesk.db`, else `$HOME/.local/share/newsdesk/newsdesk.db`
    /// (an empty or relative `XDG_DATA_HOME` is ignored, as the XDG spec says); nil without
    /// either.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return join(data, "newsdesk/newsdesk.db")
        }
        if let home = environment["HOME"], !home.isEmpty {
            return join(home, ".local/share/newsdesk/newsdesk.db")
        }
        return nil
    }

    /// The key hash stored with an item id (``Schema/keyHash(_:)``), for tools that write
    /// rows of the same schema (the benchmark's Python run).
    public static func keyHash(_ id: String) -> Int64 { Schema.keyHash(id) }

    /// The key hash values a new feed's ids are stored under, in the order they are first
    /// stored: each id's ``keyHash(_:)``, or the next value of its window that no earlier id
    /// took (schema v3). For tools that write the same rows (the benchmark's Python run).
    public struct KeySlots: Sendable {
        private var taken = Set<Int64>()
        public init() {}
        public mutating func take(_ id: String) -> Int64 {
            for slot in Schema.keyWindow(Schema.keyHash(id)) where taken.insert(slot).inserted { return slot }
            return Schema.keyHash(id)
        }
    }

    private static func join(_ folder: String, _ rest: String) -> String {
        folder.hasSuffix("/") ? folder + rest : folder + "/" + rest
    }

    /// Opens the store at `path`, creating it and its missing folders (mode 0700), and
    /// brings its schema up to date. `clock` gives each new headline its first-seen time.
    public init(path: String, clock: @escaping @Sendable () -> Timestamp) throws(StoreError) {
        self.path = path
        self.clock = clock
        try Self.makeFolders(for: path)
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.journalMode = .wal
        config.label = "newsdesk.store"
        // No foreign-key enforcement (DECISIONS.md, 2026-12-02): it looked up the feed of
        // every inserted headline, a twentieth of an insert's work, to guard a relation the
        // store keeps itself (a headline's feed row is found or made in its own transaction;
        // `forget` deletes a feed's headlines before the feed; nothing else writes `items`).
        // SQLite's default, and what Python's sqlite3 does.
        config.foreignKeysEnabled = false
        // synchronous=NORMAL in WAL (DECISIONS.md, 2026-12-02): a commit is not fsynced, the
        // log is at checkpoints. A killed process (kill -9, a crash) loses nothing committed,
        // since the log is in the OS's cache; only a power loss or a kernel crash can lose the
        // last commits, never the file's consistency. 16 MiB of page cache a connection.
        // The log is moved into the file every 8,192 pages (32 MiB) rather than SQLite's
        // 1,000: a page that many commits change (the word index's structure, an index's
        // last leaf, the feed's unread count) is copied into the file once a checkpoint, so
        // fewer checkpoints copy fewer pages; the log file is cut back to 32 MiB after one.
        config.prepareDatabase { db in
            try db.execute(sql: """
                PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;
                PRAGMA wal_autocheckpoint = 8192; PRAGMA journal_size_limit = 33554432
                """)
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError(error, path: path)
        }
        try migrate()
    }

    private func migrate() throws(StoreError) {
        let migrator = Schema.migrator
        do {
            let (version, superseded) = try pool.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                 try migrator.hasBeenSuperseded(db))
            }
            if version > Schema.version || superseded {
                throw StoreError(
                    path: path,
                    reason: "the store was written by a newer newsdesk (schema \(version), this one knows \(Schema.version))",
                    kind: .newerSchema)
            }
            try migrator.migrate(pool)
        } catch {
            throw StoreError(error, path: path)
        }
    }

    /// mkdir -p with mode 0700 for the folders of `path` that are missing.
    private static func makeFolders(for path: String) throws(StoreError) {
        var components = path.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        guard !components.isEmpty else { return }
        var folder = path.hasPrefix("/") ? "" : "."
        while let next = components.first {
            components.removeFirst()
            folder += "/" + next
            var info = stat()
            if stat(folder, &info) == 0 {
                if info.st_mode & S_IFMT != S_IFDIR {
                    throw StoreError(path: path, reason: "cannot create the store: \(folder) is not a folder", kind: .cannotOpen)
                }
                continue
            }
            if mkdir(folder, 0o700) != 0 && errno != EEXIST {
                let code = errno
                let message = String(cString: strerror(code))
                throw StoreError(
                    path: path, reason: "cannot create the folder \(folder): \(message)",
                    kind: code == EROFS || code == EACCES ? .readOnly : .cannotOpen)
            }
        }
    }

    // MARK: - Writing headlines

    /// Stores `headlines` under `feed` in one transaction and says, for each, whether the
    /// store had not seen its (feed, id) before. A headline already stored keeps its read
    /// and starred marks, its published time and its first-seen time; a changed title or
    /// field (outlet, summary, url, note, source) is updated in place.
    @discardableResult
    public func insert(_ headlines: [Headline], feed: String) throws(StoreError) -> [Bool] {
        try store(headlines, feed: feed).map(\.isNew)
    }

    /// ``insert(_:feed:)``, saying for each headline whether it is new and, if not, the
    /// marks the store holds for it (what the view shows for an item seen in an earlier run).
    ///
    /// The hot path of a live run: prepared statements stepped through SQLite's C API, text
    /// bound without a copy from one buffer (no argument arrays, no `Row` per headline). Each
    /// headline is one `INSERT ... ON CONFLICT DO NOTHING` on the unique key index (schema
    /// v3): a row that goes in is new, and only a key that is already held is looked up (for
    /// its marks, and to tell the same id from another id with the same hash).
    public func store(_ headlines: [Headline], feed: String) throws(StoreError) -> [InsertOutcome] {
        if headlines.isEmpty { return [] }
        let now = clock().milliseconds
        return try write { db in
            let feedID = try Self.feedID(db, name: feed, create: true)!
            let find = try RawStatement(db, """
                SELECT id, title, url, summary, outlet, note, source, read, starred FROM items
                WHERE feed_id = ?1 AND key_hash BETWEEN ?2 AND ?3 AND item_id = ?4
                """)
            let add = try RawStatement(db, """
                INSERT INTO items (feed_id, key_hash, published, first_seen, item_id, title, url, summary, outlet, note, source)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (feed_id, key_hash) DO NOTHING
                """)
            defer {
                // The insert's text is bound without a copy from `texts`, which goes with
                // this call.
                sqlite3_clear_bindings(add.handle)
            }
            // The rowids this batch's new headlines get are above the largest now (an
            // INTEGER PRIMARY KEY takes max + 1).
            let before = try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(id), 0) FROM items")) ?? 0
            var result: [InsertOutcome] = []
            result.reserveCapacity(headlines.count)
            // The word index and the unread count, once for the batch (schema v2): the titles
            // of the rows above `indexed`, in one statement. Also before changing a row (its
            // trigger takes the old title out of the index, which must hold it then).
            var indexed = before, lastAdded = before, unindexed = 0
            func index() throws {
                guard unindexed > 0 else { return }
                try db.cachedStatement(sql: "INSERT INTO items_fts(rowid, title) SELECT id, title FROM items WHERE id > ?")
                    .execute(arguments: [indexed])
                try db.cachedStatement(sql: "UPDATE feeds SET unread = unread + ? WHERE id = ?")
                    .execute(arguments: [unindexed, feedID])
                indexed = lastAdded
                unindexed = 0
            }
            var texts = TextBuffer()
            /// Inserts `h` under `hash` unless the feed holds that value: whether it did.
            func insert(_ h: Headline, source: String?, hash: Int64) throws -> Bool {
                texts.clear()
                let id = texts.add(h.id), title = texts.add(h.title), url = texts.add(h.url)
                let summary = texts.add(h.summary), outlet = texts.add(h.outlet), note = texts.add(h.note)
                let from = texts.add(source)
                try texts.withBytes { bytes in
                    add.bind(1, feedID)
                    add.bind(2, hash)
                    add.bind(3, h.published.milliseconds)
                    add.bind(4, now)
                    add.bind(5, id, in: bytes)
                    add.bind(6, title, in: bytes)
                    add.bind(7, url, in: bytes)
                    add.bind(8, summary, in: bytes)
                    add.bind(9, outlet, in: bytes)
                    add.bind(10, note, in: bytes)
                    add.bind(11, from, in: bytes)
                    try add.run()
                }
                guard sqlite3_changes(db.sqliteConnection) == 1 else { return false }
                unindexed += 1
                lastAdded = db.lastInsertedRowID
                return true
            }
            /// Inserts `h` under the first value of its window the feed does not hold.
            func insertInWindow(_ h: Headline, source: String?, hash: Int64) throws {
                for slot in Schema.keyWindow(hash).dropFirst() {
                    if try insert(h, source: source, hash: slot) { return }
                }
                throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "more than 16 item ids of feed \(feed) share a key hash window")
            }
            /// The stored row of `h`'s key: its marks, its title and fields brought up to date.
            func held(_ h: Headline, source: String?, hash: Int64) throws -> (rowID: Int64, marks: HeadlineMarks)? {
                let window = Schema.keyWindow(hash)
                find.bind(1, feedID)
                find.bind(2, window.lowerBound)
                find.bind(3, window.upperBound)
                find.bind(4, h.id)
                defer { find.reset() }
                guard try find.step() else { return nil }
                let same = find.text(1) == h.title && find.optionalText(2) == h.url
                    && find.optionalText(3) == h.summary && find.optionalText(4) == h.outlet
                    && find.optionalText(5) == h.note && find.optionalText(6) == source
                let rowID = find.int64(0)
                var marks: HeadlineMarks = []
                if find.int64(7) != 0 { marks.insert(.read) }
                if find.int64(8) != 0 { marks.insert(.starred) }
                find.reset()
                if !same {
                    try index()
                    try db.cachedStatement(sql: """
                        UPDATE items SET title = ?, url = ?, summary = ?, outlet = ?, note = ?, source = ? WHERE id = ?
                        """).execute(arguments: [h.title, h.url, h.summary, h.outlet, h.note, source, rowID])
                }
                return (rowID, marks)
            }
            /// Inserts `chunk` (``chunkRows`` headlines) in one statement, each row unless the
            /// feed holds its hash: how many went in. One statement for 16 rows does about a
            /// seventh less work in SQLite than 16 (no step, reset and statement set-up each).
            let addChunk = try RawStatement(db, Self.chunkInsertSQL)
            defer { sqlite3_clear_bindings(addChunk.handle) }
            var places = [Range<Int>?](repeating: nil, count: Self.chunkRows * 7)
            func insert(chunk: ArraySlice<Headline>) throws -> Int {
                texts.clear()
                var p = 0
                for h in chunk {
                    places[p] = texts.add(h.id)
                    places[p + 1] = texts.add(h.title)
                    places[p + 2] = texts.add(h.url)
                    places[p + 3] = texts.add(h.summary)
                    places[p + 4] = texts.add(h.outlet)
                    places[p + 5] = texts.add(h.note)
                    places[p + 6] = texts.add(h.source == feed ? nil : h.source)
                    p += 7
                }
                try texts.withBytes { bytes in
                    var column: Int32 = 1, p = 0
                    for h in chunk {
                        addChunk.bind(column, feedID)
                        addChunk.bind(column + 1, Schema.keyHash(h.id))
                        addChunk.bind(column + 2, h.published.milliseconds)
                        addChunk.bind(column + 3, now)
                        for field in 0..<7 { addChunk.bind(column + 4 + Int32(field), places[p + field], in: bytes) }
                        column += 11
                        p += 7
                    }
                    try addChunk.run()
                }
                let added = Int(sqlite3_changes(db.sqliteConnection))
                if added > 0 {
                    unindexed += added
                    lastAdded = db.lastInsertedRowID
                }
                return added
            }
            var start = headlines.startIndex
            // Whole chunks of 16 in one statement each: when all 16 go in, all are new.
            // Otherwise each is looked up: a row above the chunk's start that no headline
            // before it in the batch took is its own, just stored (new); any other row is
            // one the feed held (seen, or the same id earlier in the batch); none means
            // another id holds its hash, and it goes in a row of its own.
            var taken = Set<Int64>()
            while headlines.endIndex - start >= Self.chunkRows {
                let chunk = headlines[start..<(start + Self.chunkRows)]
                start += Self.chunkRows
                // The largest rowid now: what this statement adds is above it.
                let floor = lastAdded
                if try insert(chunk: chunk) == Self.chunkRows {
                    for _ in chunk { result.append(InsertOutcome(isNew: true, marks: [])) }
                    continue
                }
                for h in chunk {
                    let source: String? = h.source == feed ? nil : h.source
                    let hash = Schema.keyHash(h.id)
                    if let (rowID, marks) = try held(h, source: source, hash: hash) {
                        let isNew = rowID > floor && taken.insert(rowID).inserted
                        result.append(InsertOutcome(isNew: isNew, marks: isNew ? [] : marks))
                    } else {
                        try insertInWindow(h, source: source, hash: hash)
                        result.append(InsertOutcome(isNew: true, marks: []))
                    }
                }
            }
            for h in headlines[start...] {
                let source: String? = h.source == feed ? nil : h.source
                let hash = Schema.keyHash(h.id)
                if try insert(h, source: source, hash: hash) {
                    result.append(InsertOutcome(isNew: true, marks: []))
                } else if let (_, marks) = try held(h, source: source, hash: hash) {
                    result.append(InsertOutcome(isNew: false, marks: marks))
                } else {
                    // Another id of the feed holds the window's first value.
                    try insertInWindow(h, source: source, hash: hash)
                    result.append(InsertOutcome(isNew: true, marks: []))
                }
            }
            try index()
            return result
        }
    }

    /// Rows a chunk insert takes (``store(_:feed:)``).
    static let chunkRows = 16

    static let chunkInsertSQL = """
        INSERT INTO items (feed_id, key_hash, published, first_seen, item_id, title, url, summary, outlet, note, source)
        VALUES \(Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: chunkRows).joined(separator: ", "))
        ON CONFLICT (feed_id, key_hash) DO NOTHING
        """

    /// Marks the headlines read or unread; keys the store does not hold are ignored.
    public func setRead(_ keys: [ItemKey], _ read: Bool) throws(StoreError) {
        try setFlag("read", keys, read)
    }

    public func setStarred(_ key: ItemKey, _ starred: Bool) throws(StoreError) {
        try setFlag("starred", [key], starred)
    }

    private func setFlag(_ column: String, _ keys: [ItemKey], _ value: Bool) throws(StoreError) {
        if keys.isEmpty { return }
        try write { db in
            let update = try db.cachedStatement(
                sql: "UPDATE items SET \(column) = ? WHERE feed_id = ? AND key_hash BETWEEN ? AND ? AND item_id = ?")
            var feedIDs: [String: Int64?] = [:]
            for key in keys {
                let feedID: Int64?
                if let known = feedIDs[key.feed] {
                    feedID = known
                } else {
                    feedID = try Self.feedID(db, name: key.feed, create: false)
                    feedIDs[key.feed] = .some(feedID)
                }
                guard let feedID else { continue }
                let window = Schema.keyWindow(Schema.keyHash(key.id))
                try update.execute(arguments: [value, feedID, window.lowerBound, window.upperBound, key.id])
            }
        }
    }

    // MARK: - Reading headlines

    /// The newest `limit` headlines by published time, oldest first.
    public func recent(limit: Int) throws(StoreError) -> [StoredHeadline] {
        guard limit > 0 else { return [] }
        return try read { db in
            var out: [StoredHeadline] = []
            out.reserveCapacity(min(limit, 1 << 20))
            try Self.eachStored(db, where: nil, limit: limit) { out.append($0); return true }
            out.reverse()
            return out
        }
    }

    /// The newest `limit` headlines as the view's first arrivals, oldest first: each at the
    /// offset of when the store first saw it from `start` (before it: negative), with the
    /// marks the store holds. What ``recent(limit:)`` gives, without the `StoredHeadline`s
    /// in between: the read a start-up waits for.
    public func recentArrivals(limit: Int, start: Timestamp) throws(StoreError) -> [Arrival] {
        guard limit > 0 else { return [] }
        return try read { db in
            var out: [Arrival] = []
            out.reserveCapacity(min(limit, 1 << 20))
            let origin = start.milliseconds
            try Self.eachStored(db, where: nil, limit: limit) { stored in
                out.append(Arrival(offset: stored.firstSeen.milliseconds - origin, headline: stored.headline, marks: stored.marks))
                return true
            }
            out.reverse()
            return out
        }
    }

    /// The store's unread headlines, all feeds together.
    public func unreadCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT coalesce(sum(unread), 0) FROM feeds") ?? 0 }
    }

    /// How many headlines the store holds.
    public func count() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM items") ?? 0 }
    }

    /// The headlines whose title has every word of `words` at the start of one of its
    /// words (case- and diacritics-insensitive: FTS5's unicode61 with prefix queries), newest
    /// first, stopping at `limit` headlines that `accept` takes. The index finds
    /// candidates: `accept` is where the query language's own matcher decides. Text with no
    /// word in it (punctuation only, empty) has no candidates to narrow: every headline is one.
    public func search(
        _ words: String, limit: Int, where accept: (StoredHeadline) -> Bool = { _ in true }
    ) throws(StoreError) -> [StoredHeadline] {
        guard limit > 0 else { return [] }
        let terms = Self.ftsTerms(words)
        return try read { db in
            var out: [StoredHeadline] = []
            try Self.eachStored(
                db, where: terms.isEmpty ? nil : "id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?1)",
                match: terms, limit: nil
            ) { item in
                if accept(item) { out.append(item) }
                return out.count < limit
            }
            return out
        }
    }

    /// `words` as an FTS5 query: each run of letters and digits a quoted prefix term, all
    /// of them required. Splitting like unicode61 does (and quoting) keeps FTS5's own
    /// syntax out: no input can make the query invalid.
    static func ftsTerms(_ words: String) -> String {
        var terms: [String] = []
        var current = ""
        for scalar in words.unicodeScalars {
            let p = scalar.properties
            if p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                terms.append(current)
                current = ""
            }
        }
        if !current.isEmpty { terms.append(current) }
        return terms.map { "\"\($0)\"*" }.joined(separator: " ")
    }

    // MARK: - Feeds

    public func feedState(feed: String) throws(StoreError) -> FeedRecord? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT name, etag, last_modified, moved_to, last_attempt, last_success, last_error, retry_after
                FROM feeds WHERE name = ?
                """, arguments: [feed])
            else { return nil }
            func time(_ i: Int) -> Timestamp? { (row[i] as Int64?).map(Timestamp.init(milliseconds:)) }
            return FeedRecord(
                name: row[0], etag: row[1], lastModified: row[2], movedTo: row[3],
                lastAttempt: time(4), lastSuccess: time(5), lastError: row[6], retryAfter: time(7))
        }
    }

    /// Saves every field of `record` (a nil field clears what was stored).
    public func saveFeedState(_ record: FeedRecord) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO feeds (name, etag, last_modified, moved_to, last_attempt, last_success, last_error, retry_after)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                    moved_to = excluded.moved_to, last_attempt = excluded.last_attempt,
                    last_success = excluded.last_success, last_error = excluded.last_error,
                    retry_after = excluded.retry_after
                """, arguments: [
                    record.name, record.etag, record.lastModified, record.movedTo,
                    record.lastAttempt?.milliseconds, record.lastSuccess?.milliseconds,
                    record.lastError, record.retryAfter?.milliseconds,
                ])
        }
    }

    /// The names of the feeds the store knows, sorted.
    public func feeds() throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT name FROM feeds ORDER BY name") }
    }

    // MARK: - Retention

    /// Deletes the headlines published before `olderThan`, and those beyond the newest
    /// `keepAtMost` (all feeds together), except starred ones, which are never pruned.
    /// Returns how many went. Feed state is kept.
    @discardableResult
    public func prune(olderThan: Timestamp?, keepAtMost: Int?) throws(StoreError) -> Int {
        try write { db in
            var deleted = 0
            if let olderThan {
                try db.execute(sql: "DELETE FROM items WHERE published < ? AND starred = 0", arguments: [olderThan.milliseconds])
                deleted += db.changesCount
            }
            if let keepAtMost {
                try db.execute(sql: """
                    DELETE FROM items WHERE starred = 0 AND id IN (
                        SELECT id FROM items ORDER BY published DESC, id DESC LIMIT -1 OFFSET ?)
                    """, arguments: [max(0, keepAtMost)])
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// Deletes one feed's headlines (starred ones too) and its state; returns how many
    /// headlines went.
    @discardableResult
    public func forget(feed: String) throws(StoreError) -> Int {
        try write { db in
            guard let feedID = try Self.feedID(db, name: feed, create: false) else { return 0 }
            try db.execute(sql: "DELETE FROM items WHERE feed_id = ?", arguments: [feedID])
            let deleted = db.changesCount
            try db.execute(sql: "DELETE FROM feeds WHERE id = ?", arguments: [feedID])
            return deleted
        }
    }

    // MARK: - Health

    /// Whether SQLite's `PRAGMA integrity_check` finds nothing wrong (a file too damaged to
    /// be checked is not intact either).
    public func integrityCheck() throws(StoreError) -> Bool {
        do {
            return try pool.read { db in
                try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"]
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            return false
        } catch {
            throw StoreError(error, path: path)
        }
    }

    /// Moves the write-ahead log into the database file and empties it (for a size measure
    /// or before a copy; SQLite also does this on its own as the log grows).
    public func checkpoint() throws(StoreError) {
        do {
            _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        } catch {
            throw StoreError(error, path: path)
        }
    }

    // MARK: - Helpers

    private func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch { throw StoreError(error, path: path) }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw StoreError(error, path: path) }
    }

    private static func feedID(_ db: Database, name: String, create: Bool) throws -> Int64? {
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM feeds WHERE name = ?"), arguments: [name]) {
            return id
        }
        guard create else { return nil }
        try db.execute(sql: "INSERT INTO feeds (name) VALUES (?)", arguments: [name])
        return db.lastInsertedRowID
    }

    private static func feedNames(_ db: Database) throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, name FROM feeds")
        while let row = try rows.next() { names[row[0]] = row[1] }
        return names
    }

    private static let columns =
        "feed_id, read, starred, published, first_seen, item_id, title, url, summary, outlet, note, source"

    /// Calls `body` with the stored headlines newest first (by published, then by id), those
    /// `condition` selects (an SQL condition on `items`, `?1` bound to `match`), at most
    /// `limit` of them, until it returns false. Rows are read through SQLite's C API; a
    /// feed's name and an outlet's are made once per read and shared by the rows.
    private static func eachStored(
        _ db: Database, where condition: String?, match: String = "", limit: Int?,
        _ body: (StoredHeadline) throws -> Bool
    ) throws {
        let names = try feedNames(db)
        var sql = "SELECT \(columns) FROM items"
        if let condition { sql += " WHERE " + condition }
        sql += " ORDER BY published DESC, id DESC"
        if limit != nil { sql += " LIMIT ?2" }
        let rows = try RawStatement(db, sql)
        defer { rows.reset() }
        if condition != nil { rows.bind(1, match) }
        if let limit { rows.bind(2, Int64(limit)) }
        var outlets = Interner()
        var lastFeedID: Int64 = .min
        var feed = ""
        while try rows.step() {
            let feedID = rows.int64(0)
            if feedID != lastFeedID {
                feed = names[feedID] ?? ""
                lastFeedID = feedID
            }
            let headline = Headline(
                id: rows.text(5), source: rows.optionalText(11) ?? feed, title: rows.text(6),
                published: Timestamp(milliseconds: rows.int64(3)),
                outlet: outlets.text(rows, 9), summary: rows.optionalText(8), url: rows.optionalText(7),
                note: rows.optionalText(10))
            let stored = StoredHeadline(
                headline: headline, feed: feed, read: rows.int64(1) != 0, starred: rows.int64(2) != 0,
                firstSeen: Timestamp(milliseconds: rows.int64(4)))
            if try !body(stored) { break }
        }
    }
}

/// The text of one row to insert, in one buffer that is reused from row to row: SQLite reads
/// it where it is (SQLITE_STATIC) while the row is stepped, with no allocation and copy per
/// field.
struct TextBuffer {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1024) }

    mutating func clear() { bytes.removeAll(keepingCapacity: true) }

    /// Appends `text`'s UTF-8; its place in the buffer (nil for nil).
    mutating func add(_ text: String?) -> Range<Int>? {
        guard let text else { return nil }
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        return start..<bytes.count
    }

    func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer(body)
    }
}

/// Shares the strings of a column with few distinct values (outlets) across the rows of one
/// read: one allocation per distinct value instead of one per row.
struct Interner {
    private var known: [(bytes: [UInt8], text: String)] = []

    mutating func text(_ rows: RawStatement, _ column: Int32) -> String? {
        guard !rows.isNull(column), let pointer = sqlite3_column_text(rows.handle, column) else { return nil }
        let bytes = UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(rows.handle, column)))
        // Short strings are stored inline (no allocation): nothing to share.
        if bytes.count <= 15 { return String(decoding: bytes, as: UTF8.self) }
        for entry in known where entry.bytes.count == bytes.count && entry.bytes.elementsEqual(bytes) {
            return entry.text
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if known.count < 64 { known.append((Array(bytes), text)) }
        return text
    }
}
