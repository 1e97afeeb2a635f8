#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NewsCore
import NewsFetch
import NewsUI

/// The HTTP feeds' health between runs (the sources screen's ``SourceHealth``), by URL, in `$XDG_STATE_HOME/newsdesk/feeds-state.json`
/// (`~/.local/state/newsdesk/feeds-state.json`): a live run records each poll's outcome,
/// `feeds list` shows it. Written whole, under a temporary name then renamed, at most every
/// 2 s and once at the end of the run, so that a crash leaves the last complete version. A
/// file that cannot be read is as none (the next run writes a good one). The store of
/// issue 13 is to take this over.
public final class FeedStateFile: Sendable {
    public let path: String
    private let urls: [String: String]
    private let state: Protected<(feeds: [String: SourceHealth], dirty: Bool, savedAt: Int64)>
    static let saveEvery: Int64 = 2000

    /// A recorder for the feeds `urls` (source name → URL), starting from what `path` holds.
    public init(path: String, urls: [String: String]) {
        self.path = path
        self.urls = urls
        state = Protected((FeedStateFile.load(path: path), false, 0))
    }

    /// `$XDG_STATE_HOME/newsdesk/feeds-state.json`, else `~/.local/state/...`; nil without either.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/newsdesk/feeds-state.json" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/state/newsdesk/feeds-state.json" }
        return nil
    }

    /// The states in the file at `path`, by URL (none when it is missing or cannot be read).
    public static func load(path: String) -> [String: SourceHealth] {
        guard let data = FileManager.default.contents(atPath: path),
              let feeds = try? JSONDecoder().decode([String: SourceHealth].self, from: data) else { return [:] }
        return feeds
    }

    /// Records `event` of the source `name` (saved within 2 s).
    public func record(_ name: String, _ event: HTTPFeedEvent, at time: Timestamp) {
        guard let url = urls[name] else { return }
        let snapshot = state.withLock { s -> [String: SourceHealth]? in
            s.feeds[url, default: SourceHealth()].apply(FeedEvents.update(event, at: time))
            s.dirty = true
            guard time.milliseconds - s.savedAt >= Self.saveEvery else { return nil }
            s.savedAt = time.milliseconds
            s.dirty = false
            return s.feeds
        }
        if let snapshot { save(snapshot) }
    }

    /// Saves what is not saved yet (at the end of the run).
    public func finish() {
        let snapshot = state.withLock { s -> [String: SourceHealth]? in
            guard s.dirty else { return nil }
            s.dirty = false
            return s.feeds
        }
        if let snapshot { save(snapshot) }
    }

    private func save(_ feeds: [String: SourceHealth]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(feeds) else { return }
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(getpid())"
        // Not the feed's business to stop a run: a state that cannot be written is only not remembered.
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }
}
