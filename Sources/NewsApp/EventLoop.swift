import CLibc
import Dispatch
import Foundation
import NewsCore
import NewsUI

/// The interactive view's event loop, on the main actor.
///
/// One event loop owns the app state. The merged feed, keys, resizes, signals and a clock
/// tick aligned to whole seconds are all posted to one ``EventQueue``; each turn of the
/// loop applies everything pending and draws one frame on the ``Screen`` (the terminal
/// sends only changed cells). The feed and the tick run in tasks of their own, started by
/// the session that owns the loop.
@MainActor
public final class EventLoop {
    public let screen: any Screen
    public let queue = EventQueue()
    public var state: AppState
    /// The feed whose events are applied: a feed posts with its generation, and a replay's
    /// seek starts a new one (``beginFeedGeneration()``), so that what the old feed had
    /// already posted is dropped, not applied to the rebuilt history.
    public private(set) var feedGeneration = 0
    /// Whether SIGINT, SIGTERM and SIGHUP are turned into events (off in tests, which
    /// must not take the test runner's signals).
    let watchSignals: Bool
    private var grid: CellGrid
    private var signalSources: [DispatchSourceSignal] = []
    /// When free heap memory was last given back to the system (see `run`).
    private var lastTrim = ContinuousClock.now
    let recycler = Recycler()
    /// What opens links (`o`): the integrator sets the configured command here.
    public var linkOpener = LinkOpener()
    /// The monotonic clock mouse reports are stamped with (a double click is two clicks close in it).
    private let inputEpoch = ContinuousClock.now

    public init(screen: any Screen, state: AppState, watchSignals: Bool = true) {
        self.screen = screen
        self.state = state
        self.watchSignals = watchSignals
        grid = CellGrid(columns: screen.columns, rows: screen.rows)
    }

    /// Starts with `filter` as if it had been typed and kept.
    func applyFilter(_ filter: String?) {
        guard let filter else { return }
        state.applyFilter(filter)
    }

    /// Starts a new feed generation: events posted with an older one are dropped from now on.
    func beginFeedGeneration() -> Int {
        feedGeneration += 1
        return feedGeneration
    }

    /// Milliseconds since the loop started, of the monotonic clock.
    private func inputTime() -> Int64 {
        (ContinuousClock.now - inputEpoch).milliseconds
    }

    /// Starts the program that opens `url`; what came of it goes to the status line (and,
    /// if the program fails, that too, when it ends).
    private func openLink(_ url: String) {
        let queue = self.queue
        switch linkOpener.open(url, exited: { name, status in
            if status != 0 { queue.post(.notice("\(name) ended with status \(status): the link may not have opened")) }
        }) {
        case .success(let name): queue.post(.notice("opened in \(name)"))
        case .failure(let failure): queue.post(.notice(failure.message))
        }
    }

    func draw() {
        Renderer.render(state, into: &grid)
        screen.draw(grid)
    }

    /// Runs until quit; `onEffect` gets every effect but quit, `firstFrame` is called once
    /// the first frame is on the screen. Returns the exit status.
    public func run(firstFrame: () -> Void = {}, onEffect: (AppEffect) async -> Void = { _ in },
                    afterEvent: (AppEvent) async -> Void = { _ in }) async -> Int32 {
        draw()
        firstFrame()
        // A seam for the tests: crash on purpose once the view is up, to show that a crash
        // restores the terminal before the backtrace is printed (see DECISIONS.md).
        if ProcessInfo.processInfo.environment["NEWSDESK_TEST_CRASH"] == "after-first-frame" {
            fatalError("crashing on purpose (NEWSDESK_TEST_CRASH)")
        }
        let queue = self.queue
        screen.startInput(
            mouse: state.config.mouse,
            onInput: { [weak self] inputs in
                for input in inputs {
                    switch input {
                    case .key(let key): queue.post(.key(key))
                    case .mouse(var event):
                        event.time = self?.inputTime() ?? 0
                        queue.post(.mouse(event))
                    }
                }
            },
            onHangup: { queue.post(.signal(SIGHUP)) })
        // The same once input (and the mouse's reports) are on: the crash restore turns them off.
        if ProcessInfo.processInfo.environment["NEWSDESK_TEST_CRASH"] == "after-input" {
            fatalError("crashing on purpose (NEWSDESK_TEST_CRASH)")
        }
        screen.startResizeWatch { columns, rows in queue.post(.resize(columns: columns, rows: rows)) }
        if watchSignals {
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
                source.setEventHandler { queue.post(.signal(sig)) }
                source.resume()
                signalSources.append(source)
            }
        }
        defer {
            signalSources.forEach { $0.cancel() }
            queue.close()
        }
        var status: Int32 = 0
        running: while true {
            for posted in await queue.takePosted() {
                let event = posted.event
                if let generation = posted.generation, generation != feedGeneration {
                    if case .headlines(let batch, _) = event { recycler.recycle(batch) }
                    continue
                }
                if case .signal(let sig) = event, sig != SIGINT { status = 128 + sig }
                let effects = state.handle(event)
                if effects.contains(.quit) { break running }
                if effects.contains(.bell) { screen.bell() }
                if case .headlines(let batch, _) = event { recycler.recycle(batch) }
                for effect in effects {
                    if case .openLink(let url) = effect {
                        openLink(url)
                    } else {
                        await onEffect(effect)
                    }
                }
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
        screen.restore()
        return status
    }
}
