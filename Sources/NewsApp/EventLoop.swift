import CLibc
import Dispatch
import Foundation
import NewsCore
import NewsTerminal
import NewsUI

/// The interactive view's event loop, on the main actor.
///
/// One event loop owns the app state. The merged feed, keys, resizes, signals and a clock
/// tick aligned to whole seconds are all posted to one ``EventQueue``; each turn of the
/// loop applies everything pending and draws one frame (only changed cells reach the
/// terminal). The feed and the tick run in tasks of their own, started by the caller.
@MainActor
final class ViewSession {
    let terminal: Terminal
    let queue = EventQueue()
    var state: AppState
    private var grid: CellGrid
    private var signalSources: [DispatchSourceSignal] = []
    /// When free heap memory was last given back to the system (see `run`).
    private var lastTrim = ContinuousClock.now
    let recycler = Recycler()

    init(terminal: Terminal, state: AppState) {
        self.terminal = terminal
        self.state = state
        grid = CellGrid(columns: terminal.columns, rows: terminal.rows)
    }

    /// Starts with `filter` as if it had been typed and kept.
    func applyFilter(_ filter: String?) {
        guard let filter else { return }
        _ = state.handle(.key(.char("/")))
        for character in filter { _ = state.handle(.key(.char(character))) }
        _ = state.handle(.key(.enter))
    }

    func draw() {
        Renderer.render(state, into: &grid)
        terminal.draw(grid)
    }

    /// Runs until quit; `onEffect` gets every effect but quit. Returns the exit status.
    func run(onEffect: (AppEffect) async -> Void = { _ in }, afterEvent: (AppEvent) async -> Void = { _ in }) async -> Int32 {
        draw()
        // A seam for the tests: crash on purpose once the view is up, to show that a crash
        // restores the terminal before the backtrace is printed (see DECISIONS.md).
        if ProcessInfo.processInfo.environment["NEWSDESK_TEST_CRASH"] == "after-first-frame" {
            fatalError("crashing on purpose (NEWSDESK_TEST_CRASH)")
        }
        let queue = self.queue
        terminal.startInput(
            onKeys: { keys in for key in keys { queue.post(.key(key)) } },
            onHangup: { queue.post(.signal(SIGHUP)) })
        terminal.startResizeWatch { columns, rows in queue.post(.resize(columns: columns, rows: rows)) }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            source.setEventHandler { queue.post(.signal(sig)) }
            source.resume()
            signalSources.append(source)
        }
        defer {
            signalSources.forEach { $0.cancel() }
            queue.close()
        }
        var status: Int32 = 0
        running: while true {
            for event in await queue.take() {
                if case .signal(let sig) = event, sig != SIGINT { status = 128 + sig }
                let effects = state.handle(event)
                if effects.contains(.quit) { break running }
                if case .headlines(let batch, _) = event { recycler.recycle(batch) }
                for effect in effects { await onEffect(effect) }
                await afterEvent(event)
            }
            draw()
            // Once a minute, give free heap pages back: with headlines allocated on one
            // thread and freed on another, glibc's arenas keep freed pages, and resident
            // memory crept up 0.3 MB a minute in the soak while the heap in use stayed
            // under 7 MB. malloc_trim returns them (it takes well under a millisecond).
            if ContinuousClock.now - lastTrim > .seconds(60) {
                malloc_trim(0)
                lastTrim = .now
            }
        }
        terminal.restore()
        return status
    }
}

/// Posts the merged feed's events to the view (and records every batch, if asked).
func pumpFeed(_ cursor: any FeedCursor, start: Timestamp, queue: EventQueue, recorder: RecordingWriter?) async throws {
    while let event = try await cursor.next() {
        // Every merged headline is recorded, whatever the view shows.
        if case .headlines(let batch) = event { try recorder?.write(batch) }
        post(event, now: start.adding(milliseconds: cursor.elapsed), to: queue)
    }
}

/// One event of the merged feed, as the view's event (at feed time `now`).
func post(_ event: FeedEvent, now: Timestamp, to queue: EventQueue) {
    switch event {
    case .headlines(let batch): queue.postBatch(.headlines(batch, now: now))
    case .sourceFailed(let source, let error): queue.post(.sourceFailed(source: source, message: "\(error)"))
    case .sourceRestarting(let source, let error, let delay):
        queue.post(.sourceRestarting(source: source, message: "\(error)", retryIn: delay.milliseconds))
    case .sourceFinished(let source): queue.post(.sourceFinished(source: source))
    }
}

// MARK: the live view

/// `newsdesk` on a terminal: the full-screen view of the merged live feed.
@MainActor
struct LiveView {
    var feed: FeedOptions
    var output: OutputOptions
    var recorder: RecordingWriter?

    func run() async throws -> Int32 {
        let start = feed.resolvedStart()
        let sources = try feed.sources(start: start)
        let options = MergeOptions(endOffset: output.endOffset, restart: feed.mergeRestart)
        let terminal = try Terminal(colorWanted: output.color != .never && ColorChoice.noColorUnset)
        defer { terminal.restore() }
        let session = ViewSession(terminal: terminal, state: AppState(
            history: History(capacity: feed.history),
            config: AppConfig(sources: sources.map(\.name), feedStart: start, color: terminal.color,
                              staleAfter: output.staleAfter.milliseconds),
            columns: terminal.columns, rows: terminal.rows, now: start))
        session.applyFilter(output.filter)

        let queue = session.queue, recycler = session.recycler, recorder = self.recorder
        let clock = ClockChoice(feed.speed)
        // The feed's clock, shared with the tick task.
        let feedClock: any Clock<Duration>
        let tick: @Sendable () async throws -> Timestamp
        switch clock {
        case .virtual:
            let virtual = VirtualClock()
            feedClock = virtual
            // Virtual time jumps; tick once a real second to refresh the ages.
            tick = {
                try await Task.sleep(for: .seconds(1))
                return start.adding(milliseconds: virtual.now.offset.milliseconds)
            }
        case .scaled(let factor):
            let scaled = ScaledClock(base: ContinuousClock(), speed: factor)
            feedClock = scaled
            // Sleep to the next whole second of feed time, so that "4s" turns "5s" on time.
            tick = {
                let wall = start.milliseconds + scaled.now.offset.milliseconds
                let next = (wall / 1000 + 1) * 1000
                try await scaled.sleep(until: FeedInstant(offset: .milliseconds(next - start.milliseconds)), tolerance: nil)
                return Timestamp(milliseconds: next)
            }
        case .replay:
            fatalError("the live view has no replay clock")
        }
        let names = sources.map(\.name)
        let feedTask = Task.detached {
            try await Self.runFeed(sources, clock: feedClock, options: options) { cursor in
                recycler.set(cursor.recycler)
                defer { recycler.set(nil) }
                try await pumpFeed(cursor, start: start, queue: queue, recorder: recorder)
                // The merge ends at --duration without a word from the sources: each has
                // finished, so that the header says the feed ended (repeats are ignored).
                for name in names { queue.post(.sourceFinished(source: name)) }
            }
        }
        let tickTask = Task.detached {
            while !Task.isCancelled { queue.post(.tick(now: try await tick())) }
        }
        defer {
            feedTask.cancel()
            tickTask.cancel()
        }
        let status = await session.run()
        feedTask.cancel()
        _ = await feedTask.result  // the recorder has written everything before it closes
        return status
    }

    /// The merge on whichever clock was chosen (one generic body for both).
    static func runFeed(_ sources: [any HeadlineSource], clock: any Clock<Duration>, options: MergeOptions,
                        _ body: @Sendable (any FeedCursor) async throws -> Void) async throws {
        if let virtual = clock as? VirtualClock {
            try await withMergedFeed(sources: sources, clock: virtual, options: options) { try await body(MergedCursor($0)) }
        } else if let scaled = clock as? ScaledClock<ContinuousClock> {
            try await withMergedFeed(sources: sources, clock: scaled, options: options) { try await body(MergedCursor($0)) }
        }
    }
}

// MARK: the replay view

/// `newsdesk replay FILE` on a terminal: the same view, on the recording's time, with
/// pause, step, speed and seek controls and a progress line.
@MainActor
final class ReplayView {
    /// The recording's name (the path, or "stdin"), and a stream's spool (nil: a file).
    let path: String
    let spool: Spool?
    let header: RecordingHeader
    let timing: ReplayTimingOptions
    let filter: String?
    let color: ColorChoice
    let historyCapacity: Int
    let clock: ReplayClock
    private var session: ViewSession!
    private var index: ReplayIndex?
    /// Whether `index` covers the whole recording (a stream's grows until the stream ends).
    private var indexComplete = false
    private var feedTask: Task<Void, Never>?
    private let report = ReportBox()
    private var ended = false

    init(input: ReplayInput, header: RecordingHeader, timing: ReplayTimingOptions, filter: String?, color: ColorChoice, history: Int, from: Int64) {
        path = input.name
        spool = input.spool
        self.header = header
        self.timing = timing
        self.filter = filter
        self.color = color
        self.historyCapacity = history
        let speed: Double
        switch timing.speed {
        case .max: speed = .infinity
        case .factor(let f): speed = f
        }
        clock = ReplayClock(start: FeedInstant(offset: .milliseconds(from)), speed: speed, holdUntilReady: true)
    }

    private var now: Timestamp { header.started.adding(milliseconds: clock.now.offset.milliseconds) }

    func run(from: Int64) async throws -> Int32 {
        let terminal = try Terminal(colorWanted: color != .never && ColorChoice.noColorUnset)
        defer { terminal.restore() }
        let sources = header.sources.isEmpty ? SimulatedSource.defaultNames : header.sources
        session = ViewSession(terminal: terminal, state: AppState(
            history: History(capacity: historyCapacity),
            config: AppConfig(sources: sources, feedStart: header.started, color: terminal.color, replay: true, staleAfter: timing.staleAfter.milliseconds),
            columns: terminal.columns, rows: terminal.rows, now: now))
        session.applyFilter(filter)
        postStatus()

        // Index the file in the background: the duration for the progress line, and
        // checkpoints for fast seeking. A stream is indexed as it arrives, on a thread (it
        // waits for the stream), and has a duration once it has ended.
        let path = self.path, idle = timing.idleLimitMilliseconds
        let indexTask = Task.detached { [spool] in spool == nil ? try? ReplayIndex.build(path: path, idleLimit: idle) : nil }
        let indexWait = Task { @MainActor [weak self] in
            guard let built = await indexTask.value else { return }
            self?.index = built
            self?.indexComplete = true
            self?.postStatus()
        }
        let stopIndexing = Protected(false)
        if let spool { followIndex(spool, stop: stopIndexing) }
        defer {
            stopIndexing.withLock { $0 = true }
            spool?.wakeWaiters()
        }
        if from > 0 && spool != nil {
            // A stream's index is built as it arrives: start there, with no history before it.
            startFeed(from: from, checkpoint: nil)
        } else if from > 0 {
            // Starting later: the view is built as if seeking there.
            await seek(to: from, waitForIndex: indexTask)
        } else {
            startFeed(from: 0, checkpoint: nil)
        }
        let queue = session.queue, clock = self.clock, started = header.started
        let tickTask = Task.detached {
            while !Task.isCancelled {
                // To the next whole second of recording time (at most a real second away).
                let position = clock.now.offset.milliseconds
                let speed = clock.speed
                var wait: Duration = .seconds(1)
                if !clock.isPaused && speed.isFinite && speed > 0 {
                    let toNext = Double(1000 - position % 1000) / speed
                    wait = .milliseconds(Int64(max(1, min(1000, toNext.rounded(.up)))))
                }
                try? await Task.sleep(for: wait)
                queue.post(.tick(now: started.adding(milliseconds: clock.now.offset.milliseconds)))
            }
        }
        defer {
            tickTask.cancel()
            indexTask.cancel()
            indexWait.cancel()
            feedTask?.cancel()
        }
        return await session.run(
            onEffect: { effect in
                if case .replay(let control) = effect { await self.control(control) }
            },
            afterEvent: { event in
                switch event {
                case .tick: self.postStatus()
                case .sourceFinished:
                    if self.timing.loop {
                        await self.seek(to: 0, waitForIndex: nil)
                    } else {
                        self.ended = true
                        self.postStatus()
                    }
                default: break
                }
            })
    }

    /// Indexes a stream as it arrives, on a thread of its own, handing each snapshot to the view.
    private func followIndex(_ spool: Spool, stop: Protected<Bool>) {
        let path = self.path, idle = timing.idleLimitMilliseconds
        let thread = Thread { [weak self] in
            try? ReplayIndex.follow(spool: spool, path: path, idleLimit: idle, cancelled: { stop.withLock { $0 } }) { index, complete in
                Task { @MainActor in
                    guard let self, !stop.withLock({ $0 }) else { return }
                    self.index = index
                    self.indexComplete = complete
                    self.postStatus()
                }
            }
        }
        thread.name = "newsdesk-index"
        thread.start()
    }

    private func postStatus() {
        // The view's time follows the replay clock exactly (a pause freezes the ages).
        _ = session.state.handle(.tick(now: now))
        let skipped = report.value?.malformed ?? 0
        _ = session.state.handle(.replayStatus(ReplayStatus(
            position: clock.now.offset.milliseconds, duration: indexComplete ? index?.duration : nil, speed: clock.speed,
            paused: clock.isPaused, skipped: skipped, ended: ended)))
    }

    private func control(_ control: ReplayControl) async {
        switch control {
        case .togglePause:
            if clock.isPaused { clock.resume() } else { clock.pause() }
        case .step:
            if !clock.isPaused { clock.pause() }
            clock.step()
        case .faster:
            if clock.speed.isFinite { clock.setSpeed(clock.speed * 2 > 4096 ? .infinity : clock.speed * 2) }
        case .slower:
            clock.setSpeed(clock.speed.isInfinite ? 64 : max(1.0 / 64, clock.speed / 2))
        case .seek(let delta):
            var target = max(0, clock.now.offset.milliseconds + delta)
            if let duration = index?.duration { target = min(target, duration) }
            await seek(to: target, waitForIndex: nil)
        }
        postStatus()
    }

    /// Rebuilds the view at `target`: the history gets the events before it (from the
    /// nearest checkpoint of the index, so seeking stays fast in a large file), and the
    /// feed continues from there.
    private func seek(to target: Int64, waitForIndex: Task<ReplayIndex?, Never>?) async {
        if index == nil, let waitForIndex { index = await waitForIndex.value }
        guard let index else {
            _ = session.state.handle(.sourceFailed(source: "replay", message: "still indexing the recording; try again in a moment"))
            return
        }
        feedTask?.cancel()
        _ = await feedTask?.value
        feedTask = nil
        ended = false
        let history = History(capacity: historyCapacity)
        let checkpoint = index.start(before: target, history: historyCapacity)
        if let checkpoint, let reader = try? RecordingReader(path: path, follow: spool) {
            reader.waits = false  // a stream: only what has arrived (the index covers no more)
            reader.rewind(toByte: checkpoint.byte, line: checkpoint.line)
            var timing = checkpoint.timing
            var batch: [Arrival] = []
            while let event = try? reader.next() {
                let played = timing.play(event.arrival.offset)
                if played >= target { break }
                var arrival = event.arrival
                arrival.offset = played
                batch.append(arrival)
                if batch.count == 1024 {
                    history.append(contentsOf: batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            history.append(contentsOf: batch)
        }
        clock.set(to: FeedInstant(offset: .milliseconds(target)))
        session.state.reset(history: history, now: now)
        startFeed(from: target, checkpoint: checkpoint)
        postStatus()
    }

    private func startFeed(from: Int64, checkpoint: ReplayIndex.Checkpoint?) {
        let report = self.report
        let source = ReplaySource(path: path, spool: spool, name: "replay", idleLimit: timing.idleLimitMilliseconds, from: from,
                                  loop: false, strict: timing.strict, checkpoint: checkpoint,
                                  report: { r in report.set(r) })
        let queue = session.queue, recycler = session.recycler, clock = self.clock, started = header.started
        let loop = timing.loop
        feedTask = Task.detached {
            _ = try? await withFeed([source], clock: .replay(clock), options: MergeOptions()) { cursor in
                recycler.set(cursor.recycler)
                defer { recycler.set(nil) }
                // The view's time is the recording's: started + played offset.
                while let event = try await cursor.next() {
                    if loop, case .sourceFinished = event {
                        // The view starts over when it sees the end. Posted at once, the end
                        // arrived with the last batch and the rebuild wiped that batch before
                        // it was ever drawn; wait a second of recording time first, as
                        // `--plain --loop` does between passes (paused, it waits too).
                        try await clock.sleep(until: clock.now.advanced(by: .seconds(1)), tolerance: nil)
                    }
                    post(event, now: started.adding(milliseconds: clock.now.offset.milliseconds), to: queue)
                }
            }
        }
    }
}

/// The replay reader's latest report, shared with the feed task.
final class ReportBox: Sendable {
    private let box = Protected<ReplayReport?>(nil)
    var value: ReplayReport? { box.withLock { $0 } }
    func set(_ report: ReplayReport) { box.withLock { $0 = report } }
}
