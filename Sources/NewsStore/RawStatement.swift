import GRDB
import GRDBSQLite

/// One of GRDB's cached prepared statements, bound, stepped and read through SQLite's C
/// API: the store's hot paths (storing a batch, reading the start-up history) without
/// GRDB's per-call argument arrays and per-row `Row`s. Used only inside one `write` or
/// `read` block; every use ends with ``reset()`` (``run()`` does it), so that GRDB finds
/// the statement as it left it.
struct RawStatement {
    let handle: OpaquePointer
    let connection: OpaquePointer?
    let sql: String

    /// SQLite copies bound text at once (SQLITE_TRANSIENT).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, _ sql: String) throws {
        let statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        self.sql = sql
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bytes in
            // A non-nil pointer even for "" (SQLite binds NULL for a nil one).
            let base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
            _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
        }
    }

    /// Binds `range` of `bytes` as text (NULL for nil) without a copy (SQLITE_STATIC): `bytes`
    /// must stay where it is, unchanged, until the statement is stepped and bound anew.
    func bind(_ index: Int32, _ range: Range<Int>?, in bytes: UnsafeBufferPointer<UInt8>) {
        guard let range else {
            sqlite3_bind_null(handle, index)
            return
        }
        // A non-nil pointer even for "" (SQLite binds NULL for a nil one).
        let base = bytes.baseAddress.map { $0 + range.lowerBound } ?? UnsafePointer(bitPattern: 1)!
        _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(range.count), nil)
    }

    /// One step: true for a row, false when done.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error()
        }
    }

    /// Steps to the end (an INSERT, an UPDATE) and resets.
    func run() throws {
        defer { reset() }
        while try step() {}
    }

    func reset() {
        sqlite3_reset(handle)
    }

    func error() -> DatabaseError {
        let code = sqlite3_extended_errcode(connection)
        let message = connection.map { String(cString: sqlite3_errmsg($0)) }
        sqlite3_reset(handle)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    /// The column's text ("" for NULL).
    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? {
        isNull(column) ? nil : text(column)
    }
}
