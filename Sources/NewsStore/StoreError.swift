import GRDB

/// Why the store could not do what it was asked: a sentence for a person, the file, and a
/// kind that decides the exit status where the failure stops the run.
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        /// The file or its folder cannot be opened or created (a parent that is a file, a
        /// folder that cannot be made).
        case cannotOpen
        /// The file or its folder does not let us write.
        case readOnly
        /// Not a database, or a damaged one.
        case corrupt
        /// The disk (or the file system's quota) is full.
        case full
        /// Any other failure of SQLite or the file system, a lock held past the busy
        /// timeout included.
        case io
        /// The store was written by a newer newsdesk (a schema this one does not know).
        case newerSchema

        public var description: String {
            switch self {
            case .cannotOpen: "cannot open"
            case .readOnly: "read-only"
            case .corrupt: "corrupt"
            case .full: "disk full"
            case .io: "I/O error"
            case .newerSchema: "newer schema"
            }
        }
    }

    public var path: String
    public var reason: String
    public var kind: Kind

    public init(path: String, reason: String, kind: Kind) {
        self.path = path
        self.reason = reason
        self.kind = kind
    }

    /// The exit status (sysexits.h) when the failure stops the run: 73 (EX_CANTCREAT) when
    /// the store cannot be created or written at all, 74 (EX_IOERR) otherwise.
    public var exitStatus: Int32 {
        switch kind {
        case .cannotOpen, .readOnly: 73
        case .corrupt, .full, .io, .newerSchema: 74
        }
    }

    public var description: String { "store \(path): \(reason)" }

    /// Maps whatever GRDB or SQLite threw.
    init(_ error: any Error, path: String) {
        if let error = error as? StoreError {
            self = error
            return
        }
        guard let error = error as? DatabaseError else {
            self.init(path: path, reason: "\(error)", kind: .io)
            return
        }
        let message = error.message ?? "\(error.resultCode)"
        let kind: Kind
        switch error.resultCode {
        case .SQLITE_FULL: kind = .full
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH: kind = .readOnly
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: kind = .corrupt
        case .SQLITE_CANTOPEN: kind = .cannotOpen
        default: kind = .io
        }
        let reason = switch kind {
        case .full: "the disk is full (\(message))"
        case .readOnly: "the store is read-only (\(message))"
        case .corrupt: "the store is damaged or not a newsdesk store (\(message))"
        case .cannotOpen: "cannot open the store (\(message))"
        case .io where error.extendedResultCode == .SQLITE_IOERR_WRITE:
            // ENOSPC is SQLITE_FULL; a short write for another reason (EFBIG: a file-size limit, a quota) is this.
            "cannot write to the store: the disk may be full or a file-size limit reached (\(message))"
        case .io, .newerSchema: message
        }
        self.init(path: path, reason: reason, kind: kind)
    }
}
