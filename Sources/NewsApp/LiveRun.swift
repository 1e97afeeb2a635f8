#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NewsCore
import NewsFetch
import NewsStore

/// `newsdesk live` once its arguments are read: which sources run (the feeds given, else
/// the subscriptions file's, else the simulated ones), the recording, and the view or the
/// printed lines. The executable fills it in and passes the view (the terminal is not this
/// module's).
public struct LiveRun {
    /// The feeds to watch (`--feed`, or the subscriptions file's).
    public var specs: [FeedSpec]
    /// The simulated sources' options (seed, start, faults); nil when they do not run.
    public var simulated: SimulatedFeedOptions?
    /// `--record FILE` and `--force`.
    public var record: (path: String, force: Bool)?
    public var clock: ClockChoice
    public var merge: MergeOptions
    /// How often URLs are polled (unless their subscription says), and a fetch's timeout.
    public var every: Duration
    public var timeout: Duration
    public var version: String
    /// The specs are the subscriptions file's: a missing file among them is that feed's
    /// failure, reported while the others run, not a reason to refuse the whole run (exit 66).
    public var fromSubscriptions = false
    /// Where each URL feed's last outcome is kept for `feeds list` (nil: not kept).
    public var statePath: String?
    /// The store (issue 13): real feeds are kept in it, the simulated sources only when it was named.
    public var store = StoreChoice(path: nil, explicit: false)
    /// `--keep`: what the store prunes at the start of the run.
    public var keep: Retention?
    /// `--all`: plain mode prints the headlines the store had seen before too.
    public var showSeen = false

    public init(specs: [FeedSpec], simulated: SimulatedFeedOptions?, record: (path: String, force: Bool)?, clock: ClockChoice,
                merge: MergeOptions, every: Duration, timeout: Duration, version: String) {
        self.specs = specs
        self.simulated = simulated
        self.record = record
        self.clock = clock
        self.merge = merge
        self.every = every
        self.timeout = timeout
        self.version = version
    }

    /// What the view needs to start: the sources, when the feed starts, the recorder.
    public struct Wiring: Sendable {
        public var sources: [any HeadlineSource]
        public var start: Timestamp
        public var recorder: RecordingWriter?
        /// The store the headlines are committed to before they are shown, if any.
        public var keeper: StoreKeeper?
        /// Why the store could not be opened (the view runs without it and says so).
        public var storeProblem: String?
        /// The feeds fetched over HTTP, by name, their refresh signal and their events
        /// (nil without such a feed).
        public var feeds: Set<String> = []
        public var refresh: FeedRefresh?
        public var feedEvents: FeedEvents?
    }

    /// Runs the feed: in the view when `view` is given, else as lines printed by `printer`
    /// (its recorder is set here). Exit 66 for a missing feed file, 64 for `--feed -` from
    /// a terminal in the view, 73 for a recording that cannot be created.
    public func run(printer: PlainPrinter, view: ((Wiring) async throws -> Int32)?) async throws -> Int32 {
        if !fromSubscriptions, let missing = LiveFeeds.missingFile(specs) {
            warn(missing)
            throw CommandExit(66)
        }
        // The view reads keys from the terminal: it cannot also be the feed.
        if view != nil && specs.contains(where: \.isStandardInput) && isatty(STDIN_FILENO) == 1 {
            warn("--feed - reads standard input, which is the terminal here: pipe headlines into newsdesk, or use --plain to type them")
            throw CommandExit(64)
        }
        // The simulated feed alone starts at --start-time (or now); feeds are in real time.
        let simulated = self.simulated
        let start = specs.isEmpty ? simulated?.resolvedStart ?? LiveFeeds.realNow() : LiveFeeds.realNow()
        let header = RecordingHeader(started: start, seed: simulated?.resolvedSeed,
                                     sources: specs.map(\.name) + (simulated == nil ? [] : SimulatedSource.defaultNames))
        let recorder = try record.map { [header] in try Recorders.open(path: $0.path, force: $0.force, header: header) }
        defer { try? recorder?.close() }
        let specs = self.specs, clock = self.clock, merge = self.merge
        let statePath = self.statePath
        // The store: opened before any source runs. Without it the view still runs and
        // says why; plain mode stops (a cron job would otherwise print everything again).
        var keeper: StoreKeeper?, storeProblem: String?
        if store.stores(realFeeds: !specs.isEmpty) {
            switch store.open() {
            case .success(let opened?):
                keeper = StoreKeeper(store: opened, unstored: store.explicit || simulated == nil ? [] : Set(SimulatedSource.defaultNames))
                if let keep {
                    do throws(StoreError) { try keep.prune(opened, now: LiveFeeds.realNow()) } catch {
                        warn("\(error)")
                        storeProblem = "\(error)"
                    }
                }
            case .success(nil):
                break
            case .failure(let error):
                warn("\(error)")
                if view == nil { throw CommandExit(error.exitStatus) }
                storeProblem = "\(error)"
            }
        }
        let tagged = keeper != nil && store.explicit
        let status = try await LiveFeeds.withHTTP(specs, every: every, timeout: timeout, version: version) { http -> Int32 in
            let stateFile = statePath.map { FeedStateFile(path: $0, urls: Dictionary(specs.filter(\.isURL).map { ($0.name, $0.path) }) { a, _ in a }) }
            if let http, let stateFile { http.events.record(into: stateFile) }
            var http = http
            if let store = keeper?.store {
                let state = StoreFeedState(store: store)
                http?.state = state
                http?.events.record(into: state)
            }
            let feedsOverHTTP = http
            defer { stateFile?.finish() }
            // The feeds as given, then the simulated sources (when they run).
            @Sendable func sources() throws -> [any HeadlineSource] {
                LiveFeeds.sources(specs, start: start, http: feedsOverHTTP) + (try simulated?.sources(start: start, tagged: tagged) ?? [])
            }
            if let view {
                return try await view(Wiring(sources: try sources(), start: start, recorder: recorder, keeper: keeper,
                                             storeProblem: storeProblem, feeds: Set(specs.filter(\.isURL).map(\.name)),
                                             refresh: http?.refresh, feedEvents: http?.events))
            }
            // Plain mode: the problems are on stderr (the merge's), and a moved feed too.
            http?.events.connect { source, event, _ in
                if let message = FeedEvents.plainMessage(source, event) { warn(message) }
            }
            var printer = printer
            printer.recorder = recorder
            printer.keeper = keeper
            printer.showSeen = showSeen
            return await Interruptible.run(grace: Interruptible.liveGrace) { [printer] in
                try await printer.run(try sources(), clock: clock, options: merge)
            }
        }
        try recorder?.close()
        return status
    }
}
