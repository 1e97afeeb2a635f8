import Foundation
import NewsCore
import Testing

/// A tmux server of its own, driving the real binary in a real terminal.
struct Tmux {
    let socket = "newsdesk-test-\(UUID().uuidString.prefix(8))"
    let target = "ui"
    /// The store's folder for everything run in this terminal (see ``freshDataHome()``).
    let dataHome = freshDataHome()

    @discardableResult
    func tmux(_ arguments: String...) async throws -> String {
        let result = try await run("/usr/bin/env", ["tmux", "-L", socket] + arguments, timeout: .seconds(10))
        return result.stdout
    }

    func start(columns: Int, rows: Int) async throws {
        try await tmux("-f", "/dev/null", "new-session", "-d", "-s", target, "-x", "\(columns)", "-y", "\(rows)",
                       "env", "PS1=$ ", "LANG=", "LC_ALL=", "XDG_DATA_HOME=\(dataHome)", "bash", "--norc", "--noprofile")
        try await tmux("set-option", "-t", target, "status", "off")
    }

    /// Types text literally.
    func type(_ text: String) async throws { try await tmux("send-keys", "-t", target, "-l", text) }
    /// Sends named keys (Enter, Escape, C-c...).
    func keys(_ names: String...) async throws {
        for name in names { try await tmux("send-keys", "-t", target, name) }
    }

    /// The pane's lines (tmux drops trailing spaces).
    func screen() async throws -> [String] {
        var lines = try await tmux("capture-pane", "-p", "-t", target).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    func alternateScreen() async throws -> Bool {
        try await tmux("display-message", "-p", "-t", target, "#{alternate_on}").trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    func resize(columns: Int, rows: Int) async throws {
        try await tmux("resize-window", "-t", target, "-x", "\(columns)", "-y", "\(rows)")
    }

    /// The pid of the program running in the pane's shell.
    func childPID() async throws -> Int32? {
        let shell = try await tmux("display-message", "-p", "-t", target, "#{pane_pid}").trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try await run("/usr/bin/env", ["pgrep", "-P", shell], timeout: .seconds(5)).stdout
        return children.split(separator: "\n").first.flatMap { Int32($0) }
    }

    /// Polls the screen until `condition` holds (the app draws asynchronously).
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 15, sourceLocation: SourceLocation = #_sourceLocation,
                 _ condition: ([String]) -> Bool) async throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var lines: [String] = []
        while Date() < deadline {
            lines = try await screen()
            if condition(lines) { return lines }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for \(what); screen:\n\(lines.joined(separator: "\n"))", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    func kill() async { _ = try? await tmux("kill-server") }
}

/// A recording of seed 4 at `--speed max`, `seconds` of feed long, in `dir`: what the view
/// tests replay. Returns its path.
func seededRecording(seconds: Int, in dir: URL, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
    let file = dir.appendingPathComponent("seed4-\(seconds)s.jsonl").path
    let recorded = try await run(newsdeskBinary, ["record", "--out", file, "--seed", "4", "--speed", "max", "--duration", "\(seconds)"])
    #expect(recorded.status == 0, sourceLocation: sourceLocation)
    return file
}

/// Runs `body` with a fresh tmux server and always kills it afterwards.
func withTmux(columns: Int, rows: Int, _ body: (Tmux) async throws -> Void) async throws {
    let tmux = Tmux()
    do {
        try await tmux.start(columns: columns, rows: rows)
        try await body(tmux)
    } catch {
        await tmux.kill()
        throw error
    }
    await tmux.kill()
}

extension Tmux {
    /// Starts newsdesk in the pane after saving the terminal modes; returns when it shows headlines.
    func launch(_ arguments: String = "--seed 1 --speed 20") async throws -> [String] {
        try await type("S=$(stty -g); clear; \(newsdeskBinary) \(arguments)")
        try await keys("Enter")
        return try await waitFor("headlines from all three sources") { lines in
            let rows = lines.filter { $0.wholeMatch(of: rowPattern) != nil || $0.firstMatch(of: rowPattern) != nil }
            return lines.first?.contains("newsdesk") == true
                && ["Tech", "Sports", "World"].allSatisfy { source in rows.contains { $0.contains(" \(source) ") } }
        }
    }

    /// After the app has exited: main screen again, and the exact terminal modes restored.
    func checkRestored(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        _ = try await waitFor("the shell prompt", sourceLocation: sourceLocation) { lines in
            lines.contains { $0.hasPrefix("$") }
        }
        #expect(try await alternateScreen() == false, sourceLocation: sourceLocation)
        try await type("clear; [ \"$S\" = \"$(stty -g)\" ] && echo MODES-RESTORED || echo MODES-CHANGED")
        try await keys("Enter")
        let lines = try await waitFor("the stty check", sourceLocation: sourceLocation) { lines in
            lines.contains { $0 == "MODES-RESTORED" || $0 == "MODES-CHANGED" }
        }
        #expect(lines.contains("MODES-RESTORED"), sourceLocation: sourceLocation)
        // Echo is on: what is typed shows up.
        try await type("echo-check")
        try await waitFor("typed text echoed", sourceLocation: sourceLocation) { $0.contains { $0.contains("echo-check") } }
        try await keys("C-u")
    }

}

var rowPattern: Regex<(Substring, Substring, Substring)> { #/^\s*(now|\d+[smhd]) (Tech|Sports|World)\s+\S/# }

@Suite("The interactive view in a real terminal (tmux)", .serialized, .timeLimit(.minutes(2)))
struct TerminalTests {
    @Test("100x30: live rows from all sources with ages, filter as you type, resize, quit with q and Ctrl-C")
    func fullSession() async throws {
        try await withTmux(columns: 100, rows: 30) { tmux in try await fullSession(tmux) }
    }

    func fullSession(_ tmux: Tmux) async throws {
        let first = try await tmux.launch()
        #expect(try await tmux.alternateScreen())
        #expect(first.count == 30)
        #expect(first[0].hasPrefix(" newsdesk"))
        #expect(first.last?.contains("/ filter") == true)
        let rows = first.dropFirst().dropLast().filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(rows.allSatisfy { $0.firstMatch(of: rowPattern) != nil }, "\(rows)")

        // Filter as you type: every listed headline contains the keyword.
        try await tmux.type("/")
        try await tmux.type("breaking")
        let filtered = try await tmux.waitFor("the filtered list") { lines in
            lines.last?.hasPrefix("/breaking") == true && lines.count > 2
                && lines[1].firstMatch(of: rowPattern) != nil
        }
        let listed = filtered.dropFirst().dropLast().filter { $0.firstMatch(of: rowPattern) != nil }
        #expect(!listed.isEmpty)
        #expect(listed.allSatisfy { $0.lowercased().contains("breaking") }, "\(listed)")
        #expect(filtered[0].contains("/breaking"))

        // Esc restores the previous (empty) filter.
        try await tmux.keys("Escape")
        try await tmux.waitFor("the unfiltered list") { lines in
            lines.last?.contains("/ filter") == true && !lines[0].contains("/breaking")
        }

        // Resize to 60x15: the layout follows at once.
        try await tmux.resize(columns: 60, rows: 15)
        let small = try await tmux.waitFor("the 60x15 layout") { lines in
            lines.count == 15 && lines[0].hasPrefix(" newsdesk") && lines[14].contains("/ filter")
        }
        #expect(small.allSatisfy { TextWidth.columns($0) <= 60 })
        #expect(small[1...13].filter { $0.firstMatch(of: rowPattern) != nil }.count >= 10)

        // q quits and gives the terminal back.
        try await tmux.keys("q")
        try await tmux.checkRestored()

        // Again, and quit with Ctrl-C.
        try await tmux.resize(columns: 100, rows: 30)
        _ = try await tmux.launch()
        try await tmux.keys("C-c")
        try await tmux.checkRestored()
    }

    @Test("a tiny terminal shows a one-line message; growing it brings the view back")
    func tinyTerminal() async throws {
        try await withTmux(columns: 80, rows: 24) { tmux in try await tinyTerminal(tmux) }
    }

    func tinyTerminal(_ tmux: Tmux) async throws {
        _ = try await tmux.launch()
        try await tmux.resize(columns: 15, rows: 4)
        try await tmux.waitFor("the too-small message") { $0.first?.hasPrefix("terminal too") == true }
        try await tmux.resize(columns: 20, rows: 5)
        try await tmux.waitFor("the smallest layout") { lines in
            lines.count == 5 && lines[0].hasPrefix(" newsdesk") && lines[1].firstMatch(of: #/^\s*(now|\d+[smhd]) [TSW] /#) != nil
        }
        try await tmux.keys("q")
        try await tmux.checkRestored()
    }

    @Test("replay in the view: progress line, pause, step, seek, speed up, quit")
    func replayView() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try await seededRecording(seconds: 600, in: dir)
        try await withTmux(columns: 100, rows: 24) { tmux in
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) replay \(file) --speed 5")
            try await tmux.keys("Enter")
            let playing = try await tmux.waitFor("the progress line with the duration, and rows") { lines in
                lines.count > 2 && lines[1].firstMatch(of: rowPattern) != nil && lines.last?.contains("▶") == true
                    && (lines.last?.contains("/ 10m00s") == true || lines.last?.contains("/ 9m") == true)
            }
            #expect(playing.last?.contains("×5") == true)

            // Pause: the position stops.
            try await tmux.type(" ")
            let paused = try await tmux.waitFor("paused") { $0.last?.contains("⏸") == true }
            let position = paused.last!.split(separator: " ")[1]
            let shown = paused[0]
            try await Task.sleep(for: .milliseconds(600))
            let still = try await tmux.screen()
            #expect(still.last!.split(separator: " ")[1] == position)
            #expect(still[0] == shown)

            // Step: one more headline, still paused.
            let count = { (line: String) -> Int? in
                line.firstMatch(of: #/(\d+) of \d+ shown/#).flatMap { Int($0.1) }
            }
            let before = try #require(count(shown))
            try await tmux.type(".")
            let stepped = try await tmux.waitFor("one headline stepped") { count($0[0]) == before + 1 }
            #expect(stepped.last?.contains("⏸") == true)

            // Seek a minute forward: the view is rebuilt at the new position.
            try await tmux.type("]")
            try await tmux.waitFor("a minute later") { lines in
                guard let text = lines.last, let match = text.firstMatch(of: #/(\d+)m(\d+)s \//#) else { return false }
                return (Int(match.1)! * 60 + Int(match.2)!) >= 60
            }
            // Resume faster.
            try await tmux.type(" ")
            try await tmux.type("+")
            try await tmux.waitFor("playing at ×10") { $0.last?.contains("▶") == true && $0.last?.contains("×10") == true }
            try await tmux.type("q")
            try await tmux.checkRestored()
        }
    }
}
