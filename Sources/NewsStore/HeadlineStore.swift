import Foundation
import GRDB
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
    public func store(_ headlines: [Headline], feed: String) throws(StoreError) -> [InsertOutcome] {
        if headlines.isEmpty { return [] }
        let now = clock().milliseconds
        return try write { db in
            let feedID = try Self.feedID(db, name: feed, create: true)!
            let find = try db.cachedStatement(sql: """
                SELECT id, title, url, summary, outlet, note, source, read, starred FROM items
                WHERE feed_id = ? AND key_hash = ? AND item_id = ?
                """)
            let add = try db.cachedStatement(sql: """
                INSERT INTO items (feed_id, key_hash, published, first_seen, item_id, title, url, summary, outlet, note, source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let change = try db.cachedStatement(sql: """
                UPDATE items SET title = ?, url = ?, summary = ?, outlet = ?, note = ?, source = ? WHERE id = ?
                """)
            var result: [InsertOutcome] = []
            result.reserveCapacity(headlines.count)
            for h in headlines {
                let hash = Schema.keyHash(h.id)
                let source: String? = h.source == feed ? nil : h.source
                if let row = try Row.fetchOne(find, arguments: [feedID, hash, h.id]) {
                    let same = row[1] as String == h.title && row[2] as String? == h.url
                        && row[3] as String? == h.summary && row[4] as String? == h.outlet
                        && row[5] as String? == h.note && row[6] as String? == source
                    if !same {
                        try change.execute(arguments: [h.title, h.url, h.summary, h.outlet, h.note, source, row[0] as Int64])
                    }
                    var marks: HeadlineMarks = []
                    if row[7] as Bool { marks.insert(.read) }
                    if row[8] as Bool { marks.insert(.starred) }
                    result.append(InsertOutcome(isNew: false, marks: marks))
                } else {
                    try add.execute(arguments: [
                        feedID, hash, h.published.milliseconds, now, h.id, h.title,
                        h.url, h.summary, h.outlet, h.note, source,
                    ])
                    result.append(InsertOutcome(isNew: true, marks: []))
                }
            }
            return result
        }
    }

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
                sql: "UPDATE items SET \(column) = ? WHERE feed_id = ? AND key_hash = ? AND item_id = ?")
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
                try update.execute(arguments: [value, feedID, Schema.keyHash(key.id), key.id])
            }
        }
    }

    // MARK: - Reading headlines

    /// The newest `limit` headlines by published time, oldest first.
    public func recent(limit: Int) throws(StoreError) -> [StoredHeadline] {
        guard limit > 0 else { return [] }
        return try read { db in
            let names = try Self.feedNames(db)
            let rows = try Row.fetchCursor(db, sql: "SELECT \(Self.columns) FROM items ORDER BY published DESC, id DESC LIMIT ?", arguments: [limit])
            var out: [StoredHeadline] = []
            while let row = try rows.next() { out.append(Self.stored(row, names)) }
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
            let names = try Self.feedNames(db)
            let rows: RowCursor
            if terms.isEmpty {
                rows = try Row.fetchCursor(db, sql: "SELECT \(Self.columns) FROM items ORDER BY published DESC, id DESC")
            } else {
                rows = try Row.fetchCursor(db, sql: """
                    SELECT \(Self.columns) FROM items
                    WHERE id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)
                    ORDER BY published DESC, id DESC
                    """, arguments: [terms])
            }
            var out: [StoredHeadline] = []
            while out.count < limit, let row = try rows.next() {
                let item = Self.stored(row, names)
                if accept(item) { out.append(item) }
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

    private static func stored(_ row: Row, _ names: [Int64: String]) -> StoredHeadline {
        let feed = names[row[0] as Int64] ?? ""
        let source: String? = row[11]
        let headline = Headline(
            id: row[5], source: source ?? feed, title: row[6],
            published: Timestamp(milliseconds: row[3]),
            outlet: row[9], summary: row[8], url: row[7], note: row[10])
        return StoredHeadline(
            headline: headline, feed: feed, read: row[1], starred: row[2],
            firstSeen: Timestamp(milliseconds: row[4]))
    }
}
