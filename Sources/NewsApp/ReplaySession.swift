import Foundation
import NewsCore
import NewsUI

/// How a replay in the view plays (from `replay`'s options).
public struct ReplaySettings: Sendable {
    /// A factor; `.infinity` for max.
    public var speed: Double
    public var loop: Bool
    public var strict: Bool
    /// Every gap between headlines capped at this many milliseconds.
    public var idleLimit: Int64?
    /// Milliseconds of recording time after which a silent source shows as stale.
    public var staleAfter: Int64
    /// A filter to start with, as if typed (`--filter`).
    public var filter: String?
    public var historyCapacity: Int
    /// The config file's keys, saved filters, alerts, colours, mouse and link command.
    public var preferences = ViewPreferences()

    public init(speed: Double, loop: Bool, strict: Bool, idleLimit: Int64?, staleAfter: Int64, filter: String?, historyCapacity: Int) {
        self.speed = speed
        self.loop = loop
        self.strict = strict
        self.idleLimit = idleLimit
        self.staleAfter = staleAfter
        self.filter = filter
        self.historyCapacity = historyCapacity
    }
}

/// `newsdesk replay FILE` on a terminal: the same view, on the recording's time, with
/// pause, step, speed and seek controls and a progress line.
@MainActor
public final class ReplaySession {
    /// The recording's name (the path, or "stdin"), and a stream's spool (nil: a file).
    let path: String
    let spool: Spool?
    let header: RecordingHeader
    let settings: ReplaySettings
    let clock: ReplayClock
    private var loop: EventLoop!
    private var index: ReplayIndex?
    /// Whether `index` covers the whole recording (a stream's grows until the stream ends).
    private var indexComplete = false
    private var feedTask: Task<Void, Never>?
    private let report = ReportBox()
    private var ended = false

    public init(input: ReplayInput, header: RecordingHeader, settings: ReplaySettings, from: Int64) {
        path = input.name
        spool = input.spool
        self.header = header
        self.settings = settings
        clock = ReplayClock(start: FeedInstant(offset: .milliseconds(from)), speed: settings.speed, holdUntilReady: true)
    }

    /// The running loop, for the tests to read the state.
    var loopForTests: EventLoop { loop }

    private var now: Timestamp { header.started.adding(milliseconds: clock.now.offset.milliseconds) }

    /// Runs the view on `screen` until quit; returns the exit status.
    public func run(on screen: any Screen, from: Int64, watchSignals: Bool = true) async throws -> Int32 {
        // The recording's sources in its order; without a list (or for a source not in it),
        // the order in which they first appear.
        var config = AppConfig(sources: header.sources, feedStart: header.started, color: screen.color, replay: true,
                               staleAfter: settings.staleAfter)
        settings.preferences.apply(to: &config)
        loop = EventLoop(screen: screen, state: AppState(
            history: History(capacity: settings.historyCapacity), config: config,
            columns: screen.columns, rows: screen.rows, now: now), watchSignals: watchSignals)
        loop.linkOpener.command = settings.preferences.openCommand
        loop.applyFilter(settings.filter)
        postStatus()

        // Index the file in the background: the duration for the progress line, and
        // checkpoints for fast seeking. A stream is indexed as it arrives, on a thread (it
        // waits for the stream), and has a duration once it has ended.
        let path = self.path, idle = settings.idleLimit
        let indexTask = Task.detached { [spool] in spool == nil ? try? ReplayIndex.build(path: path, idleLimit: idle) : nil }
        let indexWait = Task { @MainActor [weak self] in
            guard let built = await indexTask.value else { return }
            self?.indexed(built, complete: true)
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
        let queue = loop.queue, clock = self.clock, started = header.started
        let tickTask = Task.detached {
            while !Task.isCancelled {
                // To the next whole second of recording time (at most a real second away).
                try? await Task.sleep(for: TickTiming.replayWait(position: clock.now.offset.milliseconds, speed: clock.speed, paused: clock.isPaused))
                queue.post(.tick(now: started.adding(milliseconds: clock.now.offset.milliseconds)))
            }
        }
        defer {
            tickTask.cancel()
            indexTask.cancel()
            indexWait.cancel()
            feedTask?.cancel()
        }
        return await loop.run(
            onEffect: { effect in
                if case .replay(let control) = effect { await self.control(control) }
            },
            afterEvent: { event in
                switch event {
                case .tick: self.postStatus()
                case .sourceFinished:
                    if self.settings.loop {
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
        let path = self.path, idle = settings.idleLimit
        let thread = Thread { [weak self] in
            try? ReplayIndex.follow(spool: spool, path: path, idleLimit: idle, cancelled: { stop.withLock { $0 } }) { index, complete in
                Task { @MainActor in
                    guard let self, !stop.withLock({ $0 }) else { return }
                    self.indexed(index, complete: complete)
                }
            }
        }
        thread.name = "newsdesk-index"
        thread.start()
    }

    /// A new snapshot of the index arrived (between the loop's turns): the view learns of
    /// it through the event queue, as of every change from outside the loop, as a tick
    /// (whose handling brings the view's time and the progress line up to the clock).
    private func indexed(_ index: ReplayIndex, complete: Bool) {
        self.index = index
        indexComplete = complete
        loop.queue.post(.tick(now: now))
    }

    /// Brings the view's time and progress line up to the replay clock; called inside the
    /// loop's turn (after a control, a tick, the end) or before the loop starts.
    private func postStatus() {
        // The view's time follows the replay clock exactly (a pause freezes the ages).
        _ = loop.state.handle(.tick(now: now))
        _ = loop.state.handle(statusEvent())
    }

    private func statusEvent() -> AppEvent {
        .replayStatus(ReplayStatus(
            position: clock.now.offset.milliseconds, duration: indexComplete ? index?.duration : nil, speed: clock.speed,
            paused: clock.isPaused, skipped: report.value?.malformed ?? 0, ended: ended))
    }

    private func control(_ control: ReplayControl) async {
        switch control {
        case .togglePause:
            if clock.isPaused { clock.resume() } else { clock.pause() }
        case .step:
            if !clock.isPaused { clock.pause() }
            clock.step()
        case .faster:
            if clock.speed.isFinite { clock.setSpeed(ReplayPolicy.faster(clock.speed)) }
        case .slower:
            clock.setSpeed(ReplayPolicy.slower(clock.speed))
        case .seek(let delta):
            let target = ReplayPolicy.seekTarget(from: clock.now.offset.milliseconds, by: delta, duration: index?.duration)
            await seek(to: target, waitForIndex: nil)
        }
        postStatus()
    }

    /// Rebuilds the view at `target`: the history gets the events before it (from the
    /// nearest checkpoint of the index, so seeking stays fast in a large file), and the
    /// feed continues from there. What the old feed had already posted is stale from here
    /// on (a new feed generation), so it never reaches the rebuilt history.
    private func seek(to target: Int64, waitForIndex: Task<ReplayIndex?, Never>?) async {
        if index == nil, let waitForIndex { index = await waitForIndex.value }
        guard let index else {
            _ = loop.state.handle(.sourceFailed(source: "replay", message: "still indexing the recording; try again in a moment"))
            return
        }
        feedTask?.cancel()
        _ = await feedTask?.value
        feedTask = nil
        _ = loop.beginFeedGeneration()
        ended = false
        let history = History(capacity: settings.historyCapacity)
        let checkpoint = index.start(before: target, history: settings.historyCapacity)
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
        loop.state.reset(history: history, now: now)
        startFeed(from: target, checkpoint: checkpoint)
        postStatus()
    }

    private func startFeed(from: Int64, checkpoint: ReplayIndex.Checkpoint?) {
        let report = self.report
        let source = ReplaySource(path: path, spool: spool, name: "replay", idleLimit: settings.idleLimit, from: from,
                                  loop: false, strict: settings.strict, checkpoint: checkpoint,
                                  report: { r in report.set(r) })
        let queue = loop.queue, recycler = loop.recycler, clock = self.clock, started = header.started
        let loops = settings.loop, generation = loop.feedGeneration
        feedTask = Task.detached {
            _ = try? await withFeed([source], clock: .replay(clock), options: MergeOptions()) { cursor in
                recycler.set(cursor.recycler)
                defer { recycler.set(nil) }
                // The view's time is the recording's: started + played offset.
                while let event = try await cursor.next() {
                    if loops, case .sourceFinished = event {
                        // The view starts over when it sees the end. Posted at once, the end
                        // arrived with the last batch and the rebuild wiped that batch before
                        // it was ever drawn; wait a second of recording time first, as
                        // `--plain --loop` does between passes (paused, it waits too).
                        try await clock.sleep(until: clock.now.advanced(by: .seconds(1)), tolerance: nil)
                    }
                    post(event, now: started.adding(milliseconds: clock.now.offset.milliseconds), to: queue, generation: generation)
                }
            }
        }
    }
}

/// The replay reader's latest report, shared with the feed task.
public final class ReportBox: Sendable {
    private let box = Protected<ReplayReport?>(nil)
    public init() {}
    public var value: ReplayReport? { box.withLock { $0 } }
    public func set(_ report: ReplayReport) { box.withLock { $0 = report } }
}
