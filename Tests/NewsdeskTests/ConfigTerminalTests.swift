import Foundation
import NewsCore
import Testing

/// Issue 14's config file in a real terminal: rebound keys, the help showing them, saved
/// filters as tabs, an alert, a broken file.
@Suite("The config file in a real terminal (tmux)", .serialized, .timeLimit(.minutes(2)))
struct ConfigTerminalTests {
    let links = LinksTerminalTests()

    func config(_ text: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("config.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("quit = \"x\" and down = [\"n\", \"Down\"]: q no longer quits, n moves down, the help and hints show x, x quits")
    func remappedKeys() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let feed = try LinksTerminalTests.feed((1...5).map { ("\($0)", "Story number \($0)", nil) }, in: dir)
        let config = try config("[keys]\nquit = \"x\"\ndown = [\"n\", \"Down\"]\n", in: dir)
        try await withTmux(columns: 100, rows: 20) { tmux in
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) --config \(config) --feed f=\(feed)")
            try await tmux.keys("Enter")
            let first = try await tmux.waitFor("five stories") { $0.first?.contains("5 of 5") == true }
            #expect(first.last?.contains("x quit") == true, "the hint line shows the key in force: \(first.last ?? "")")
            #expect(links.selectedRow(try await links.styled(tmux)) == 1)
            try await tmux.type("n")
            try await links.waitUntil("the selection on the second row") { links.selectedRow(try await links.styled(tmux)) == 2 }
            try await tmux.type("j")  // no longer down (its default was replaced)
            try await tmux.keys("Down")
            try await links.waitUntil("Down still moves") { links.selectedRow(try await links.styled(tmux)) == 3 }
            // q does nothing now: the view is still there a moment later.
            try await tmux.type("q")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await tmux.screen().first?.contains("5 of 5") == true, "q quit although quit is x")
            try await tmux.type("?")
            let help = try await tmux.waitFor("the help") { $0.first?.hasPrefix(" Help") == true }
            #expect(help.contains { $0.hasPrefix(" n/↓ ") }, "\(help)")
            try await tmux.keys("Escape")
            try await tmux.waitFor("the list again") { $0.first?.contains("5 of 5") == true }
            try await tmux.type("x")
            try await tmux.checkRestored()
        }
    }

    @Test("[filters] as tabs: Tab switches to the saved filter (its count in the tab row), Shift-Tab back to all; an alert marks its row")
    func savedFilters() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let feed = try LinksTerminalTests.feed([("1", "Calm day", nil), ("2", "Storm warning issued", nil), ("3", "Market rally", nil),
                                                ("4", "Storm passes", nil)], in: dir)
        let config = try config("""
            [filters]
            storms = "storm"
            markets = "market"

            [alerts]
            rally = { query = "rally" }
            """, in: dir)
        try await withTmux(columns: 100, rows: 20) { tmux in
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) --config \(config) --feed f=\(feed)")
            try await tmux.keys("Enter")
            let first = try await tmux.waitFor("four stories") { $0.first?.contains("4 of 4") == true }
            #expect(first[1].hasPrefix(" all 4  storms 2  markets 1 "), "\(first[1])")
            #expect(first.contains { $0.hasPrefix("● !") && $0.contains("Market rally") }, "the alert mark, after the unread mark: \(first)")
            try await tmux.keys("Tab")
            let storms = try await tmux.waitFor("the storms tab") { $0.first?.contains("2 of 4") == true }
            #expect(storms.first?.contains("/storm") == true && storms.dropFirst(2).prefix(2).allSatisfy { $0.contains("Storm") }, "\(storms)")
            try await tmux.keys("BTab")
            try await tmux.waitFor("all again") { $0.first?.contains("4 of 4") == true }
            try await tmux.keys("C-c")
            try await tmux.checkRestored()
        }
    }

    @Test("[ui] mouse = false: the view never turns mouse reporting on, so the terminal keeps its own selection")
    func mouseOff() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let feed = try LinksTerminalTests.feed((1...3).map { ("\($0)", "Story number \($0)", nil) }, in: dir)
        let config = try config("[ui]\nmouse = false\n", in: dir)
        try await withTmux(columns: 100, rows: 20) { tmux in
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) --config \(config) --feed f=\(feed)")
            try await tmux.keys("Enter")
            try await tmux.waitFor("three stories") { $0.first?.contains("3 of 3") == true }
            #expect(try await links.mouseFlags(tmux) == "00", "mouse reporting turned on although [ui] mouse = false")
            try await tmux.type("q")
            try await tmux.checkRestored()
        }
    }

    @Test("A config with a key bound twice stops the view before it starts: FILE:LINE: reason, exit 78, the terminal untouched")
    func brokenConfig() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try config("# keys\n[keys]\n\nquit = \"j\"\n", in: dir)
        try await withTmux(columns: 100, rows: 12) { tmux in
            try await tmux.type("clear; \(newsdeskBinary) --config \(config) --seed 1; echo status=$?")
            try await tmux.keys("Enter")
            let screen = try await tmux.waitFor("the exit") { $0.contains { $0.hasPrefix("status=") } }
            #expect(screen.contains("status=78"), "\(screen)")
            #expect(screen.contains { $0.contains("\(config):4: j is bound to both") }, "\(screen)")
        }
    }
}
