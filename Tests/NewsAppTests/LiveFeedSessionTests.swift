import Foundation
import NewsCore
import NewsFeeds
import NewsUI
import Testing
@testable import NewsApp

/// Feeds as live sources in the live view, on the in-memory screen.
@MainActor
@Suite struct LiveFeedSessionTests {
    func rss(_ items: [(String, String)]) -> String {
        #"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>"#
            + items.map { "<item><guid>\($0.0)</guid><title>\($0.1)</title><pubDate>Thu, 01 Jan 2026 08:00:00 GMT</pubDate></item>" }.joined()
            + "</channel></rss>"
    }

    @Test func aFeedFileAPipeAndABrokenFileRunSideBySide() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newsapp-feeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.xml").path, bad = dir.appendingPathComponent("bad.xml").path
        try rss([("g1", "File story one")]).write(toFile: good, atomically: true, encoding: .utf8)
        try "just text".write(toFile: bad, atomically: true, encoding: .utf8)
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let now: @Sendable () -> Timestamp = { t0 }
        let quick: @Sendable (Duration) async throws -> Void = { _ in try await Task.sleep(for: .milliseconds(20)) }
        let sources: [any HeadlineSource] = [
            FeedFileSource(name: "good", path: good, sleep: quick, now: now),
            LineSource(name: "stdin", fd: fds[0], now: now),
            FeedFileSource(name: "bad", path: bad, sleep: quick, now: now),
        ]
        let restart = RestartPolicy(initial: .milliseconds(10), maximum: .milliseconds(10))
        let session = LiveSession(LiveSettings(sources: sources, start: t0, clock: .scaled(1), merge: MergeOptions(restart: restart),
                                               historyCapacity: 100, filter: nil, staleAfter: 30_000, recorder: nil))
        let screen = MemoryScreen()
        let run = Task { try await session.run(on: screen, watchSignals: false) }
        try await eventually("input started") { screen.listening }
        let loop = try #require(session.loopForTests)
        #expect(loop.state.config.sources == ["good", "stdin", "bad"])
        _ = "a piped story\n".withCString { write(fds[1], $0, 14) }
        try await eventually("the file's item and the piped line") { loop.state.history.count == 2 }
        try await eventually("the broken file reported") { loop.state.failing["bad"] != nil }
        try rss([("g1", "File story one"), ("g2", "File story two")]).write(toFile: good, atomically: true, encoding: .utf8)
        try await eventually("only the new item") { loop.state.history.count == 3 }
        try await eventually("on screen") { screen.lines.contains { $0.contains("File story two") } }
        close(fds[1])
        try await eventually("the input's end") { loop.state.finishedSources.contains("stdin") }
        screen.type([.char("q")])
        #expect(try await run.value == 0)
    }
}
