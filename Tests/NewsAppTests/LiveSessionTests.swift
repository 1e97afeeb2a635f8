import Foundation
import NewsCore
import NewsUI
import Testing
@testable import NewsApp

/// The live view on the in-memory screen.
@MainActor
@Suite struct LiveSessionTests {
    func settings(_ sources: [any HeadlineSource], clock: ClockChoice, end: Int64?, recorder: RecordingWriter? = nil) -> LiveSettings {
        LiveSettings(sources: sources, start: t0, clock: clock, merge: MergeOptions(endOffset: end), historyCapacity: 1000,
                     filter: nil, staleAfter: 30_000, recorder: recorder)
    }

    func simulated(_ name: String) throws -> any HeadlineSource {
        try SimulatedSource(name: name, vocabulary: try Vocabulary.bundled(), seed: 7, start: t0)
    }

    @Test func theFeedReachesTheScreenAndTheRecordingAndQKeepsEveryRecordedLine() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("newsapp-live-\(UUID().uuidString).jsonl").path
        let recorder = try RecordingWriter(path: path, header: RecordingHeader(started: t0, sources: ["tech", "world"]))
        let screen = MemoryScreen()
        let session = LiveSession(settings([try simulated("tech"), try simulated("world")], clock: .virtual, end: 600_000, recorder: recorder))
        let run = Task { try await session.run(on: screen, watchSignals: false) }
        try await eventually("input started") { screen.listening }
        let loop = try #require(session.loopForTests)
        try await eventually("headlines in the view") { loop.state.history.count > 0 }
        try await eventually("a headline on screen") {
            let history = loop.state.history
            let text = screen.lines.joined(separator: "\n")
            return (max(history.firstSeq, history.nextSeq - 10)..<history.nextSeq).contains { text.contains(history.title($0).prefix(15)) }
        }
        screen.type([.char("q")])
        #expect(try await run.value == 0)
        #expect(screen.restored)
        try recorder.close()
        // Whatever the view showed, the recording has every merged headline: the feed
        // task finished writing before the session returned.
        let reader = try RecordingReader(path: path)
        var count = 0
        while try reader.next() != nil { count += 1 }
        #expect(count > 0)
        #expect(count == recorder.eventsWritten)
    }

    @Test func atAScaledSpeedTheClockTicksOnWholeSecondsOfFeedTime() async throws {
        let screen = MemoryScreen()
        let session = LiveSession(settings([], clock: .scaled(100), end: nil))
        let run = Task { try await session.run(on: screen, watchSignals: false) }
        try await eventually("input started") { screen.listening }
        let loop = try #require(session.loopForTests)
        try await eventually("three seconds of feed time") { loop.state.now.milliseconds >= t0.milliseconds + 3_000 }
        #expect(loop.state.now.milliseconds % 1000 == 0)
        screen.type([.char("q")])
        #expect(try await run.value == 0)
    }
}
