import Foundation
import NewsCore
import NewsUI
import Testing
@testable import NewsApp

/// The order of a replay's sources: the recording's `sources` list, else the order of
/// first appearance (not the simulated three's).
@MainActor
@Suite struct ReplaySourceOrderTests {
    func replay(listing sources: [String], arriving: [String]) async throws -> AppState {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("newsapp-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try RecordingWriter(path: path, header: RecordingHeader(started: t0, sources: sources))
        try writer.write(arriving.enumerated().map { n, source in
            Arrival(offset: Int64(n) * 100, headline: Headline(id: "\(n)", source: source, title: "Story \(n)", published: t0.adding(milliseconds: Int64(n) * 100)))
        })
        try writer.close()
        let session = ReplaySession(input: try ReplayInput.open(path), header: try RecordingReader(path: path).header, settings: ReplaySettings(
            speed: .infinity, loop: false, strict: false, idleLimit: nil, staleAfter: 30_000, filter: nil, historyCapacity: 1000), from: 0)
        let screen = MemoryScreen()
        let run = Task { try await session.run(on: screen, from: 0, watchSignals: false) }
        try await eventually("input started") { screen.listening }
        try await eventually("every headline") { session.loopForTests.state.history.count == arriving.count }
        let state = session.loopForTests.state
        screen.type([.char("q")])
        _ = try await run.value
        return state
    }

    @Test func aRecordingWithoutASourcesListTakesTheOrderOfFirstAppearance() async throws {
        let state = try await replay(listing: [], arriving: ["world", "tech", "world", "sports"])
        #expect(state.config.sources.isEmpty)
        #expect(state.sources.names == ["world", "tech", "sports"])
    }

    @Test func theRecordingsListComesFirstThenTheUnlistedAsTheyAppear() async throws {
        let state = try await replay(listing: ["b", "a"], arriving: ["z", "a", "y", "b"])
        #expect(state.sources.names == ["b", "a", "z", "y"])
    }
}
