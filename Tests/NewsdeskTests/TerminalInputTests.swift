import Foundation
import NewsCore
import Testing

/// The terminal side of the view with the real binary in tmux: looping replays, unknown
/// escape sequences, terminals that cannot do the view, keys from /dev/tty, and how
/// invisible characters are shown.
@Suite("Terminal input and text in a real terminal (tmux)", .serialized, .timeLimit(.minutes(2)))
struct TerminalInputTests {
    /// A recording of `titles`, `gap` milliseconds apart, from source tech.
    static func recording(_ titles: [String], gap: Int64, in dir: URL, name: String = "rec.jsonl") throws -> String {
        let path = dir.appendingPathComponent(name).path
        let writer = try RecordingWriter(path: path, header: RecordingHeader(started: Timestamp(milliseconds: 0), sources: ["tech"]))
        try writer.write(titles.enumerated().map { i, title in
            Arrival(offset: Int64(i) * gap, headline: Headline(id: "h\(i)", source: "tech", title: title,
                                                                published: Timestamp(milliseconds: Int64(i) * gap)))
        })
        try writer.close()
        return path
    }

    @Test("a --loop replay in the view shows every headline of each pass, the last one too, then starts over")
    func loopShowsLastHeadline() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.recording(["FIRST headline", "SECOND headline", "THIRD headline"], gap: 400, in: dir)
        try await withTmux(columns: 80, rows: 12) { tmux in
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) replay \(file) --loop")
            try await tmux.keys("Enter")
            try await tmux.waitFor("the last headline of a pass", timeout: 8) { lines in
                lines.contains { $0.contains("THIRD headline") }
            }
            // And the next pass starts over: FIRST alone again.
            try await tmux.waitFor("the next pass", timeout: 8) { lines in
                lines.contains { $0.contains("FIRST headline") } && !lines.contains { $0.contains("SECOND headline") }
            }
            try await tmux.waitFor("the last headline of the next pass", timeout: 8) { lines in
                lines.contains { $0.contains("THIRD headline") }
            }
            try await tmux.type("q")
            try await tmux.checkRestored()
        }
    }
}
