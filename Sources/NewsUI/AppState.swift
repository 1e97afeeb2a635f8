import DequeModule
import NewsCore

/// Everything that happens to the app arrives as one of these, through one event loop.
public enum AppEvent: Sendable {
    /// A batch from the merged feed; `now` is the feed clock when it was handed over.
    case headlines([Arrival], now: Timestamp)
    case key(Key)
    /// A mouse report (with ``AppConfig/mouse`` on): the wheel scrolls, a click selects, a double click opens.
    case mouse(MouseEvent)
    /// A message for the status line from the runtime (what opening a link came to).
    case notice(String)
    /// The clock ticked (aligned to whole seconds of feed time).
    case tick(now: Timestamp)
    case resize(columns: Int, rows: Int)
    case sourceFailed(source: String, message: String)
    /// A source failed and is retried in `retryIn` milliseconds (of real time).
    case sourceRestarting(source: String, message: String, retryIn: Int64)
    case sourceFinished(source: String)
    /// SIGINT, SIGTERM or SIGHUP: quit cleanly.
    case signal(Int32)
    /// Headlines the view could not keep up with were dropped (never from a recording).
    case dropped(Int)
    /// Where a replay is (position, duration, speed...), for the progress line.
    case replayStatus(ReplayStatus)
    /// What a poll of a feed fetched over HTTP came to, for the sources screen.
    case feedHealth(source: String, FeedHealthUpdate)
    /// The store could not be opened or written: the view goes on without it and says so.
    case storeProblem(String)
    /// The store's headlines that match `query` (`F`), oldest first.
    case storeResults(query: String, [Arrival])
}

/// A control for the replay, asked of the event loop.
public enum ReplayControl: Equatable, Sendable {
    case togglePause, step, faster, slower
    /// Jump this many milliseconds of recording (negative: back).
    case seek(by: Int64)
}

/// The replay's state, as the progress line shows it.
public struct ReplayStatus: Equatable, Sendable {
    /// Milliseconds of recording played.
    public var position: Int64
    /// Milliseconds of recording in all, once known (the file is indexed in the background).
    public var duration: Int64?
    /// `.infinity` for max.
    public var speed: Double
    public var paused: Bool
    /// Malformed lines skipped so far.
    public var skipped: Int
    public var ended: Bool

    public init(position: Int64, duration: Int64?, speed: Double, paused: Bool, skipped: Int = 0, ended: Bool = false) {
        self.position = position
        self.duration = duration
        self.speed = speed
        self.paused = paused
        self.skipped = skipped
        self.ended = ended
    }
}

/// What the reducer asks the outside world to do.
public enum AppEffect: Equatable, Sendable {
    case quit
    case replay(ReplayControl)
    /// Poll these feeds (fetched over HTTP) now (`R`).
    case refresh([String])
    /// Keep these headlines' read mark in the store (Enter, `r`, `A`).
    case setRead([HeadlineKey], Bool)
    /// Keep this headline's star in the store (`s`).
    case setStarred(HeadlineKey, Bool)
    /// Search the whole store for this query (`F`); the answer is ``AppEvent/storeResults(query:_:)``.
    case searchStore(Query)
    /// Ring the terminal's bell: an alert with `bell` matched in this batch of arrivals.
    case bell
    /// Open this link (`o`) with the person's browser: an http, https or file URL (``OpenableLink``).
    case openLink(String)
}

/// Fixed facts about this run.
public struct AppConfig: Sendable {
    /// The session's sources in order (the live sources, a recording's `sources`): the
    /// order of keys 1-9, the header, the source picker and the colours. A source that
    /// is not in it but arrives in the feed is added after them, as it first appears.
    public var sources: [String]
    /// When the feed started (feed time), for rates early on.
    public var feedStart: Timestamp
    /// Colour, or attributes only (monochrome terminals and `NO_COLOR`).
    public var color: Bool
    /// Replaying a recording (the replay keys and progress line are on).
    public var replay: Bool
    /// A source with nothing for this long (feed time, ms) is shown as stale (`--stale-after`).
    public var staleAfter: Int64
    /// The sources fetched over HTTP: the ones `R` refreshes and the sources screen shows
    /// the health of (files and simulated sources have none).
    public var feeds: Set<String>
    /// The run has a store: `F` searches it.
    public var hasStore = false
    /// The saved filters (the config file's `[filters]`), in order: the header's tabs after "all".
    public var filters: [SavedFilter] = []
    /// The alerts (`[alerts]`): matching arrivals are highlighted and counted, some ring.
    public var alerts: [AlertRule] = []
    /// The config file's `[colors]`.
    public var colors = ThemeColors()
    /// The keys in force (a config's `[keys]`): the reducer dispatches through them, the
    /// help screen and the hints show them.
    public var keys: KeyMap = .standard
    /// The mouse is used (`[ui] mouse`): the terminal reports it, and the view acts on it.
    /// Off, the terminal's own selection works.
    public var mouse = true

    public init(sources: [String], feedStart: Timestamp, color: Bool = true, replay: Bool = false,
                staleAfter: Int64 = 30_000, feeds: Set<String> = [], hasStore: Bool = false, keys: KeyMap = .standard,
                mouse: Bool = true) {
        self.hasStore = hasStore
        self.keys = keys
        self.mouse = mouse
        self.sources = sources
        self.feeds = feeds
        self.feedStart = feedStart
        self.color = color
        self.replay = replay
        self.staleAfter = staleAfter
    }
}

/// The whole interactive app as a state machine: ``handle(_:)`` takes an event and
/// returns effects; ``Renderer`` draws the state. No terminal in here.
///
/// The list shows the headlines that match the filter, newest at the top. The selection
/// is kept by headline (its history sequence number), as newsboat does.
///
/// Who owns the selection: at start, and after `G`/End or resuming a pause, it follows
/// the live feed (the newest row is selected and stays selected as new ones arrive, as
/// lnav follows the tail). Once the person places it, by moving it (j/k, pages, `g`) or
/// by opening a headline (Enter), it is theirs: arrivals never move it or the rows under
/// it, even on the top row, and an opened headline stays in the detail view until the
/// person moves. New arrivals are counted instead ("17 new above"); `G` follows live again.
///
/// Source visibility (keys 1-9, the source picker) is its own state, apart from the filter: the filter text
/// shown and edited never contains it and `\` clears only the filter; the header shows
/// which sources are hidden; ``effectiveQuery`` applies both.
///
/// Reading (issue 13): the history keeps each headline's marks (read, starred). Enter
/// marks the opened headline read, `r` toggles read, `A` marks every listed headline
/// read, `s` toggles the star; each asks the store to keep it (``AppEffect/setRead(_:_:)``,
/// ``AppEffect/setStarred(_:_:)``). `u` and `*` list only the unread or the starred ones
/// (``marksFilter``, applied with the query, apart from it like the source toggles); a
/// headline read while `u` is on stays listed until the filter is applied again (another
/// key of `/`, `u`, `*`, a source toggle), as in newsboat.
public struct AppState {
    public enum Mode: Equatable, Sendable {
        case list
        case detail
        case help
        /// The source picker (`S`).
        case sources
    }

    public enum TimeMode: Equatable, Sendable { case relative, absolute }

    /// The filter line being edited (`/`).
    public struct FilterEditor: Equatable, Sendable {
        public var text: String
        /// Cursor position, in characters.
        public var cursor: Int
        /// The filter before editing started, restored by Esc.
        public var original: String
    }

    public private(set) var history: History
    public let config: AppConfig
    public private(set) var columns: Int
    public private(set) var rows: Int
    public private(set) var now: Timestamp
    public private(set) var mode: Mode = .list
    /// The mode the help was opened from, and the first help line shown (it scrolls).
    public private(set) var helpReturn: Mode = .list
    public private(set) var helpScroll = 0
    /// The filter as typed (the committed one, or the live one while editing).
    public private(set) var filterText = ""
    public private(set) var userQuery: Query = .all
    public private(set) var editor: FilterEditor?
    /// Every source so far in order: `config.sources`, then the others as they first
    /// arrived. Never shrinks (a seek keeps it), so positions and colours stay put.
    public private(set) var sources: SourceOrder
    /// Sources switched off (keys 1-9, the source picker).
    public private(set) var hiddenSources: Set<String> = []
    /// The source picker's cursor and its top row (positions in ``sources``).
    public private(set) var pickerCursor = 0
    public private(set) var pickerTop = 0
    /// Only unread (`u`) or starred (`*`) headlines listed.
    public private(set) var marksFilter = MarksFilter.any
    /// The matches of the filter, the source toggles and the marks filter.
    public private(set) var view: FilteredView
    /// The selected headline (history sequence number); nil when the list is empty.
    public private(set) var selected: Int?
    /// The headline in the top row, when not following the live feed.
    public private(set) var topSeq: Int?
    /// The selection is on the newest headline and moves with new arrivals.
    public private(set) var following = true
    /// History position when the user scrolled away from the live end ("17 new above").
    public private(set) var awaySince = 0
    public private(set) var paused = false
    /// While paused, only headlines before this sequence number are listed.
    public private(set) var pauseBoundary = 0
    public private(set) var timeMode: TimeMode = .relative
    public private(set) var stats: SourceStats
    /// A transient message for the status line, and until when it shows.
    public private(set) var message: (text: String, until: Timestamp)?
    /// The last click on a list row (the headline, the event's time), for a double click.
    private var lastClick: (seq: Int, time: Int64)?
    /// Sources that are failing now (being retried, or given up), with the error: shown in
    /// the header until the source produces again.
    public private(set) var failing: [String: String] = [:]
    /// The health of the feeds fetched over HTTP (``AppConfig/feeds``), by name, as far
    /// as they have been polled.
    public private(set) var health: [String: SourceHealth] = [:]
    /// Whether a source has had nothing for longer than `config.staleAfter` (and is not failing).
    public func isStale(_ entry: SourceStats.Entry) -> Bool {
        guard failing[entry.name] == nil, !finishedSources.contains(entry.name), !feedEnded else { return false }
        let last = entry.last ?? config.feedStart
        return now.milliseconds - last.milliseconds > config.staleAfter
    }

    /// Sources that have sent their last headline (`.sourceFinished`).
    public private(set) var finishedSources: Set<String> = []
    /// The feed has ended: every configured source finished (a `--duration` feed), or the
    /// replay played to its end (its one source is the recording, which the progress line
    /// reports). Nothing more will come, so no source is called stale.
    public var feedEnded: Bool {
        if config.replay { return replay?.ended == true }
        return !config.sources.isEmpty && config.sources.allSatisfy { finishedSources.contains($0) }
    }

    /// The store's search shown in place of the live list (`F`): its query, and the live
    /// list set aside meanwhile (arrivals still go to it). Nil: the live list.
    public private(set) var storeSearch: String?
    private var setAside: ListState?
    /// Live headlines that arrived while the store's results were shown.
    public var arrivedWhileSearching: Int { setAside?.arrived ?? 0 }

    /// What a list is: its history, its matches and where the person is in it.
    struct ListState {
        var history: History
        var view: FilteredView
        var selected: Int?
        var topSeq: Int?
        var following: Bool
        var awaySince: Int
        var paused: Bool
        var pauseBoundary: Int
        var arrived = 0
    }

    /// Why the store is not keeping what is shown (it could not be opened, or a write
    /// failed), for the status line; nil while it works (or without a store).
    public private(set) var storeProblem: String?

    /// The replay's progress, when replaying.
    public private(set) var replay: ReplayStatus?
    /// Headlines dropped from the view under overload (see ``EventQueue``).
    public private(set) var dropped = 0

    public init(history: History, config: AppConfig, columns: Int, rows: Int, now: Timestamp) {
        self.history = history
        self.config = config
        self.columns = columns
        self.rows = rows
        self.now = now
        self.view = FilteredView(history: history)
        self.sources = SourceOrder(config.sources)
        self.stats = SourceStats(sources: sources.names, start: config.feedStart)
        self.tabs = FilterTabs(config.filters, sources: config.sources, history: history)
        self.alertWatch = AlertWatch(config.alerts, sources: config.sources)
        selectNewest()
    }

    // MARK: saved filters and alerts

    /// The saved filters' tabs and their counts.
    private(set) var tabs: FilterTabs
    /// The alerts and how many arrivals matched them.
    private(set) var alertWatch: AlertWatch

    /// The tab row under the header: there are saved filters or alerts.
    public var showsTabs: Bool { !tabs.isEmpty || !alertWatch.isEmpty }
    /// The tabs in order, "all" first, with their counts of matches in the history.
    public var tabCounts: [(name: String, count: Int)] {
        [("all", history.count)] + tabs.tabs.map { ($0.name, $0.view.count) }
    }
    /// The tab whose query is the filter (0 "all"), nil when the filter is none of them.
    public var currentTab: Int? { tabs.current(filterText: filterText) }
    /// Live arrivals that matched an alert this run.
    public var alertCount: Int { alertWatch.count }
    /// Whether the headline `seq` matches an alert (its row is highlighted).
    public func isAlert(_ seq: Int) -> Bool { !alertWatch.isEmpty && alertWatch.matches(seq, in: history) }

    /// The first row of the list (below the header, and the tab row when there is one).
    public var listTop: Int { showsTabs ? 2 : 1 }

    // MARK: derived

    /// Rows available to the list (between the header and the status line).
    public var listHeight: Int { max(0, rows - 1 - listTop) }

    /// How many matching headlines the list shows (fewer while paused).
    public var visibleCount: Int {
        paused ? lowerBound(pauseBoundary) : view.matches.count
    }

    /// Matching headlines that arrived after the pause.
    public var newWhilePaused: Int { paused ? view.matches.count - lowerBound(pauseBoundary) : 0 }

    /// Matching headlines that arrived since the user scrolled away from the live end and
    /// are above the screen (they are the newest, so the first `topIndex` rows at most).
    public var newAbove: Int {
        guard !following, !paused else { return 0 }
        return min(view.matches.count - lowerBound(awaySince), topIndex)
    }

    /// The sequence number of the `index`-th listed headline, newest first.
    public func seq(atIndex index: Int) -> Int {
        view.matches[visibleCount - 1 - index]
    }

    /// The list position (0 = newest) of a headline, if it is listed.
    public func index(of seq: Int) -> Int? {
        let i = lowerBound(seq)
        guard i < visibleCount, view.matches[i] == seq else { return nil }
        return visibleCount - 1 - i
    }

    /// The list position of the top row.
    public var topIndex: Int {
        if following { return 0 }
        if let topSeq, let i = index(of: topSeq) { return i }
        return 0
    }

    public var selectedIndex: Int? { selected.flatMap { index(of: $0) } }

    /// First position in `view.matches` whose seq is >= `seq`.
    private func lowerBound(_ seq: Int) -> Int {
        var lo = 0, hi = view.matches.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if view.matches[mid] < seq { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The query actually applied: the filter, minus the sources switched off.
    ///
    /// A query's `source:` matches a prefix, but a toggle hides one source: hiding `bbc`
    /// must leave `bbc-world` shown. So each hidden source is `source:NAME` except the
    /// known sources whose names extend it (recomputed when a new source arrives).
    public var effectiveQuery: Query {
        let off = sources.names.filter { hiddenSources.contains($0) }
        guard !off.isEmpty else { return userQuery }
        var parts: [QueryNode] = userQuery.matchesEverything ? [] : [userQuery.root]
        let folded = sources.names.map { CaseFolding.fold($0) }
        for source in off {
            let prefix = CaseFolding.fold(source)
            let longer = sources.names.indices.filter { folded[$0].count > prefix.count && folded[$0].starts(with: prefix) }
            let node = QueryNode.source(prefix: prefix, text: source)
            if longer.isEmpty {
                parts.append(.not(node))
            } else {
                let others = longer.map { QueryNode.source(prefix: folded[$0], text: sources.names[$0]) }
                parts.append(.not(.and([node, .not(others.count == 1 ? others[0] : .or(others))])))
            }
        }
        let text = ([userQuery.text] + off.map { "-source:\($0)" }).filter { !$0.isEmpty }.joined(separator: " ")
        return Query(root: parts.count == 1 ? parts[0] : .and(parts), text: text)
    }

    // MARK: the reducer

    /// Applies one event; returns what the outside world must do.
    public mutating func handle(_ event: AppEvent) -> [AppEffect] {
        switch event {
        case .headlines(let batch, let time):
            let ring = receive(batch)
            advanceClock(to: time)
            if ring { return [.bell] }
        case .tick(let time):
            advanceClock(to: time)
        case .resize(let newColumns, let newRows):
            columns = max(0, newColumns)
            rows = max(0, newRows)
            keepSelectionInView()
            scrollHelp(by: 0)
            scrollPicker()
        case .key(let key):
            return press(key)
        case .mouse(let event):
            return mouse(event)
        case .notice(let text):
            show(TerminalSafe.sanitize(text), seconds: 6)
        case .sourceRestarting(let source, let text, let retryIn):
            failing[source] = text
            // A source that paces its own retries (retryIn 0) says when in its text.
            show(retryIn > 0 ? "\(source) failed: \(text); retrying in \(DurationText.format(retryIn))" : "\(source): \(text)")
        case .sourceFailed(let source, let text):
            failing[source] = text
            show("\(source) failed: \(text)")
        case .sourceFinished(let source):
            guard finishedSources.insert(source).inserted else { break }
            // A replay's end shows in its progress line (■ ... 100%), which a message
            // would cover, possibly for good: at --speed max its clock stops at the end.
            // The end of the whole feed shows in the header.
            if replay == nil && !feedEnded { show("\(source) ended") }
        case .signal:
            return [.quit]
        case .replayStatus(let status):
            replay = status
        case .dropped(let count):
            dropped += count
        case .storeResults(let query, let results):
            showResults(query, results)
        case .storeProblem(let text):
            if storeProblem != text { show("not kept: " + text, seconds: 10) }
            storeProblem = text
        case .feedHealth(let source, let update):
            health[source, default: SourceHealth()].apply(update)
            switch update {
            case .fetched, .notModified:
                failing[source] = nil  // a 304 brings no headline, but the feed is well again
            case .moved(let to):
                show("\(source) moved permanently to \(to) (update the subscription)", seconds: 8)
            case .rateLimited, .failed:
                break  // the merge reports the failure (sourceRestarting)
            }
        }
        return []
    }

    /// Starts over with `history` (a replay seeking): the filter, source toggles, time
    /// mode, size and mode are kept; the list follows live from the new position.
    public mutating func reset(history: History, now: Timestamp) {
        self.history = history
        self.now = now
        stats = SourceStats(sources: sources.names, start: config.feedStart)
        // The totals count the new history; the rates the last minute before the new position.
        let cutoff = now.milliseconds - 60_000
        var lo = history.firstSeq, hi = history.nextSeq
        while lo < hi {
            let mid = (lo + hi) / 2
            if history.published(mid).milliseconds <= cutoff { lo = mid + 1 } else { hi = mid }
        }
        for seq in history.firstSeq..<history.nextSeq {
            let name = history.source(seq)
            stats.record(name, position: sources.position(adding: name), at: history.published(seq), recent: seq >= lo)
        }
        view = FilteredView(query: effectiveQuery, marks: marksFilter, history: history)
        tabs.recount(history)
        alertWatch.recount(history)
        finishedSources = []
        paused = false
        if mode == .detail { mode = .list }
        if helpReturn == .detail { helpReturn = .list }
        selectNewest()
    }

    private mutating func advanceClock(to time: Timestamp) {
        if time > now { now = time }
        stats.expire(now: now)
        if let message, message.until <= now { self.message = nil }
    }

    private mutating func show(_ text: String, seconds: Int64 = 4) {
        message = (text, now.adding(milliseconds: seconds * 1000))
    }

    /// Takes in a batch; true when an alert with a bell matched one of its live arrivals.
    private mutating func receive(_ batch: [Arrival]) -> Bool {
        guard !batch.isEmpty else { return false }
        // The store's results are shown: the live list, set aside, takes the batch.
        if setAside != nil {
            swapLists()
            let results = setAside
            setAside = nil  // the live list is shown for the length of this call
            let ring = receive(batch)
            setAside = results
            swapLists()
            setAside!.arrived += batch.count
            return ring
        }
        // An update replaces its headline in place: the row shows the new title where the
        // old one was; it is not a new arrival for the counts.
        let replaced = history.append(contentsOf: batch)
        let known = sources.count
        var next = 0
        // The appended headlines' seqs, in batch order; the live ones are the alerts'.
        var seq = history.nextSeq - (batch.count - replaced.count)
        var live: [Int] = []
        for (i, arrival) in batch.enumerated() {
            if next < replaced.count && replaced[next].index == i {
                next += 1
                continue
            }
            defer { seq += 1 }
            if !alertWatch.isEmpty && arrival.offset >= 0 && arrival.headline.published >= config.feedStart
                && history.contains(seq: seq) {
                live.append(seq)
            }
            let name = arrival.headline.source
            // An item dated before the feed started (a feed file's starting history), or
            // that arrived before it (the store's history, at negative offsets), is
            // counted, but is not a new arrival: the rate leaves it out.
            stats.record(name, position: sources.position(adding: name), at: config.feedStart.adding(milliseconds: arrival.offset),
                         recent: arrival.headline.published >= config.feedStart && arrival.offset >= 0)
        }
        if sources.count != known && !hiddenSources.isEmpty {
            // A new source may extend a hidden one's name (see effectiveQuery).
            view.setQuery(effectiveQuery, marks: marksFilter, history: history)
        }
        if !failing.isEmpty {
            for arrival in batch where failing[arrival.headline.source] != nil { failing[arrival.headline.source] = nil }
        }
        if !replaced.isEmpty { view.recheck(replaced.map(\.seq), in: history) }
        view.update(from: history)
        if !tabs.isEmpty { tabs.update(from: history, replaced: replaced.map(\.seq)) }
        if following && !paused {
            selectNewest()
        } else {
            repairSelection()
        }
        return live.isEmpty ? false : alertWatch.receive(live, in: history)
    }

    // MARK: keys

    /// The contexts whose keys hold now, first match first (in a replay the replay's
    /// keys hold in the list too).
    public var keyContexts: [KeyContext] {
        if editor != nil { return [.filterEditor] }
        switch mode {
        case .help: return [.help]
        case .detail: return [.detail]
        case .sources: return [.sourcePicker]
        case .list: return config.replay ? [.replay, .list] : [.list]
        }
    }

    /// Looks the key up in the keys in force (``AppConfig/keys``) and performs its
    /// operation. A key bound to nothing types itself in the filter editor, closes the
    /// help, and does nothing else.
    private mutating func press(_ key: Key) -> [AppEffect] {
        guard let operation = config.keys.operation(for: key, in: keyContexts) else {
            switch keyContexts[0] {
            case .filterEditor: if case .char(let c) = key { edit { $0.insert(c) } }
            case .help: mode = helpReturn
            case .list, .detail, .replay, .sourcePicker: break
            }
            return []
        }
        return perform(operation)
    }

    /// The first key of `operation` in the list, as the help names it, for a message.
    private func listKey(_ operation: Operation) -> String? {
        config.keys.keys(operation, in: .list).first?.description
    }

    private mutating func perform(_ operation: Operation) -> [AppEffect] {
        // Marks live in the store: without one there is nothing to keep them in, or show.
        if !config.hasStore && [.toggleRead, .markAllRead, .toggleStar, .unreadOnly, .starredOnly].contains(operation) {
            show("no store here: read and starred marks need one (--store FILE, or real feeds)")
            return []
        }
        if config.replay {
            switch operation {
            case .pause: return [.replay(.togglePause)]
            case .replayStep: return [.replay(.step)]
            case .replayFaster: return [.replay(.faster)]
            case .replaySlower: return [.replay(.slower)]
            case .replayForward: return [.replay(.seek(by: 60_000))]
            case .replayBack: return [.replay(.seek(by: -60_000))]
            default: break
            }
        }
        switch operation {
        case .quit: return [.quit]
        case .editFilter:
            editor = FilterEditor(text: filterText, cursor: filterText.count, original: filterText)
        case .nextFilter, .previousFilter:
            guard !tabs.isEmpty else {
                show("no saved filters: add some under [filters] in the config file")
                break
            }
            setFilter(tabs.text(after: filterText, step: operation == .nextFilter ? 1 : -1))
            let tab = currentTab ?? 0
            show(tab == 0 ? "all headlines" : "filter \(tabCounts[tab].name): \(filterText)")
        case .clearFilter:
            if !filterText.isEmpty {
                setFilter("")
                show("filter cleared")
            }
        case .down, .up:
            move(by: operation == .down ? 1 : -1)
            // In the detail view j/k open the next headline: it is read as Enter's is.
            if mode == .detail, config.hasStore, let seq = selected, history.isUnread(seq) {
                history.setMarks(seq, .read, on: true)
                return [.setRead([history.key(seq)], true)]
            }
        case .pageDown: move(by: max(1, listHeight - 1))
        case .pageUp: move(by: -max(1, listHeight - 1))
        case .newest: goLive()
        case .oldest:
            if visibleCount > 0 { select(index: visibleCount - 1) }
        case .open:
            if let seq = selected {
                place()
                mode = .detail
                if config.hasStore && history.isUnread(seq) {
                    history.setMarks(seq, .read, on: true)
                    return [.setRead([history.key(seq)], true)]
                }
            }
        case .toggleRead:
            guard let seq = selected else { break }
            let read = history.isUnread(seq)
            history.setMarks(seq, .read, on: read)
            show(read ? "marked read" : "marked unread")
            return [.setRead([history.key(seq)], read)]
        case .markAllRead:
            return markAllRead()
        case .toggleStar:
            guard let seq = selected else { break }
            let star = !history.marks(seq).contains(.starred)
            history.setMarks(seq, .starred, on: star)
            show(star ? "starred" : "unstarred")
            return [.setStarred(history.key(seq), star)]
        case .unreadOnly:
            marksFilter.unreadOnly.toggle()
            applyQuery()
            show(marksFilter.unreadOnly ? "showing unread only" : "showing read and unread")
        case .starredOnly:
            marksFilter.starredOnly.toggle()
            applyQuery()
            show(marksFilter.starredOnly ? "showing starred only" : "showing starred and unstarred")
        case .searchStore:
            if storeSearch != nil { leaveResults(); break }
            guard config.hasStore else {
                show("no store here: nothing to search beyond the history (\(listKey(.searchStore) ?? "searching the store") needs a store: --store FILE, or real feeds)")
                break
            }
            guard !userQuery.matchesEverything else {
                show("type a filter first" + (listKey(.editFilter).map { " (\($0))" } ?? "") + ": \(listKey(.searchStore) ?? "the search") searches the whole store for it")
                break
            }
            show("searching the store for \(filterText)…")
            return [.searchStore(effectiveQuery)]
        case .leaveSearch:
            if storeSearch != nil { leaveResults() }
        case .pause:
            if paused { goLive() } else {
                paused = true
                pauseBoundary = history.nextSeq
            }
        case .toggleSource1, .toggleSource2, .toggleSource3, .toggleSource4, .toggleSource5,
             .toggleSource6, .toggleSource7, .toggleSource8, .toggleSource9:
            if let n = operation.toggledSource { toggleSource(at: n) }
        case .sourcePicker:
            mode = .sources
            pickerCursor = min(pickerCursor, max(0, sources.count - 1))
            scrollPicker()
        case .pickerDown: movePicker(by: 1)
        case .pickerUp: movePicker(by: -1)
        case .pickerPageDown: movePicker(by: max(1, pickerPageHeight - 1))
        case .pickerPageUp: movePicker(by: -max(1, pickerPageHeight - 1))
        case .pickerFirst: movePicker(by: -sources.count)
        case .pickerLast: movePicker(by: sources.count)
        case .pickerToggle: toggleSource(at: pickerCursor)
        case .pickerShowAll:
            if !hiddenSources.isEmpty {
                hiddenSources = []
                applyQuery()
                show("every source shown")
            }
        case .pickerOnly:
            guard pickerCursor < sources.count else { break }
            let only = sources.names[pickerCursor]
            hiddenSources = Set(sources.names.filter { $0 != only })
            applyQuery()
            show("only \(only) shown")
        case .pickerClose:
            mode = .list
        case .refresh:
            return refresh()
        case .toggleTime:
            timeMode = timeMode == .relative ? .absolute : .relative
        case .help:
            openHelp()
        case .replayStep, .replayFaster, .replaySlower, .replayForward, .replayBack:
            break  // replays only
        case .openLink:
            return openLink()
        case .detailClose:
            mode = .list
        case .helpScrollDown: scrollHelp(by: 1)
        case .helpScrollUp: scrollHelp(by: -1)
        case .helpPageDown: scrollHelp(by: max(1, helpPageHeight - 1))
        case .helpPageUp: scrollHelp(by: -max(1, helpPageHeight - 1))
        case .helpClose: mode = helpReturn
        case .editorKeep:
            editor = nil
        case .editorCancel:
            let original = editor?.original ?? filterText
            editor = nil
            setFilter(original)
        case .editorDeleteBack:
            if editor?.text.isEmpty == true {
                editor = nil  // Backspace on an empty line leaves editing (the filter stays empty)
            } else {
                edit { $0.deleteBackward() }
            }
        case .editorClearLine: edit { $0.clear() }
        case .editorDeleteWord: edit { $0.deleteWordBackward() }
        case .editorDeleteForward: edit { $0.deleteForward() }
        case .editorLeft: edit { $0.cursor = max(0, $0.cursor - 1) }
        case .editorRight: edit { $0.cursor = min($0.text.count, $0.cursor + 1) }
        case .editorStart: edit { $0.cursor = 0 }
        case .editorEnd: edit { $0.cursor = $0.text.count }
        case .editorSpace: edit { $0.insert(" ") }
        }
        return []
    }

    /// Changes the line being edited and re-filters for it.
    private mutating func edit(_ change: (inout FilterEditor) -> Void) {
        guard var editor else { return }
        change(&editor)
        self.editor = editor
        setFilter(editor.text)
    }

    /// Starts with `text` as the filter, as if it had been typed and kept (`--filter`),
    /// whatever keys edit the filter.
    public mutating func applyFilter(_ text: String) {
        editor = nil
        setFilter(text)
    }

    /// Re-filters for new filter text (lenient: partial input is fine; a source that is
    /// not one of this run's is reported on the status line as "no source 'foo'").
    private mutating func setFilter(_ text: String) {
        filterText = text
        userQuery = Query(lenient: text, sources: sources.names)
        applyQuery()
    }

    /// Applies the effective query; the selection stays on the same headline if it still
    /// matches, else moves to the nearest older one, keeping its row on screen.
    private mutating func applyQuery() {
        let row = (selectedIndex ?? 0) - topIndex
        let previous = selected
        view.setQuery(effectiveQuery, marks: marksFilter, history: history)
        guard !following || paused, let previous else {
            if following && !paused { selectNewest() } else { repairSelection() }
            return
        }
        guard visibleCount > 0 else {
            selected = nil
            topSeq = nil
            return
        }
        let i = lowerBound(previous)  // first match at or after the old selection
        let chosen: Int
        if i < visibleCount, view.matches[i] == previous {
            chosen = previous
        } else if i > 0 {
            chosen = view.matches[min(i, visibleCount) - 1]  // nearest older
        } else {
            chosen = view.matches[0]  // nothing older: the oldest listed
        }
        selected = chosen
        let index = self.index(of: chosen) ?? 0
        topSeq = seq(atIndex: max(0, min(index - max(0, row), visibleCount - 1)))
        keepSelectionInView()
    }

    // MARK: marks

    /// `A`: every listed headline (the whole filtered list, not just the screen; while
    /// paused, what the pause shows) that is unread is marked read, in one effect.
    private mutating func markAllRead() -> [AppEffect] {
        var keys: [HeadlineKey] = []
        for i in 0..<visibleCount {
            let seq = view.matches[i]
            guard history.isUnread(seq) else { continue }
            history.setMarks(seq, .read, on: true)
            keys.append(history.key(seq))
        }
        guard !keys.isEmpty else {
            show(visibleCount == 0 ? "nothing listed to mark read" : "nothing unread here")
            return []
        }
        show("\(grouped(keys.count)) marked read")
        return [.setRead(keys, true)]
    }

    // MARK: selection

    private mutating func selectNewest() {
        following = true
        topSeq = nil
        selected = visibleCount > 0 ? seq(atIndex: 0) : nil
    }

    private mutating func goLive() {
        paused = false
        selectNewest()
    }

    private mutating func move(by delta: Int) {
        guard visibleCount > 0 else { return }
        let current = selectedIndex ?? 0
        let target = max(0, min(visibleCount - 1, current + delta))
        if following && target == current { return }  // k at the top: nothing moved, nothing placed
        select(index: target)
    }

    private mutating func select(index: Int) {
        place()
        selected = seq(atIndex: index)
        keepSelectionInView()
    }

    /// The person has placed the selection (moved it or opened a headline): from now on
    /// arrivals leave it, and the rows from the top one down, where they are.
    private mutating func place() {
        guard following, visibleCount > 0 else { return }
        following = false
        awaySince = history.nextSeq
        topSeq = seq(atIndex: 0)
    }

    /// After arrivals, evictions or a resize: the selection and top row must be listed
    /// and the selected row on screen.
    private mutating func repairSelection() {
        guard visibleCount > 0 else {
            selected = nil
            topSeq = nil
            return
        }
        if selected == nil || index(of: selected!) == nil {
            // Evicted (or never set): the oldest listed headline.
            selected = seq(atIndex: visibleCount - 1)
        }
        if topSeq == nil || index(of: topSeq!) == nil { topSeq = selected }
        keepSelectionInView()
    }

    // MARK: sources

    // MARK: the store's search

    /// Puts the store's results in place of the live list (which is set aside, arrivals
    /// still going to it), newest first as ever, following from the newest.
    private mutating func showResults(_ query: String, _ results: [Arrival]) {
        if setAside != nil { leaveResults() }
        let found = History(capacity: max(1, results.count))
        found.append(contentsOf: results)
        setAside = ListState(history: found, view: FilteredView(query: effectiveQuery, marks: marksFilter, history: found),
                             selected: nil, topSeq: nil, following: true, awaySince: 0, paused: false, pauseBoundary: 0)
        swapLists()
        storeSearch = query
        selectNewest()
        show(results.isEmpty ? "nothing in the store matches \(query)" : "\(counted(results.count, "headline", "headlines")) in the store match \(query)")
    }

    /// Back to the live list, as it was left (with what arrived meanwhile).
    private mutating func leaveResults() {
        guard setAside != nil else { return }
        swapLists()
        let arrived = setAside?.arrived ?? 0
        setAside = nil
        storeSearch = nil
        // The filter or the marks may have changed while the results were shown.
        applyQuery()
        show(arrived == 0 ? "back to the live list" : "back to the live list: \(arrived) arrived meanwhile")
    }

    /// Exchanges the list shown with the one set aside.
    private mutating func swapLists() {
        guard var other = setAside else { return }
        let mine = ListState(history: history, view: view, selected: selected, topSeq: topSeq, following: following,
                             awaySince: awaySince, paused: paused, pauseBoundary: pauseBoundary, arrived: other.arrived)
        history = other.history
        view = other.view
        selected = other.selected
        topSeq = other.topSeq
        following = other.following
        awaySince = other.awaySince
        paused = other.paused
        pauseBoundary = other.pauseBoundary
        other = mine
        setAside = other
        tabs.recount(history)
    }

    private func counted(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }

    /// Shows or hides the source at `position` in ``sources`` (nothing if there is none).
    private mutating func toggleSource(at position: Int) {
        guard position < sources.count else { return }
        let source = sources.names[position]
        if hiddenSources.remove(source) == nil { hiddenSources.insert(source) }
        applyQuery()
        show(hiddenSources.contains(source) ? "\(source) hidden" : "\(source) shown")
    }

    /// Rows of the source picker between its top and bottom bars.
    public var pickerPageHeight: Int { max(1, rows - 2) }

    private mutating func movePicker(by delta: Int) {
        pickerCursor = max(0, min(sources.count - 1, pickerCursor + delta))
        scrollPicker()
    }

    /// Keeps the picker's cursor on its page, and the page full where it can be (after a
    /// move or a resize).
    private mutating func scrollPicker() {
        let height = pickerPageHeight
        if pickerCursor < pickerTop { pickerTop = pickerCursor }
        if pickerCursor >= pickerTop + height { pickerTop = pickerCursor - height + 1 }
        pickerTop = max(0, min(pickerTop, sources.count - height))
    }

    // MARK: refresh

    /// `R`: in the source picker the source under the cursor, elsewhere every feed; only
    /// feeds fetched over HTTP, and not one that is rate-limited before its time.
    private mutating func refresh() -> [AppEffect] {
        var clock = LocalClockFormatter()
        if mode == .sources {
            guard pickerCursor < sources.count else { return [] }
            let name = sources.names[pickerCursor]
            guard config.feeds.contains(name) else {
                show("\(name) is not fetched over HTTP: nothing to refresh")
                return []
            }
            if let until = health[name]?.rateLimitedUntil(now: now) {
                show("\(name) is rate-limited until \(clock.format(until)): not asked before then")
                return []
            }
            show("refreshing \(name)")
            return [.refresh([name])]
        }
        let feeds = sources.names.filter { config.feeds.contains($0) }
        guard !feeds.isEmpty else {
            show("nothing to refresh: no source here is fetched over HTTP")
            return []
        }
        let limited = feeds.filter { health[$0]?.rateLimitedUntil(now: now) != nil }
        let ready = feeds.filter { !limited.contains($0) }
        var text = ready.isEmpty ? "" : ready.count == 1 ? "refreshing \(ready[0])" : "refreshing \(ready.count) feeds"
        if let first = limited.first, let until = health[first]?.rateLimitedUntil(now: now) {
            let part = limited.count == 1 ? "\(first) is rate-limited until \(clock.format(until))"
                : "\(limited.count) are rate-limited, not asked before their time"
            text = text.isEmpty ? part + ": not asked before then" : text + "; " + part
        }
        show(text)
        return ready.isEmpty ? [] : [.refresh(ready)]
    }

    // MARK: help

    /// Rows of the help screen between its top and bottom bars.
    private var helpPageHeight: Int { max(1, rows - 2) }

    private mutating func openHelp() {
        helpReturn = mode
        helpScroll = 0
        mode = .help
    }

    /// Scrolls the help, never past its last line (`by: 0` clamps after a resize).
    private mutating func scrollHelp(by delta: Int) {
        let count = HelpPage.lines(columns: columns, replay: config.replay, keys: config.keys).count
        helpScroll = max(0, min(count - helpPageHeight, helpScroll + delta))
    }

    // MARK: links and the mouse

    /// `o`: the selected headline's link, if it is one to open; else a message says why not.
    private mutating func openLink() -> [AppEffect] {
        guard let seq = selected, history.contains(seq: seq) else {
            show("nothing selected: no link to open")
            return []
        }
        switch OpenableLink.check(history.headline(seq).url) {
        case .missing:
            show("no link")
        case .refused(let reason):
            show("not opened: \(reason.text)")
        case .open(let url):
            show("opening \(OpenableLink.shown(url))")
            return [.openLink(url)]
        }
        return []
    }

    /// How many list rows (or help lines, or sources) one notch of the wheel scrolls, as most terminals do.
    public static let wheelStep = 3
    /// Two clicks on the same row at most this far apart (ms) are a double click.
    public static let doubleClickInterval: Int64 = 400

    /// A mouse report: the wheel scrolls the list (the help, the sources screen); a click
    /// on a list row selects its headline, a second one on the same row within
    /// ``doubleClickInterval`` opens it. A press acts, its release does not (the pair
    /// counts once); clicks anywhere else, other buttons and motion do nothing.
    private mutating func mouse(_ event: MouseEvent) -> [AppEffect] {
        guard config.mouse else { return [] }
        let step: Int
        switch event.kind {
        case .wheelUp: step = -Self.wheelStep
        case .wheelDown: step = Self.wheelStep
        case .press(.left):
            return click(event)
        default:
            return []
        }
        switch mode {
        case .list: scrollList(by: step)
        case .help: scrollHelp(by: step)
        case .sources: movePicker(by: step)
        case .detail: break
        }
        return []
    }

    private mutating func click(_ event: MouseEvent) -> [AppEffect] {
        let target = editor == nil ? Renderer.hitTest(self, row: event.row, column: event.column) : nil
        if case .tab(let tab)? = target {
            // A click on a tab switches to its filter, as Tab does.
            lastClick = nil
            let text = tab == 0 ? "" : tabs.tabs[tab - 1].text
            if text != filterText {
                setFilter(text)
                show(tab == 0 ? "all headlines" : "filter \(tabCounts[tab].name): \(filterText)")
            }
            return []
        }
        guard case .listRow(let index)? = target else {
            lastClick = nil
            return []
        }
        let seq = seq(atIndex: index)
        if let last = lastClick, last.seq == seq, event.time >= last.time, event.time - last.time <= Self.doubleClickInterval {
            lastClick = nil
            if selected != seq { select(index: index) }
            return perform(.open)
        }
        lastClick = (seq, event.time)
        if selected != seq { select(index: index) }
        return []
    }

    /// Moves the list's rows by `delta` (positive: towards older) without moving the
    /// selection, unless it would leave the screen; then it stays on the edge row.
    private mutating func scrollList(by delta: Int) {
        guard visibleCount > 0 else { return }
        let height = max(1, listHeight)
        let current = topIndex
        let top = max(0, min(max(0, visibleCount - height), current + delta))
        guard top != current else { return }
        place()
        topSeq = seq(atIndex: top)
        if let index = selectedIndex {
            selected = seq(atIndex: min(max(index, top), min(visibleCount - 1, top + height - 1)))
        }
    }

    private mutating func keepSelectionInView() {
        guard !following, let selectedIndex else { return }
        let height = max(1, listHeight)
        var top = topIndex
        if selectedIndex < top { top = selectedIndex }
        if selectedIndex >= top + height { top = selectedIndex - height + 1 }
        topSeq = seq(atIndex: max(0, top))
    }
}
