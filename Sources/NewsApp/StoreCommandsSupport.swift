import Foundation
import NewsCore
import NewsStore

/// What `search`, `export`, `feeds forget` and `import --store` share: the store file
/// that must already exist (they read or change a store, they never create an empty one).
public enum StoreAccess {
    /// Opens the existing store of `choice`: no path (neither `HOME` nor `XDG_DATA_HOME`)
    /// or no file there is exit 66 (EX_NOINPUT) and creates nothing; a store that cannot be
    /// opened is its ``StoreError/exitStatus`` (73 or 74), its message on stderr.
    public static func openExisting(_ choice: StoreChoice, clock: @escaping @Sendable () -> Timestamp = LiveFeeds.realNow)
        throws(CommandExit) -> HeadlineStore
    {
        guard let path = choice.path else {
            warn("no store: give --store FILE (neither HOME nor XDG_DATA_HOME is set)")
            throw CommandExit(66)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            warn(TerminalSafe.sanitize("no store at \(path) (a live run of real feeds, or import --store, makes one)"))
            throw CommandExit(66)
        }
        if isFolder.boolValue {
            warn(TerminalSafe.sanitize("store \(path): is a folder, not a store file"))
            throw CommandExit(66)
        }
        return try open(choice, clock: clock)
    }

    /// Opens (creating if need be) the store of `choice`, which has a path.
    public static func open(_ choice: StoreChoice, clock: @escaping @Sendable () -> Timestamp = LiveFeeds.realNow)
        throws(CommandExit) -> HeadlineStore
    {
        switch choice.open(clock: clock) {
        case .success(let store?): return store
        case .success(nil):
            warn("no store: give --store FILE")
            throw CommandExit(66)
        case .failure(let error):
            warn(TerminalSafe.sanitize("\(error)"))
            throw CommandExit(error.exitStatus)
        }
    }

    /// Runs `body` on the store; a ``StoreError`` is its message and exit status.
    public static func attempt<T>(_ body: () throws(StoreError) -> T) throws(CommandExit) -> T {
        do throws(StoreError) {
            return try body()
        } catch {
            warn(TerminalSafe.sanitize("\(error)"))
            throw CommandExit(error.exitStatus)
        }
    }

    /// Writes `bytes` to standard output, all of them (a reader gone is the end, quietly).
    static func writeOut(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = Foundation.write(STDOUT_FILENO, raw.baseAddress! + sent, raw.count - sent)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                sent += n
            }
        }
    }
}
