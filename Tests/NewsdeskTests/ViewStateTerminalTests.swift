import Foundation
import NewsCore
import Testing

/// Issue 17 in the real binary: an opened headline stays put, and the end of a feed or a
/// replay is said as such.
@Suite("The view's state in a real terminal (tmux)", .serialized, .timeLimit(.minutes(2)))
struct ViewStateTerminalTests {
    /// The detail view's title: the lines between the top bar and the "Source" field.
    static func detailTitle(_ lines: [String]) -> String {
        let end = lines.firstIndex { $0.hasPrefix("  Source ") } ?? lines.count
        return lines[1..<end].map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    @Test("Enter on the top row of a live feed: the opened headline stays while new ones arrive; j moves")
    func openedHeadlineStays() async throws {
        try await withTmux(columns: 100, rows: 30) { tmux in try await openedHeadlineStays(tmux) }
    }

    func openedHeadlineStays(_ tmux: Tmux) async throws {
        _ = try await tmux.launch("--seed 5 --speed 3")
        try await tmux.keys("Enter")
        let opened = try await tmux.waitFor("the detail view") { $0.first?.hasPrefix(" Headline") == true && $0.contains { $0.hasPrefix("  Source ") } }
        let title = Self.detailTitle(opened)
        #expect(!title.isEmpty)
        let published = opened.first { $0.hasPrefix("  Published") }
        // Wait for the age to grow by 3 s of feed time (a second of real time: several arrivals).
        let later = try await tmux.waitFor("the age to grow") { lines in
            guard let line = lines.first(where: { $0.hasPrefix("  Published") }), line != published,
                  let match = line.firstMatch(of: #/\((\d+)s ago\)/#) else { return false }
            return Int(match.1)! >= 3
        }
        #expect(Self.detailTitle(later) == title)
        // j shows the next older headline; k comes back to the opened one.
        try await tmux.type("j")
        try await tmux.waitFor("the next headline") { Self.detailTitle($0) != title && $0.contains { $0.hasPrefix("  Source ") } }
        try await tmux.type("k")
        try await tmux.waitFor("the opened headline again") { Self.detailTitle($0) == title }
        // Back in the list: the selection is still on it, the new ones counted above.
        try await tmux.keys("Escape")
        let list = try await tmux.waitFor("the list with new headlines above") { $0.first?.contains("new above") == true }
        #expect(list.count > 2)
        try await tmux.type("q")
        try await tmux.checkRestored()
    }

    @Test("a --duration feed that has ended says so, and calls no source stale")
    func durationEnded() async throws {
        try await withTmux(columns: 120, rows: 20) { tmux in try await durationEnded(tmux) }
    }

    func durationEnded(_ tmux: Tmux) async throws {
        // Ten seconds of feed at --speed 5 last 2 s: long enough that a loaded machine's
        // slow start cannot end the feed before every source has sent (at --speed 20 the
        // whole feed was half a second, and world's first batch once missed it).
        _ = try await tmux.launch("--seed 1 --speed 5 --duration 10 --stale-after 2")
        let ended = try await tmux.waitFor("feed ended in the header") { $0.first?.contains("feed ended") == true }
        // Well past --stale-after (2 s of feed time is 0.4 s here).
        try await Task.sleep(for: .milliseconds(1000))
        let later = try await tmux.screen()
        #expect(!later[0].contains("stale"), "\(later[0])")
        #expect(later[0].contains("feed ended"))
        #expect(ended.count == 20)
        try await tmux.type("q")
        try await tmux.checkRestored()
    }

    @Test("a replay that has played to its end: 'replay ended', no stale sources, the position stops at the duration")
    func replayEnded() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try await seededRecording(seconds: 20, in: dir)
        try await withTmux(columns: 120, rows: 20) { tmux in
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) replay \(file) --speed 40")
            try await tmux.keys("Enter")
            try await tmux.waitFor("the end of the replay") { $0.last?.contains("■") == true }
            // 1.2 s at ×40 is 48 s of replay clock past the end: past the 30 s for stale.
            try await Task.sleep(for: .milliseconds(1200))
            let lines = try await tmux.screen()
            #expect(lines[0].contains("replay ended") && !lines[0].contains("stale"), "\(lines[0])")
            let progress = try #require(lines.last?.firstMatch(of: #/■ (\S+) \/ (\S+) /#), "\(lines.last ?? "")")
            let position = try #require(DurationText.parse(String(progress.1))), duration = try #require(DurationText.parse(String(progress.2)))
            #expect(position <= duration, "\(lines.last!)")
            try await tmux.type("q")
            try await tmux.checkRestored()
        }
    }
}
