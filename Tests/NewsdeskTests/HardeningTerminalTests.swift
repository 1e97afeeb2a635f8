import Foundation
import NewsCore
import Testing

/// Signals in every situation, a storm of resizes, a crash, and hostile titles: the real
/// binary in tmux, checking the terminal and any recording afterwards.
@Suite("Hardening in a real terminal (tmux)", .serialized, .timeLimit(.minutes(3)))
struct HardeningTerminalTests {
    enum Situation: String, CaseIterable, CustomTestStringConvertible {
        case idle, editingFilter, midReplay, midRecording
        var testDescription: String { rawValue }
    }

    struct SignalCase: CustomTestStringConvertible, Sendable {
        var signal: Int32
        var situation: Situation
        var testDescription: String { "\(signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "SIGHUP") while \(situation)" }
    }

    static let signalCases = [SIGINT, SIGTERM, SIGHUP].flatMap { sig in Situation.allCases.map { SignalCase(signal: sig, situation: $0) } }

    @Test("a signal restores the terminal and leaves any recording complete", arguments: signalCases)
    func signal(_ c: SignalCase) async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recording = dir.appendingPathComponent("rec.jsonl").path
        var arguments = "--seed 3 --speed 20"
        switch c.situation {
        case .idle, .editingFilter: break
        case .midRecording: arguments += " --record \(recording)"
        case .midReplay:
            let made = try await run(newsdeskBinary, ["record", "--out", recording, "--seed", "3", "--speed", "max", "--duration", "900"])
            #expect(made.status == 0)
            arguments = "replay \(recording) --speed 20"
        }
        try await withTmux(columns: 90, rows: 24) { tmux in
            _ = try await tmux.launch(arguments)
            if c.situation == .editingFilter {
                try await tmux.type("/go")
                try await tmux.waitFor("the filter being edited") { $0.first?.contains("/go") == true }
            }
            let pid = try #require(try await tmux.childPID())
            kill(pid, c.signal)
            try await tmux.checkRestored()
        }
        if c.situation == .midRecording {
            // Every line whole: the strict reader takes the file without a warning.
            let replayed = try await run(newsdeskBinary, ["replay", recording, "--plain", "--speed", "max", "--strict"])
            #expect(replayed.status == 0, "\(replayed.stderr)")
            #expect(replayed.stderr.isEmpty, "\(replayed.stderr)")
            #expect(replayed.lines.count > 0)
        }
    }

    @Test("100 resizes within 2 seconds, down to 1x1 and up to 300x100: no crash, a correct final layout")
    func resizeStorm() async throws {
        try await withTmux(columns: 100, rows: 30) { tmux in
            _ = try await tmux.launch("--seed 5 --speed 20")
            var sizes = [(1, 1), (300, 100), (2, 1), (1, 50), (300, 1), (19, 4), (20, 5), (299, 99)]
            var random = SeededRandom(seed: 9)
            while sizes.count < 99 { sizes.append((1 + random.index(below: 300), 1 + random.index(below: 100))) }
            sizes.append((100, 30))
            // Ten tmux commands per call (`;`-separated), so that the storm is not paced by
            // starting a hundred tmux clients.
            let start = Date()
            for group in stride(from: 0, to: sizes.count, by: 10) {
                var arguments: [String] = []
                for (columns, rows) in sizes[group..<min(group + 10, sizes.count)] {
                    if !arguments.isEmpty { arguments.append(";") }
                    arguments += ["resize-window", "-t", tmux.target, "-x", "\(columns)", "-y", "\(rows)"]
                }
                _ = try await run("/usr/bin/env", ["tmux", "-L", tmux.socket] + arguments, timeout: .seconds(10))
                try await Task.sleep(for: .milliseconds(100))
            }
            let elapsed = Date().timeIntervalSince(start)
            #expect(elapsed < 2.5, "100 resizes took \(elapsed) s")
            let lines = try await tmux.waitFor("the full layout at 100x30") { lines in
                lines.count == 30 && lines[0].hasPrefix(" newsdesk") && lines[29].contains("q quit")
                    && lines[1..<29].allSatisfy { $0.firstMatch(of: rowPattern) != nil }
            }
            #expect(lines.allSatisfy { $0.count <= 100 })
            #expect(try await tmux.childPID() != nil, "newsdesk is still running")
            try await tmux.keys("q")
            try await tmux.checkRestored()
        }
    }

    /// Under `make sanitize` the sanitizer's own crash handling takes over.
    static let sanitized = ProcessInfo.processInfo.environment["NEWSDESK_SANITIZED"] != nil

    @Test("a crash restores the terminal before the backtrace is printed", .disabled(if: sanitized, "the sanitizer handles crashes itself"))
    func crash() async throws {
        try await withTmux(columns: 100, rows: 30) { tmux in
            try await tmux.type("S=$(stty -g); clear; NEWSDESK_TEST_CRASH=after-first-frame \(newsdeskBinary) --seed 1")
            try await tmux.keys("Enter")
            // The backtrace is on the main screen (had the terminal been restored after it,
            // it would have gone with the alternate screen).
            _ = try await tmux.waitFor("the end of the crash report on the main screen") { lines in
                lines.contains { $0.contains("Backtrace took") }
            }
            #expect(try await tmux.alternateScreen() == false)
            let history = try await tmux.tmux("capture-pane", "-p", "-S", "-", "-t", tmux.target)
            #expect(history.contains("crashing on purpose (NEWSDESK_TEST_CRASH)"))
            #expect(history.contains("Program crashed"))
            // Swift's backtracer may wait for a key on a terminal; any key lets it finish.
            try await tmux.keys("q")
            try await tmux.checkRestored()
        }
    }

    /// Titles that try to take over the terminal, one per row.
    static let hostileTitles = [
        "CSI \u{1B}[31mRED\u{1B}[0m and \u{1B}[42mGREEN BG",
        "cursor \u{1B}[2J\u{1B}[H\u{1B}[10;10Hmoved",
        "OSC 0 \u{1B}]0;PWNED-TITLE\u{07}title",
        "OSC 52 \u{1B}]52;c;cHduZWQ=\u{07}clipboard",
        "OSC 8 \u{1B}]8;;http://evil.example\u{1B}\\link\u{1B}]8;;\u{1B}\\",
        "bell \u{07}\u{07}\u{07} ring",
        "C1 \u{9B}31m csi \u{9D}0;x\u{9C} osc \u{85} nel",
        "bidi \u{202E}desrever\u{202C} end",
        "zero a\u{200B}b\u{200D}c\u{FEFF}d width",
        "DCS \u{1B}P+q544e\u{1B}\\ query",
        "tab\tand\rreturn\nnewline",
        "long cluster e" + String(repeating: "\u{0301}", count: 400) + " end",
        "huge " + String(repeating: "x", count: 100_000),
    ]

    @Test("hostile titles render as visible, harmless text: pane title, clipboard, colours, cursor and layout intact")
    func hostileTitles() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        func recording(_ name: String, _ titles: [String]) throws -> String {
            let path = dir.appendingPathComponent(name).path
            let writer = try RecordingWriter(path: path, header: RecordingHeader(started: Timestamp(milliseconds: 0), sources: ["tech"]))
            try writer.write(titles.enumerated().map { i, title in
                Arrival(offset: Int64(i) * 10, headline: Headline(id: "h\(i)", source: "tech", title: title, published: Timestamp(milliseconds: Int64(i) * 10)))
            })
            try writer.close()
            return path
        }
        let benign = try recording("benign.jsonl", Self.hostileTitles.indices.map { "plain headline number \($0)" })
        let hostile = try recording("hostile.jsonl", Self.hostileTitles)
        // And a line of invalid UTF-8: skipped and counted.
        let handle = try #require(FileHandle(forWritingAtPath: hostile))
        handle.seekToEndOfFile()
        handle.write(Data([0x7B, 0x22, 0x6F, 0x66, 0x66, 0x73, 0x65, 0x74, 0x22, 0x3A, 0x39, 0x39, 0x39, 0x2C, 0x22, 0x73, 0x6F, 0x75, 0x72,
                           0x63, 0x65, 0x22, 0x3A, 0x22, 0x74, 0x22, 0x2C, 0x22, 0x74, 0x69, 0x74, 0x6C, 0x65, 0x22, 0x3A, 0x22, 0xFF, 0xFE,
                           0x22, 0x7D, 0x0A]))
        try handle.close()

        var cursors: [String] = []
        for (file, isHostile) in [(benign, false), (hostile, true)] {
            try await withTmux(columns: 100, rows: 24) { tmux in
                try await tmux.tmux("set-option", "-s", "set-clipboard", "on")
                try await tmux.tmux("select-pane", "-t", tmux.target, "-T", "original-title")
                try await tmux.type("S=$(stty -g); clear; NO_COLOR=1 \(newsdeskBinary) replay \(file) --speed max")
                try await tmux.keys("Enter")
                let lines = try await tmux.waitFor("every title shown, the replay at its end") { lines in
                    lines.count == 24 && lines.filter { $0.firstMatch(of: rowPattern) != nil }.count == Self.hostileTitles.count
                        && lines.last?.contains("100%") == true
                }
                let info = try await tmux.tmux("display-message", "-p", "-t", tmux.target, "#{pane_title}|#{cursor_x},#{cursor_y}")
                    .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map(String.init)
                #expect(info.first == "original-title", "the pane title changed")
                cursors.append(info.last ?? "")
                let buffers = try await tmux.tmux("list-buffers")
                #expect(buffers.isEmpty, "a paste buffer was set: \(buffers)")
                // No colour at all under NO_COLOR (39/49 are tmux resetting to the defaults):
                // none came from the titles.
                let styled = try await tmux.tmux("capture-pane", "-p", "-e", "-t", tmux.target)
                for sgr in styled.matches(of: #/\x1B\[([0-9;]*)m/#) {
                    let codes = sgr.output.1.split(separator: ";").compactMap { Int($0) }
                    #expect(!codes.contains { ((30...49).contains($0) && $0 != 39 && $0 != 49) || (90...107).contains($0) }, "a colour reached the pane: \(sgr.output.0.debugDescription)")
                }
                // The layout: header on top, the status line at the bottom, one row per title
                // starting with its age and source, none longer than the pane.
                #expect(lines[0].hasPrefix(" newsdesk"))
                #expect(lines.allSatisfy { $0.count <= 100 })
                if isHostile {
                    #expect(lines.last?.contains("1 bad line skipped") == true, "\(lines.last ?? "")")
                    let text = lines.joined(separator: "\n")
                    for visible in ["␛[31mRED", "␛]0;PWNED-TITLE␇", "␛]52;c;", "␇␇␇", "bidi", "moved", "huge xxxx"] {
                        #expect(text.contains(visible), "\(visible) is not shown as text")
                    }
                }
                try await tmux.keys("q")
                try await tmux.checkRestored()
            }
        }
        #expect(cursors.count == 2 && cursors[0] == cursors[1], "the cursor ended elsewhere: \(cursors)")
    }
}
