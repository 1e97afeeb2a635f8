import Dispatch
import NewsCore
import NewsUI
import Testing
@testable import NewsApp

/// The live view shows its first frame before the feed starts: the sources' first batches
/// (hundreds of generated headlines) used to be made while the first frame was drawn,
/// on a core the view needed on a loaded machine (the start-up figure, DECISIONS.md).
@MainActor
@Suite struct LiveStartTests {
    /// What the source saw when it was first asked for headlines.
    final class Probe: Sendable {
        let drawn = Protected(false)
        let drawnWhenAsked = Protected<Bool?>(nil)
        let asked = DispatchSemaphore(value: 0)
    }

    /// A source that notes, at its first `next()`, whether a frame was on screen, then ends.
    struct ProbeSource: HeadlineSource {
        let probe: Probe
        var name: String { "probe" }

        struct AsyncIterator: AsyncIteratorProtocol {
            let probe: Probe
            mutating func next() async throws -> [Arrival]? {
                let drawn = probe.drawn.withLock { $0 }
                let first = probe.drawnWhenAsked.withLock { seen in
                    defer { if seen == nil { seen = drawn } }
                    return seen == nil
                }
                if first { probe.asked.signal() }
                return nil
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(probe: probe) }
    }

    /// A screen whose first frame takes up to a second: long enough for a feed started
    /// beside it to ask its source for headlines in the meantime.
    final class SlowFirstFrame: Screen {
        let probe: Probe
        let memory = MemoryScreen()
        init(_ probe: Probe) { self.probe = probe }
        var columns: Int { memory.columns }
        var rows: Int { memory.rows }
        var color: Bool { memory.color }
        func draw(_ grid: CellGrid) {
            if memory.framesDrawn == 0 { _ = probe.asked.wait(timeout: .now() + 1) }
            memory.draw(grid)
            probe.drawn.withLock { $0 = true }
        }
        func startInput(mouse: Bool, onInput: @escaping @MainActor ([Input]) -> Void, onHangup: @escaping @MainActor () -> Void) {
            memory.startInput(mouse: mouse, onInput: onInput, onHangup: onHangup)
        }
        func startResizeWatch(_ onResize: @escaping @MainActor (Int, Int) -> Void) { memory.startResizeWatch(onResize) }
        func restore() { memory.restore() }
        func bell() { memory.bell() }
    }

    @Test func theFirstFrameIsDrawnBeforeTheFeedAsksItsSourcesForHeadlines() async throws {
        let probe = Probe()
        let screen = SlowFirstFrame(probe)
        let session = LiveSession(LiveSettings(
            sources: [ProbeSource(probe: probe)], start: t0, clock: .virtual, merge: MergeOptions(), historyCapacity: 100,
            filter: nil, staleAfter: 30_000, recorder: nil))
        let run = Task { try await session.run(on: screen, watchSignals: false) }
        try await eventually("input started") { screen.memory.listening }
        try await eventually("the source asked") { probe.drawnWhenAsked.withLock { $0 } != nil }
        #expect(probe.drawnWhenAsked.withLock { $0 } == true)
        screen.memory.type([.char("q")])
        #expect(try await run.value == 0)
    }
}
