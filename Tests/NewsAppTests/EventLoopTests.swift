import Foundation
import NewsCore
import NewsUI
import Testing
@testable import NewsApp

@MainActor
@Suite struct EventLoopTests {
    func makeLoop(replay: Bool = false, screen: MemoryScreen = MemoryScreen()) -> EventLoop {
        EventLoop(screen: screen, state: AppState(
            history: History(capacity: 100), config: AppConfig(sources: ["tech"], feedStart: t0, replay: replay),
            columns: screen.columns, rows: screen.rows, now: t0), watchSignals: false)
    }

    @Test func eachTurnDrawsAFrameAndQuitRestoresTheScreenWithStatusZero() async throws {
        let screen = MemoryScreen()
        let loop = makeLoop(screen: screen)
        let run = Task { await loop.run() }
        loop.queue.postBatch(.headlines([arrival(0, at: 0)], now: t0))
        try await eventually("the headline on screen") { screen.lines.contains { $0.contains("Headline 0") } }
        #expect(!screen.restored)
        loop.queue.post(.key(.char("q")))
        #expect(await run.value == 0)
        #expect(screen.restored)
    }

    @Test func aSignalQuitsWithItsExitStatus() async {
        let loop = makeLoop()
        loop.queue.post(.signal(SIGTERM))
        #expect(await loop.run() == 143)
    }

    @Test func keysAndResizesFromTheScreenReachTheState() async throws {
        let screen = MemoryScreen()
        let loop = makeLoop(screen: screen)
        let run = Task { await loop.run() }
        try await eventually("input started") { screen.listening }
        screen.resize(columns: 100, rows: 30)
        try await eventually("the resize") { loop.state.columns == 100 && screen.frame?.columns == 100 }
        screen.type([.char("q")])
        #expect(await run.value == 0)
    }

    @Test func aHangupQuitsWith129() async throws {
        let screen = MemoryScreen()
        let loop = makeLoop(screen: screen)
        let run = Task { await loop.run() }
        try await eventually("input started") { screen.listening }
        screen.hangUp()
        #expect(await run.value == 129)
    }

    /// The seek bug: a batch the old feed had posted before the seek, taken in the same
    /// turn as the seek's key, was applied to the rebuilt history.
    @Test func eventsOfAnOldFeedGenerationAreDroppedAfterASeek() async {
        let loop = makeLoop(replay: true)
        let old = loop.feedGeneration
        loop.queue.postBatch(.headlines([arrival(0, at: 0)], now: t0), generation: old)
        loop.queue.post(.key(.char("]")))
        loop.queue.postBatch(.headlines([arrival(1, at: 1_000)], now: t0), generation: old)
        loop.queue.post(.sourceFinished(source: "tech"), generation: old)
        loop.queue.post(.key(.char("q")))
        var seeks = 0
        let status = await loop.run(onEffect: { effect in
            guard case .replay(.seek) = effect else { return }
            // What a replay's seek does: a new generation, then the rebuilt history.
            seeks += 1
            let generation = loop.beginFeedGeneration()
            loop.state.reset(history: History(capacity: 100), now: t0)
            loop.queue.postBatch(.headlines([arrival(2, at: 60_000)], now: t0), generation: generation)
        })
        #expect(status == 0)
        #expect(seeks == 1)
        // Only the new feed's batch (posted after q, so not applied either) or nothing:
        // never the old feed's second batch.
        #expect(loop.state.history.count == 0)
    }

    @Test func eventsOfTheCurrentGenerationAreApplied() async {
        let loop = makeLoop(replay: true)
        let generation = loop.beginFeedGeneration()
        loop.queue.postBatch(.headlines([arrival(0, at: 0), arrival(1, at: 1)], now: t0), generation: generation)
        loop.queue.post(.key(.char("q")))
        _ = await loop.run()
        #expect(loop.state.history.count == 2)
    }

    /// `--filter` is the filter from the start, whatever keys edit it: with `/` rebound, typing
    /// `/`, the text and Enter would have run the text as list keys.
    @Test func theStartingFilterHoldsWithReboundKeys() throws {
        let keys = try KeyMap.standard.rebinding([KeyRebinding(operation: .editFilter, keys: [.char("e")])])
        let screen = MemoryScreen()
        let loop = EventLoop(screen: screen, state: AppState(
            history: History(capacity: 100), config: AppConfig(sources: ["tech"], feedStart: t0, keys: keys),
            columns: screen.columns, rows: screen.rows, now: t0), watchSignals: false)
        loop.applyFilter("quake")
        #expect(loop.state.filterText == "quake" && loop.state.editor == nil)
    }
}
