import Foundation
import NewsCore
import Testing

/// Issue 14 in a real terminal: `o` with a stub `$BROWSER`, and the mouse as SGR reports.
@Suite("Links and the mouse in a real terminal (tmux)", .serialized, .timeLimit(.minutes(2)))
struct LinksTerminalTests {
    /// A JSON Feed file of `items` (id, title, url), a minute apart, the first the newest.
    static func feed(_ items: [(String, String, String?)], in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("links.json").path
        let objects: [[String: String]] = items.enumerated().map { n, item in
            var object = ["id": item.0, "title": item.1, "date_published": String(format: "2026-01-01T10:%02d:00Z", 59 - n)]
            if let url = item.2 { object["url"] = url }
            return object
        }
        let data = try JSONSerialization.data(withJSONObject: ["version": "https://jsonfeed.org/version/1.1", "title": "Links", "items": objects], options: [.withoutEscapingSlashes])
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A stub browser that writes its arguments, each ended by NUL, to `args` (whole, once done), and prints on stdout and stderr.
    static func stubBrowser(in dir: URL) throws -> (program: String, args: String) {
        let program = dir.appendingPathComponent("stub-browser").path, args = dir.appendingPathComponent("args").path
        try """
            #!/bin/sh
            printf '%s\\0' "$@" > '\(args).tmp'
            echo 'STUB ON STDOUT'; echo 'STUB ON STDERR' >&2
            mv '\(args).tmp' '\(args)'
            """.write(toFile: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program)
        return (program, args)
    }

    func mouseFlags(_ tmux: Tmux) async throws -> String {
        try await tmux.tmux("display-message", "-p", "-t", tmux.target, "#{mouse_standard_flag}#{mouse_sgr_flag}")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("o hands a link full of shell metacharacters to $BROWSER as one argument, byte for byte; nothing runs; the view is intact")
    func openHostileLink() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pwned = dir.appendingPathComponent("PWNED").path
        let link = "https://example.com/a?x=$(touch \(pwned)1)&y=`touch \(pwned)2`;touch \(pwned)3|touch \(pwned)4 'q' \"d\" %s &&"
        let file = try Self.feed([("1", "Hostile link story", link), ("2", "Quiet story", "https://example.com/quiet"),
                                  ("3", "Script story", "javascript:alert(1)"), ("4", "No link story", nil)], in: dir)
        let (browser, args) = try Self.stubBrowser(in: dir)
        try await withTmux(columns: 100, rows: 20) { tmux in
            try await tmux.type("S=$(stty -g); clear; BROWSER='\(browser)' \(newsdeskBinary) --feed links=\(file)")
            try await tmux.keys("Enter")
            try await tmux.waitFor("the four stories") { $0.first?.contains("4 of 4") == true }
            try await tmux.type("o")
            let after = try await tmux.waitFor("the status message") { $0.last?.contains("opened in stub-browser") == true }
            for _ in 0..<200 where !FileManager.default.fileExists(atPath: args) { try await Task.sleep(for: .milliseconds(50)) }
            let recorded = try Data(contentsOf: URL(fileURLWithPath: args))
            #expect(recorded == Data((link + "\0").utf8), "\(String(decoding: recorded, as: UTF8.self).debugDescription)")
            for n in 1...4 { #expect(!FileManager.default.fileExists(atPath: "\(pwned)\(n)"), "PWNED\(n) was made: a shell ran the link") }
            // The view is intact: the header, the four rows, nothing the program printed.
            let screen = try await tmux.screen()
            #expect(screen[0].hasPrefix(" newsdesk"), "\(screen)")
            for title in ["Hostile link story", "Quiet story", "Script story", "No link story"] {
                #expect(screen.contains { $0.contains(title) }, "\(title) is gone: \(screen.joined(separator: "\n"))")
            }
            #expect(!screen.contains { $0.contains("STUB ON") }, "\(screen.joined(separator: "\n"))")
            #expect(after.count == 20)

            // javascript: is refused, a headline without a link says so.
            try await tmux.type("jjo")
            try await tmux.waitFor("the refusal") { $0.last?.contains("not opened: only http, https and file links (javascript:alert(1))") == true }
            try await tmux.type("jo")
            try await tmux.waitFor("no link") { $0.last?.contains("no link") == true }
            try await tmux.type("q")
            try await tmux.checkRestored()
        }
    }

    @Test("mouse: reporting on while the view runs and off after; an SGR click selects a row, a double click opens it")
    func mouseClicks() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.feed((1...6).map { ("\($0)", "Story number \($0)", "https://example.com/\($0)") }, in: dir)
        try await withTmux(columns: 100, rows: 20) { tmux in
            #expect(try await mouseFlags(tmux) == "00")
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) --feed links=\(file)")
            try await tmux.keys("Enter")
            let first = try await tmux.waitFor("six stories") { $0.first?.contains("6 of 6") == true }
            #expect(try await mouseFlags(tmux) == "11", "the view did not turn on SGR mouse reports")
            #expect(selectedRow(try await styled(tmux)) == 1)
            // Click (press, release) on the row of story 4, at column 10.
            let row = try #require(first.firstIndex { $0.contains("Story number 4") })
            try await tmux.type("\u{1B}[<0;10;\(row + 1)M\u{1B}[<0;10;\(row + 1)m")
            try await waitUntil("the selection on story 4's row") { selectedRow(try await styled(tmux)) == row }
            // Nothing of the report was typed as keys: no filter, no toggled source, still the list.
            let screen = try await tmux.screen()
            #expect(screen.first?.contains("6 of 6") == true, "\(screen)")
            // Enter opens what the click selected.
            try await tmux.keys("Enter")
            try await tmux.waitFor("story 4 in full") { lines in lines.first?.contains("Headline") == true && lines.contains { $0.contains("Story number 4") } }
            try await tmux.keys("Escape")
            // A click on the header does nothing; a double click on story 2 opens it.
            try await tmux.type("\u{1B}[<0;10;1M\u{1B}[<0;10;1m")
            let two = try #require(first.firstIndex { $0.contains("Story number 2") })
            try await tmux.type("\u{1B}[<0;10;\(two + 1)M\u{1B}[<0;10;\(two + 1)m\u{1B}[<0;10;\(two + 1)M\u{1B}[<0;10;\(two + 1)m")
            try await tmux.waitFor("story 2 in full") { lines in lines.first?.contains("Headline") == true && lines.contains { $0.contains("Story number 2") } }
            try await tmux.keys("Escape")
            try await tmux.type("q")
            try await tmux.checkRestored()
            #expect(try await mouseFlags(tmux) == "00", "mouse reporting left on after quitting")
        }
    }

    @Test("Ctrl-Z turns mouse reporting off until fg; Ctrl-C and a crash turn it off too")
    func mouseOffOnEveryExit() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.feed([("1", "Only story", nil)], in: dir)
        try await withTmux(columns: 80, rows: 12) { tmux in
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) --feed links=\(file)")
            try await tmux.keys("Enter")
            try await tmux.waitFor("the story") { $0.first?.contains("1 of 1") == true }
            #expect(try await mouseFlags(tmux) == "11")
            // Ctrl-Z: off while stopped (the shell would get the reports), on again after fg.
            try await tmux.keys("C-z")
            try await tmux.waitFor("the job stopped") { $0.contains { $0.contains("Stopped") } }
            #expect(try await mouseFlags(tmux) == "00", "mouse reporting left on while stopped")
            try await tmux.type("fg")
            try await tmux.keys("Enter")
            try await tmux.waitFor("the view again") { $0.first?.contains("1 of 1") == true }
            #expect(try await mouseFlags(tmux) == "11", "mouse reporting not back after fg")
            try await tmux.keys("C-c")
            try await tmux.checkRestored()
            #expect(try await mouseFlags(tmux) == "00")

            try await tmux.type("clear; SWIFT_BACKTRACE=enable=no NEWSDESK_TEST_CRASH=after-input \(newsdeskBinary) --feed links=\(file) 2>/dev/null; echo crashed=$?")
            try await tmux.keys("Enter")
            try await tmux.waitFor("the crash", timeout: 60) { $0.contains { $0.hasPrefix("crashed=") } }
            #expect(try await mouseFlags(tmux) == "00", "mouse reporting left on after a crash")
        }
    }

    /// The pane with its styles.
    func styled(_ tmux: Tmux) async throws -> [String] {
        try await tmux.tmux("capture-pane", "-p", "-e", "-t", tmux.target).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The list row drawn in reverse video (the selection), between the header and the status line.
    func selectedRow(_ lines: [String]) -> Int? {
        let reverse = #/\x1B\[([0-9;]*;)?7(;[0-9;]*)?m/#
        return lines.indices.dropFirst().dropLast().first { i in
            lines[i].contains("Story") && lines[i].firstMatch(of: reverse) != nil
        }
    }

    func waitUntil(_ what: String, timeout: Double = 15, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }
}
