import Dispatch
import Foundation
import Synchronization
import NewsCore
import NewsTerminal
import NewsUI

/// `newsdesk` on a terminal: the full-screen view of the merged live feed.
///
/// One event loop on the main actor owns the app state. The merged feed, keys, resizes,
/// signals and a clock tick aligned to whole seconds are all posted to one
/// ``EventQueue``; each turn of the loop applies everything pending and draws one frame
/// (only changed cells reach the terminal).
@MainActor
struct InteractiveCommand {
    var feed: FeedOptions
    var output: OutputOptions

    /// Runs until quit; returns the exit status.
    func run() async throws -> Int32 {
        let vocabulary = try Vocabulary.bundled()
        let seed = feed.resolvedSeed()
        let start = feed.resolvedStart()
        let sources = try SimulatedSource.defaults(vocabulary: vocabulary, seed: seed, start: start)
        let options = MergeOptions(endOffset: output.duration.map { Int64(($0 * 1000).rounded()) })
        switch feed.speed {
        case .max:
            let clock = VirtualClock()
            return try await loop(sources: sources, start: start, clock: clock, options: options) {
                // Virtual time jumps; tick once a real second to refresh the ages.
                try await Task.sleep(for: .seconds(1))
                return start.adding(milliseconds: clock.now.offset.milliseconds)
            }
        case .factor(let factor):
            let clock = ScaledClock(base: ContinuousClock(), speed: factor)
            return try await loop(sources: sources, start: start, clock: clock, options: options) {
                // Sleep to the next whole second of feed time, so that "4s" turns "5s" on time.
                let elapsed = clock.now.offset.milliseconds
                let wall = start.milliseconds + elapsed
                let next = (wall / 1000 + 1) * 1000
                try await clock.sleep(until: FeedInstant(offset: .milliseconds(next - start.milliseconds)), tolerance: nil)
                return Timestamp(milliseconds: next)
            }
        }
    }

    private func loop<C: Clock>(sources: [SimulatedSource], start: Timestamp, clock: C, options: MergeOptions,
                                nextTick: @escaping @Sendable () async throws -> Timestamp) async throws -> Int32
    where C.Duration == Duration, C: Sendable, C.Instant: Sendable {
        let terminal = try Terminal(colorWanted: output.color != .never && ColorChoice.noColorUnset)
        defer { terminal.restore() }
        let queue = EventQueue()
        var state = AppState(
            history: History(capacity: feed.history),
            config: AppConfig(sources: sources.map(\.name), feedStart: start, color: terminal.color),
            columns: terminal.columns, rows: terminal.rows, now: start)
        if let filter = output.filter {
            // Start with the given filter, as if typed and kept.
            _ = state.handle(.key(.char("/")))
            for character in filter { _ = state.handle(.key(.char(character))) }
            _ = state.handle(.key(.enter))
        }
        var grid = CellGrid(columns: terminal.columns, rows: terminal.rows)
        Renderer.render(state, into: &grid)
        terminal.draw(grid)

        terminal.startInput(
            onKeys: { keys in for key in keys { queue.post(.key(key)) } },
            onHangup: { queue.post(.signal(SIGHUP)) })
        terminal.startResizeWatch { columns, rows in queue.post(.resize(columns: columns, rows: rows)) }
        var signalSources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            source.setEventHandler { queue.post(.signal(sig)) }
            source.resume()
            signalSources.append(source)
        }
        defer { signalSources.forEach { $0.cancel() } }

        let startInstant = clock.now
        let recycler = Recycler()
        let feedTask = Task.detached {
            try await withMergedFeed(sources: sources, clock: clock, start: startInstant, options: options) { merged in
                recycler.set { merged.recycle($0) }
                for try await event in merged {
                    let now = start.adding(milliseconds: merged.elapsed)
                    switch event {
                    case .headlines(let batch): await queue.postBatch(.headlines(batch, now: now))
                    case .sourceFailed(let source, let error): queue.post(.sourceFailed(source: source, message: "\(error)"))
                    case .sourceFinished(let source): queue.post(.sourceFinished(source: source))
                    }
                }
            }
        }
        let tickTask = Task.detached {
            while !Task.isCancelled {
                queue.post(.tick(now: try await nextTick()))
            }
        }
        defer {
            feedTask.cancel()
            tickTask.cancel()
            queue.close()
        }

        var status: Int32 = 0
        running: while true {
            for event in await queue.take() {
                if case .signal(let sig) = event, sig != SIGINT { status = 128 + sig }
                if state.handle(event).contains(.quit) { break running }
                if case .headlines(let batch, _) = event { recycler.recycle(batch) }
            }
            Renderer.render(state, into: &grid)
            terminal.draw(grid)
        }
        terminal.restore()
        return status
    }
}

/// Hands batches the view has taken in back to the merge, whose source tasks free them
/// (see `MergedFeed.recycle`).
final class Recycler: Sendable {
    private let target = Mutex<(@Sendable ([Arrival]) -> Void)?>(nil)
    func set(_ recycle: @escaping @Sendable ([Arrival]) -> Void) { target.withLock { $0 = recycle } }
    func recycle(_ batch: [Arrival]) { target.withLock { $0 }?(batch) }
}
