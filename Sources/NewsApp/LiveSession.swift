import NewsCore
import NewsFetch
import NewsStore
import NewsUI

/// What a live view runs: the sources and their merge, and how the view starts.
public struct LiveSettings: Sendable {
    public var sources: [any HeadlineSource]
    /// Feed time at offset 0.
    public var start: Timestamp
    /// `.virtual` or `.scaled` (a live feed has no replay clock).
    public var clock: ClockChoice
    public var merge: MergeOptions
    public var historyCapacity: Int
    /// A filter to start with, as if typed (`--filter`).
    public var filter: String?
    /// Milliseconds of silence after which a source shows as stale.
    public var staleAfter: Int64
    /// Every merged headline is written here, whatever the view shows.
    public var recorder: RecordingWriter?
    /// The sources fetched over HTTP (their health shows on the sources screen), what
    /// refreshes them (`R`) and where their events come from.
    public var feeds: Set<String> = []
    public var refresh: FeedRefresh?
    public var feedEvents: FeedEvents?
    /// The store: the view opens on its newest headlines, every batch is committed to it
    /// before it is shown, and the reader's marks go to it.
    public var keeper: StoreKeeper?
    /// Why the store could not be opened, shown on the status line.
    public var storeProblem: String?
    /// The config file's keys, saved filters, alerts, colours, mouse and link command.
    public var preferences = ViewPreferences()

    /// The settings for the sources and the recording of `wiring`.
    public init(_ wiring: LiveRun.Wiring, clock: ClockChoice, merge: MergeOptions, historyCapacity: Int, filter: String?, staleAfter: Int64) {
        self.init(sources: wiring.sources, start: wiring.start, clock: clock, merge: merge, historyCapacity: historyCapacity,
                  filter: filter, staleAfter: staleAfter, recorder: wiring.recorder)
        feeds = wiring.feeds
        refresh = wiring.refresh
        feedEvents = wiring.feedEvents
        keeper = wiring.keeper
        storeProblem = wiring.storeProblem
    }

    public init(sources: [any HeadlineSource], start: Timestamp, clock: ClockChoice, merge: MergeOptions, historyCapacity: Int,
                filter: String?, staleAfter: Int64, recorder: RecordingWriter?) {
        self.sources = sources
        self.start = start
        self.clock = clock
        self.merge = merge
        self.historyCapacity = historyCapacity
        self.filter = filter
        self.staleAfter = staleAfter
        self.recorder = recorder
    }
}

/// `newsdesk` on a terminal: the full-screen view of the merged live feed.
@MainActor
public final class LiveSession {
    public let settings: LiveSettings
    /// The running loop, for the tests to read the state.
    private(set) var loopForTests: EventLoop?

    public init(_ settings: LiveSettings) { self.settings = settings }

    /// Runs the view on `screen` until quit; returns the exit status.
    public func run(on screen: any Screen, watchSignals: Bool = true) async throws -> Int32 {
        let settings = self.settings, start = settings.start, sources = settings.sources
        var config = AppConfig(sources: sources.map(\.name), feedStart: start, color: screen.color, staleAfter: settings.staleAfter,
                               feeds: settings.feeds, hasStore: settings.keeper != nil)
        settings.preferences.apply(to: &config)
        let loop = EventLoop(screen: screen, state: AppState(
            history: History(capacity: settings.historyCapacity), config: config,
            columns: screen.columns, rows: screen.rows, now: start), watchSignals: watchSignals)
        loop.linkOpener.command = settings.preferences.openCommand
        loop.applyFilter(settings.filter)
        loopForTests = loop
        let keeper = settings.keeper
        // The stored history first, before any fetch: the newest of it fills the history.
        if let keeper {
            do throws(StoreError) {
                let stored = try keeper.history(limit: settings.historyCapacity, start: start)
                _ = loop.state.handle(.headlines(stored, now: start))
            } catch {
                _ = loop.state.handle(.storeProblem("\(error)"))
            }
        }
        if let problem = settings.storeProblem { _ = loop.state.handle(.storeProblem(problem)) }

        let queue = loop.queue, recycler = loop.recycler, recorder = settings.recorder, options = settings.merge
        let generation = loop.feedGeneration
        let feed = FeedClock(settings.clock, start: start)
        let names = sources.map(\.name)
        var feedTask: Task<Void, any Error>?, tickTask: Task<Void, any Error>?
        defer {
            feedTask?.cancel()
            tickTask?.cancel()
        }
        // The feed starts once the first frame is up: the sources' first batches are
        // generated on another thread, which a loaded machine's view needed for its first
        // frame (the start-up figure; DECISIONS.md, 2026-12-02).
        // The feeds' health goes through the one queue; a refresh (R) is the session's to do.
        settings.feedEvents?.connect { source, event, at in
            queue.post(.feedHealth(source: source, FeedEvents.update(event, at: at)))
        }
        let refresh = settings.refresh
        let status = await loop.run(firstFrame: {
            feedTask = Task.detached {
                try await feed.run(sources, options: options) { cursor in
                    recycler.set(cursor.recycler)
                    defer { recycler.set(nil) }
                    try await pumpFeed(cursor, start: start, queue: queue, recorder: recorder, keeper: keeper, generation: generation)
                    // The merge ends at --duration without a word from the sources: each has
                    // finished, so that the header says the feed ended (repeats are ignored).
                    for name in names { queue.post(.sourceFinished(source: name), generation: generation) }
                }
            }
            tickTask = Task.detached {
                while !Task.isCancelled { queue.post(.tick(now: try await feed.tick())) }
            }
        }, onEffect: { effect in
            let failed: @Sendable (StoreError) -> Void = { error in queue.post(.storeProblem("\(error)")) }
            switch effect {
            case .refresh(let names): refresh?.request(names)
            case .setRead(let keys, let read): keeper?.setRead(keys, read, failed: failed)
            case .setStarred(let key, let starred): keeper?.setStarred(key, starred, failed: failed)
            case .searchStore(let query):
                // Off the event loop: a word the index cannot narrow reads the whole store.
                guard let keeper else { break }
                Task.detached {
                    do throws(StoreError) {
                        let found = try SearchRun.matches(query, in: keeper.store, limit: StoreKeeper.searchLimit)
                        queue.post(.storeResults(query: query.text, keeper.arrivals(found.reversed(), start: start)))
                    } catch {
                        queue.post(.storeProblem("\(error)"))
                    }
                }
            case .quit, .replay, .bell, .openLink: break  // the loop rings and opens links itself
            }
        })
        feedTask?.cancel()
        _ = await feedTask?.result  // the recorder has written everything before it closes
        keeper?.flush()  // and the store every mark
        return status
    }
}
