import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NewsCore
import NewsFeeds
import NewsUI

/// `newsdesk feeds add|list|import|export`: the subscriptions file
/// (`$XDG_CONFIG_HOME/newsdesk/feeds`, see ``SubscriptionsFile``). Each run writes its
/// output and messages through the given functions and returns the exit status (sysexits:
/// 65 a duplicate or a broken OPML file, 66 a missing input, 73 a file that cannot be
/// written, 74 an output error, 78 a malformed subscriptions file).
public struct FeedsRun {
    /// The subscriptions file; nil when neither XDG_CONFIG_HOME nor HOME gives one.
    public var path: String?
    public var home: String?
    /// Standard output, and messages for standard error (without the `newsdesk: ` before them), a line at a time.
    public var out: (String) -> Void
    public var err: (String) -> Void
    /// The feeds' states from the live runs (``FeedStateFile``), for `feeds list`; nil: none shown.
    public var statePath: String?

    public init(path: String?, home: String?, out: @escaping (String) -> Void, err: @escaping (String) -> Void,
                statePath: String? = nil) {
        self.path = path
        self.home = home
        self.out = out
        self.err = err
        self.statePath = statePath
    }

    /// The `feeds` commands on the file `--feeds FILE` names (else the XDG one), printing to
    /// standard output and standard error.
    public init(given: String?) {
        let environment = ProcessInfo.processInfo.environment
        self.init(path: FeedsRun.path(given: given, environment: environment), home: environment["HOME"],
                  out: { print($0) }, err: { warn($0) }, statePath: FeedStateFile.defaultPath(environment: environment))
    }

    /// The file `--feeds FILE` names, else the XDG one for `environment`.
    public static func path(given: String?, environment: [String: String]) -> String? {
        given ?? SubscriptionsFile.defaultPath(environment: environment)
    }

    /// The exit status for a problem with the file (or an OPML file).
    static func status(_ error: SubscriptionError) -> Int32 {
        switch error.kind {
        case .malformed: 78
        case .duplicate: 65
        case .unreadable: 66
        case .unwritable: 73
        }
    }

    func noPath() -> Int32 {
        err("no subscriptions file: neither XDG_CONFIG_HOME nor HOME is an absolute folder (give --feeds FILE)")
        return 78
    }

    /// `feeds add LOCATION [NAME] [--every D] [--tag T]...`.
    public func add(location: String, name: String?, every: Duration?, tags: [String]) -> Int32 {
        guard let path else { return noPath() }
        var subscription: Subscription
        switch SubscriptionsFile.subscription(location: location, name: name, home: home) {
        case .success(let s): subscription = s
        case .failure(let problem):
            err("feeds add: \(problem)")
            return 64
        }
        if let every {
            guard every >= SubscriptionsFile.minimumEvery else {
                err("feeds add: --every must be at least \(SubscriptionsFile.formatEvery(SubscriptionsFile.minimumEvery))")
                return 64
            }
            subscription.every = every
        }
        for tag in tags {
            if let problem = SourceName.problem(tag) {
                err("feeds add: --tag \(TerminalSafe.sanitize(tag)): \(problem)")
                return 64
            }
        }
        subscription.tags = tags
        do {
            let file = try SubscriptionsFile.add(subscription, to: path, home: home)
            let names = file.sourceNames
            let shown = file.entries.last.map { _ in names.last ?? subscription.effectiveName } ?? subscription.effectiveName
            err("added \(TerminalSafe.sanitize(subscription.location.description)) as \(TerminalSafe.sanitize(shown)) to \(TerminalSafe.sanitize(file.path))")
            // Kept (a file another program writes later is a fine feed), but a typo should not go unnoticed.
            if case .path(let p) = subscription.location, !FileManager.default.fileExists(atPath: p) {
                err("note: \(TerminalSafe.sanitize(p)) does not exist (yet): newsdesk watches for it")
            }
            return 0
        } catch {
            err("\(error)")
            return FeedsRun.status(error)
        }
    }

    /// `feeds list`: one line per feed (its source name, how often, its tags, where it is).
    /// `feeds list`: each subscription, and for a URL how its last polls went (from the
    /// live runs: status, last fetch, next due, items, last error), ages against `now`.
    public func list(now: Timestamp = LiveFeeds.realNow()) -> Int32 {
        guard let path else { return noPath() }
        let file: SubscriptionsFile
        do {
            guard let loaded = try SubscriptionsFile.load(path: path, home: home) else {
                err("no subscriptions yet (\(TerminalSafe.sanitize(SubscriptionsFile.absolute(path))) does not exist): add one with 'newsdesk feeds add URL'")
                return 0
            }
            file = loaded
        } catch {
            err("\(error)")
            return FeedsRun.status(error)
        }
        let names = file.sourceNames
        let states = statePath.map(FeedStateFile.load) ?? [:]
        func ago(_ t: Timestamp?) -> String {
            guard let t else { return "-" }
            let age = RelativeTime.format(from: t, to: now)
            return age == "now" ? age : age + " ago"
        }
        func due(_ t: Timestamp?) -> String {
            guard let t else { return "-" }
            return t.milliseconds - now.milliseconds < 1000 ? "due" : "in " + RelativeTime.format(from: now, to: t)
        }
        func status(_ h: SourceHealth) -> String {
            if let to = h.movedTo { return "moved to \(to)" }
            switch h.status {
            case .waiting: return "not fetched"
            case .ok: return "ok"
            case .failed: return "failed"
            case .rateLimited: return "rate-limited"
            }
        }
        let rows = file.entries.indices.map { i -> [String] in
            let s = file.entries[i].subscription
            let health: SourceHealth? = if case .url(let u) = s.location { states[u] ?? SourceHealth() } else { nil }
            return [names[i], s.every.map(SubscriptionsFile.formatEvery) ?? "-", s.tags.isEmpty ? "-" : s.tags.joined(separator: ","),
                    health.map(status) ?? "-", ago(health?.lastPoll), due(health?.nextDue), health?.items.map(String.init) ?? "-",
                    health?.lastError.map { String($0.prefix(60)) } ?? "-", s.location.description].map(TerminalSafe.sanitize)
        }
        let header = ["NAME", "EVERY", "TAGS", "STATUS", "LAST FETCH", "NEXT", "ITEMS", "LAST ERROR", "FEED"]
        for line in FeedsRun.table(header: header, rows: rows) { out(line) }
        return 0
    }

    /// `feeds import FILE.opml`: the feeds in it that the file does not have yet.
    public func importOPML(_ opml: String) -> Int32 {
        guard let path else { return noPath() }
        do {
            let document = try OPML.read(path: opml)
            for note in document.notes { err("\(note)") }
            let file = try SubscriptionsFile.load(path: path, home: home) ?? SubscriptionsFile(path: path)
            let (added, already) = file.importing(document.subscriptions)
            if !added.isEmpty { try SubscriptionsFile.append(added, to: path, home: home) }
            var summary = "imported \(CountText.counted(added.count, "feed", "feeds")) into \(TerminalSafe.sanitize(SubscriptionsFile.absolute(path)))"
            if !already.isEmpty { summary += "; \(CountText.counted(already.count, "feed was", "feeds were")) there already" }
            err(summary)
            return document.subscriptions.isEmpty ? 65 : 0
        } catch {
            err("\(error)")
            // A missing or broken OPML file is bad input (66, 65); the subscriptions file as before.
            if error.path == opml || error.path == SubscriptionsFile.absolute(opml) {
                return error.kind == .unreadable ? 66 : 65
            }
            return FeedsRun.status(error)
        }
    }

    /// `feeds export`: the subscriptions as OPML 2.0 on standard output.
    public func export(now: Timestamp) -> Int32 {
        guard let path else { return noPath() }
        do {
            let file = try SubscriptionsFile.load(path: path, home: home) ?? SubscriptionsFile(path: path)
            var text = OPML.export(file.subscriptions, now: now)
            if text.hasSuffix("\n") { text.removeLast() }
            out(text)
            return 0
        } catch {
            err("\(error)")
            return FeedsRun.status(error)
        }
    }

    /// Left-aligned columns, two spaces apart; the last column is not padded.
    static func table(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { TextWidth.columns($0[c]) }.max() ?? 0 }
        return all.map { row in
            row.indices.map { c in
                c == row.count - 1 ? row[c] : row[c] + String(repeating: " ", count: widths[c] - TextWidth.columns(row[c]))
            }.joined(separator: "  ")
        }
    }
}
