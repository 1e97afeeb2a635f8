import Foundation
import NewsCore
import NewsUI
import Testing
@testable import NewsApp

/// A replay in the view, on the in-memory screen: the controls as keys, the state as the
/// screen's app state shows it.
@MainActor
@Suite struct ReplaySessionTests {
    /// A running replay session and its screen.
    @MainActor
    struct Running {
        let session: ReplaySession
        let screen: MemoryScreen
        let run: Task<Int32, any Error>
        var state: AppState { session.loopForTests.state }
        var status: ReplayStatus? { state.replay }

        func type(_ text: String) { screen.type(text.map { .char($0) }) }

        /// Pauses, once time runs: the clock holds until the feed is ready, and Space
        /// during the hold resumes (the hold counts as a pause).
        func pause() async throws {
            try await eventually("the feed ready") { !session.clock.isPaused }
            type(" ")
            // The status is posted with the pause, on the same turn of the main actor.
            try await eventually("paused") { session.clock.isPaused }
            #expect(status?.paused == true)
        }

        /// Steps once. A step plays the headline the feed is waiting for; until the feed
        /// has started waiting (a moment after the start) there is none and a step does
        /// nothing, as on a terminal: then it presses again, as a user would, once the
        /// press has been handled (two frames on: the turn that takes the key has drawn).
        func step() async throws {
            let before = session.clock.now
            for _ in 0..<100 {
                let frames = screen.framesDrawn
                type(".")
                try await eventually("the step handled") { session.clock.now > before || screen.framesDrawn >= frames + 2 }
                if session.clock.now > before { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw Timeout(what: "a step")
        }

        func quit() async throws -> Int32 {
            type("q")
            return try await run.value
        }
    }

    func start(offsets: [Int64], speed: Double = 1, loop: Bool = false, from: Int64 = 0) async throws -> Running {
        let path = try writeRecording(offsets: offsets)
        let input = try ReplayInput.open(path)
        let header = try RecordingReader(path: path).header
        let session = ReplaySession(input: input, header: header, settings: ReplaySettings(
            speed: speed, loop: loop, strict: false, idleLimit: nil, staleAfter: 30_000, filter: nil, historyCapacity: 1000), from: from)
        let screen = MemoryScreen()
        let run = Task { try await session.run(on: screen, from: from, watchSignals: false) }
        try await eventually("input started") { screen.listening }
        return Running(session: session, screen: screen, run: run)
    }

    /// Headline n at 5 s + n * 10 s, 30 of them: none plays in the first 5 seconds.
    /// Played at the slowest speed (1/64) wherever a test pauses or steps, so that the
    /// first headline is 320 real seconds away: a loaded machine's stall (the test pool
    /// has one thread per core) cannot play it before the pause lands.
    static let slowest = 1.0 / 64
    static let everyTenSeconds = (0..<30).map { Int64($0) * 10_000 + 5_000 }

    @Test func pauseThenSeekRebuildsTheHistoryOnceAndClampsToTheRecording() async throws {
        let r = try await start(offsets: Self.everyTenSeconds, speed: Self.slowest)
        try await r.pause()
        try await eventually("duration known") { r.status?.duration != nil }
        // Paused a moment after the start: a minute on from there.
        let pausedAt = try #require(r.status?.position)
        r.type("]")
        try await eventually("a minute on") { r.status?.position == pausedAt + 60_000 }
        // 5 s ... 55 s, each once: nothing from the feed of before the seek.
        try await eventually("six headlines") { r.state.history.count == 6 }
        try await Task.sleep(for: .milliseconds(100))
        #expect(r.state.history.count == 6)
        r.type("[[")
        try await eventually("back at the start") { r.status?.position == 0 && r.state.history.count == 0 }
        r.type("]]]]]]")
        try await eventually("clamped at the end") { r.status?.position == r.status?.duration }
        #expect(r.status?.duration == 295_000)
        #expect(try await r.quit() == 0)
        #expect(r.screen.restored)
    }

    @Test func stepPlaysOneHeadlineWhilePaused() async throws {
        let r = try await start(offsets: Self.everyTenSeconds, speed: Self.slowest)
        try await r.pause()
        try await r.step()
        try await eventually("one headline") { r.state.history.count == 1 }
        try await Task.sleep(for: .milliseconds(100))
        #expect(r.state.history.count == 1)
        #expect(r.status?.paused == true)
        #expect(r.status?.position == 5_000)
        try await r.step()
        try await eventually("two headlines") { r.state.history.count == 2 }
        #expect(r.status?.position == 15_000)
        _ = try await r.quit()
    }

    @Test func fasterAndSlowerStopAtTheirLimits() async throws {
        let r = try await start(offsets: Self.everyTenSeconds)
        try await r.pause()
        r.type(String(repeating: "+", count: 12))
        try await eventually("4096x") { r.status?.speed == 4096 }
        r.type("++")
        try await eventually("max") { r.status?.speed == .infinity }
        r.type("-")
        try await eventually("64x from max") { r.status?.speed == 64 }
        r.type(String(repeating: "-", count: 14))
        try await eventually("the slowest") { r.status?.speed == 1.0 / 64 }
        _ = try await r.quit()
    }

    @Test func withoutLoopTheReplayEnds() async throws {
        let r = try await start(offsets: [0, 100, 200])
        try await eventually("the end") { r.status?.ended == true }
        #expect(r.state.history.count == 3)
        _ = try await r.quit()
    }

    @Test func withLoopTheReplayStartsOver() async throws {
        let r = try await start(offsets: [0, 100, 200], loop: true)
        try await eventually("the first pass played") { r.state.history.count == 3 && (r.status?.position ?? 0) >= 1_000 }
        // The end waits a second of recording time, then the view starts over at 0.
        try await eventually("started over") { (r.status?.position ?? .max) < 500 }
        try await eventually("the second pass played") { r.state.history.count == 3 }
        #expect(r.status?.ended == false)
        _ = try await r.quit()
    }

    @Test func startingLaterBuildsTheHistoryBeforeThatPoint() async throws {
        let r = try await start(offsets: Self.everyTenSeconds, speed: Self.slowest, from: 60_000)
        try await eventually("six headlines") { r.state.history.count == 6 }
        try await r.pause()
        #expect(r.state.history.count == 6)
        _ = try await r.quit()
    }

    @Test func theTickKeepsTheProgressLineOnTheReplayClock() async throws {
        let r = try await start(offsets: Self.everyTenSeconds)
        try await eventually("a second played") { (r.status?.position ?? 0) >= 1_000 }
        // The view's time is the recording's: its start plus the position played.
        let position = try #require(r.status?.position)
        #expect(abs(r.state.now.milliseconds - (t0.milliseconds + position)) < 100)
        _ = try await r.quit()
    }
}
