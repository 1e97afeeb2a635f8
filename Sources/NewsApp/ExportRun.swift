import Foundation
import NewsCore
import NewsStore

/// `newsdesk export --out FILE`: the stored headlines as a recording that `replay` plays
/// with their real gaps (issue 13).
public struct ExportRun: Sendable {
    /// `--out`: a file, or `-` for standard output.
    public var out: String
    public var force: Bool
    /// `--since`: only headlines published at most this long before `now`.
    public var since: Int64?
    /// `--filter`: only those matching (validated; the query language of `--filter`).
    public var filter: String?
    public var store: StoreChoice
    /// Now, for `--since`.
    public var now: @Sendable () -> Timestamp

    public init(out: String, force: Bool = false, since: Int64? = nil, filter: String? = nil, store: StoreChoice,
                now: @escaping @Sendable () -> Timestamp = LiveFeeds.realNow) {
        self.out = out
        self.force = force
        self.since = since
        self.filter = filter
        self.store = store
        self.now = now
    }

    /// The headlines to export, oldest first by published time (ties by the order stored).
    public func selected(from store: HeadlineStore) throws(StoreError) -> [Headline] {
        var matcher = HeadlineMatcher(Filters.query(filter))
        let cutoff = since.map { now().adding(milliseconds: -$0) }
        // The whole store, newest first, each headline judged as it is read.
        let found = try store.search("", limit: .max) { item in
            if let cutoff, item.headline.published < cutoff { return false }
            return matcher.matches(item.headline)
        }
        return found.reversed().map(\.headline)
    }

    /// The recording of `headlines` (oldest first): offset 0 is the first one's published
    /// time, the header lists the sources in the order they first appear.
    public static func arrivals(_ headlines: [Headline]) -> (header: RecordingHeader, arrivals: [Arrival]) {
        let start = headlines.first?.published ?? Timestamp(milliseconds: 0)
        var sources: [String] = []
        var seen: Set<String> = []
        for h in headlines where seen.insert(h.source).inserted { sources.append(h.source) }
        let arrivals = headlines.map { Arrival(offset: $0.published.milliseconds - start.milliseconds, headline: $0) }
        return (RecordingHeader(started: start, sources: sources, origin: "newsdesk export"), arrivals)
    }

    /// Exports; throws the exit status: 66 without a store file (none is created), 73 for
    /// an `--out` that exists without `--force` or cannot be created, 74 for a store that
    /// cannot be read or a recording that cannot be written, 1 when nothing is selected
    /// (no file is written).
    public func run() throws(CommandExit) {
        let store = try StoreAccess.openExisting(self.store)
        let headlines = try StoreAccess.attempt { () throws(StoreError) in try selected(from: store) }
        guard !headlines.isEmpty else {
            warn(TerminalSafe.sanitize("nothing to export from \(store.path)\(since != nil || filter != nil ? " (with --since/--filter)" : ""); \(out == "-" ? "nothing written" : "\(out) was not written")"))
            throw CommandExit(1)
        }
        let (header, arrivals) = Self.arrivals(headlines)
        let recorder = try Recorders.open(out, force: force, header: header)
        do {
            var start = 0
            while start < arrivals.count, !recorder.readerGone {
                let end = min(arrivals.count, start + 4096)
                try recorder.write(Array(arrivals[start..<end]))
                start = end
            }
            try recorder.close()
        } catch {
            if recorder.readerGone { return }
            warn("\(error)")
            throw CommandExit(74)
        }
        if recorder.readerGone { return }
        warn(TerminalSafe.sanitize("exported \(CountText.counted(arrivals.count, "headline", "headlines")) to \(recorder.path), spanning \(DurationText.format(arrivals.last!.offset))"))
    }
}

/// `newsdesk feeds forget NAME`: one feed's history and state out of the store.
public enum ForgetRun {
    /// Forgets `name` in the existing store of `choice`, saying on stdout how many headlines
    /// went. A feed the store does not know is exit 1 (thrown) with the feeds it knows.
    public static func run(feed name: String, store choice: StoreChoice) throws(CommandExit) {
        let store = try StoreAccess.openExisting(choice)
        let known = try StoreAccess.attempt { () throws(StoreError) in try store.feeds() }
        guard known.contains(name) else {
            let list = known.isEmpty ? "it has none" : "its feeds: \(known.joined(separator: ", "))"
            warn(TerminalSafe.sanitize("the store \(store.path) has no feed '\(name)' (\(list))"))
            throw CommandExit(1)
        }
        let gone = try StoreAccess.attempt { () throws(StoreError) in try store.forget(feed: name) }
        let line = TerminalSafe.sanitize("forgot \(name): \(CountText.counted(gone, "headline", "headlines")) and its feed state")
        StoreAccess.writeOut(Array((line + "\n").utf8))
    }
}
