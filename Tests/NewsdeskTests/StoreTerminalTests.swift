import Foundation
import NewsCore
import Testing

/// Issue 13's read and starred state in the real binary, in tmux, across a restart.
@Suite("The store in a real terminal (tmux)", .serialized, .timeLimit(.minutes(2)))
struct StoreTerminalTests {
    @Test("Enter marks read and s stars; after a restart the view opens on the stored headlines with their marks; u and * narrow to them")
    func readStateAcrossARestart() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let feed = dir.appendingPathComponent("three.xml").path, store = dir.appendingPathComponent("s.db").path
        try rssFeed([("a", "Alpha story", 1), ("b", "Bravo story", 2), ("c", "Charlie story", 3)], title: "Three")
            .write(toFile: feed, atomically: true, encoding: .utf8)
        func row(_ lines: [String], _ title: String) -> String? { lines.first { $0.contains(title) } }
        try await withTmux(columns: 80, rows: 12) { tmux in
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) --feed \(feed) --store \(store)")
            try await tmux.keys("Enter")
            let first = try await tmux.waitFor("three unread headlines") { $0.first?.contains("3 unread") == true }
            #expect(["Alpha", "Bravo", "Charlie"].allSatisfy { row(first, "\($0) story")?.hasPrefix("●") == true }, "\(first)")
            // The newest (Charlie) is selected: open it, close it, star the next one.
            try await tmux.keys("Enter")
            try await tmux.waitFor("the headline opened") { $0.first?.contains("read") == true }
            try await tmux.keys("Escape")
            try await tmux.type("j")
            try await tmux.type("s")
            let marked = try await tmux.waitFor("one read, one starred") { lines in
                lines.first?.contains("2 unread") == true && row(lines, "Bravo story")?.hasPrefix("★") == true
            }
            #expect(row(marked, "Charlie story")?.hasPrefix(" ") == true, "\(marked)")
            try await tmux.type("q")
            try await tmux.checkRestored()

            // Again, on the same store: the marks are where they were, and nothing is new.
            try await tmux.type("clear; \(newsdeskBinary) --feed \(feed) --store \(store)")
            try await tmux.keys("Enter")
            let again = try await tmux.waitFor("the stored headlines") { lines in
                lines.first?.contains("2 unread") == true && row(lines, "Bravo story") != nil
            }
            #expect(row(again, "Charlie story")?.hasPrefix(" ") == true, "\(again)")
            #expect(row(again, "Bravo story")?.hasPrefix("★") == true)
            #expect(row(again, "Alpha story")?.hasPrefix("●") == true)
            #expect(again.filter { $0.contains(" story") }.count == 3, "a stored headline shown twice: \(again)")
            try await tmux.type("*")
            let starred = try await tmux.waitFor("starred only") { $0.first?.contains("1 of 3") == true }
            #expect(row(starred, "Bravo story") != nil && row(starred, "Alpha story") == nil, "\(starred)")
            try await tmux.type("*")
            try await tmux.type("u")
            let unread = try await tmux.waitFor("unread only") { $0.first?.contains("2 of 3") == true }
            #expect(row(unread, "Charlie story") == nil, "\(unread)")
            try await tmux.type("q")
            try await tmux.checkRestored()
        }
        #expect(try await sqlite(store, "SELECT item_id, read, starred FROM items ORDER BY item_id") == ["a|0|0", "b|0|1", "c|1|0"])
    }

    @Test("A store that cannot be opened: the view runs on the feed and its status line says the store is not kept")
    func unopenableStoreInTheView() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let feed = dir.appendingPathComponent("one.xml").path, blocker = dir.appendingPathComponent("file").path
        try rssFeed([("a", "Only story", 1)], title: "One").write(toFile: feed, atomically: true, encoding: .utf8)
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        try await withTmux(columns: 100, rows: 10) { tmux in
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) --feed \(feed) --store \(blocker)/s.db 2>/dev/null")
            try await tmux.keys("Enter")
            let shown = try await tmux.waitFor("the feed, and why the store is not kept") { lines in
                lines.contains { $0.contains("Only story") } && lines.last?.contains("not kept") == true
            }
            #expect(shown.last?.contains(blocker) == true, "\(shown)")
            try await tmux.type("q")
            try await tmux.checkRestored()
        }
    }
}
