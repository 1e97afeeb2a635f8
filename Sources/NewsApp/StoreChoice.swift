#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NewsCore
import NewsStore

/// Which store a run uses (issue 13): `--store PATH`, else the default one
/// (`$XDG_DATA_HOME/newsdesk/newsdesk.db`), or none with `--no-store`.
public struct StoreChoice: Sendable, Equatable {
    /// The store's file; nil: no store.
    public var path: String?
    /// Named with `--store`: then even the simulated sources are stored (a demo never
    /// fills a person's archive unless asked).
    public var explicit: Bool

    public init(path: String?, explicit: Bool) {
        self.path = path
        self.explicit = explicit
    }

    /// `--store` (`given`) and `--no-store` as a choice; the default path from `environment`
    /// (nil without `HOME` or `XDG_DATA_HOME`: no store).
    public static func resolve(given: String?, noStore: Bool, environment: [String: String]) -> StoreChoice {
        if noStore { return StoreChoice(path: nil, explicit: false) }
        if let given { return StoreChoice(path: given, explicit: true) }
        return StoreChoice(path: HeadlineStore.defaultPath(environment: environment), explicit: false)
    }

    /// Whether a run of these sources stores what it sees: real feeds always (with a path),
    /// the simulated sources only when the store was named.
    public func stores(realFeeds: Bool) -> Bool { path != nil && (realFeeds || explicit) }

    /// Opens the store (nil without a path), or the reason it cannot be.
    public func open(clock: @escaping @Sendable () -> Timestamp = LiveFeeds.realNow) -> Result<HeadlineStore?, StoreError> {
        guard let path else { return .success(nil) }
        // A folder, a FIFO or a device is no store: say what it is, not SQLite's "disk I/O error".
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            let kind = info.st_mode & S_IFMT
            let what = kind == S_IFDIR ? "a folder" : kind == S_IFIFO ? "a FIFO" : kind == S_IFSOCK ? "a socket" : "a device"
            return .failure(StoreError(path: path, reason: "\(what), not a store file (give the path of a file, made if missing)",
                                       kind: .cannotOpen))
        }
        do throws(StoreError) {
            return .success(try HeadlineStore(path: path, clock: clock))
        } catch {
            return .failure(error)
        }
    }
}
