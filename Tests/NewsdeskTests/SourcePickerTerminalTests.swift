import Foundation
import NewsCore
import Testing

/// Issue 10, point 6, in the real binary: a replay of a recording with twelve sources (and
/// one more that its list does not name), the source picker, a toggle.
@Suite("The source picker in a real terminal (tmux)", .serialized, .timeLimit(.minutes(2)))
struct SourcePickerTerminalTests {
    static let names = ["hn", "lwn", "ars-technica", "bbc", "bbc-world", "guardian", "reuters", "nyt", "the-verge", "wired", "kernel-news", "phoronix"]

    /// Twelve listed sources with five headlines each, and "stray" (not listed) with two.
    static func writeRecording(in dir: URL) throws -> String {
        var lines = [#"{"format":"newsdesk-recording","version":1,"started":"2026-01-01T09:00:00.000Z","sources":["# + names.map { "\"\($0)\"" }.joined(separator: ",") + "]}"]
        var offset = 0
        for round in 0..<5 {
            for name in names + (round < 2 ? ["stray"] : []) {
                offset += 100
                lines.append(#"{"offset":\#(offset),"source":"\#(name)","title":"Story \#(round) from \#(name)"}"#)
            }
        }
        let file = dir.appendingPathComponent("twelve.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The header says `count` of the 62 headlines are shown.
    static func shows(_ count: Int, _ lines: [String]) -> Bool {
        lines.first.map { $0.contains(" \(count) of 62 shown ") || $0.contains(" \(count)/62 ") } == true
    }

    @Test("S lists every source in the recording's order (the unlisted one last), Space hides one, the list and header follow")
    func pickerInReplay() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.writeRecording(in: dir)
        try await withTmux(columns: 100, rows: 30) { tmux in
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) replay \(file) --speed max")
            try await tmux.keys("Enter")
            try await tmux.waitFor("the whole replay") { Self.shows(62, $0) && $0.last?.contains("■") == true }
            try await tmux.type("S")
            let picker = try await tmux.waitFor("the source picker") { $0.first?.hasPrefix(" Sources") == true }
            #expect(picker[0].contains("13 of 13 shown"), "\(picker[0])")
            let rows = Array(picker[1...13])
            for (i, name) in (Self.names + ["stray"]).enumerated() {
                let key = i < 9 ? String(i + 1) : " "
                #expect(rows[i].hasPrefix(" \(key) [x] \(name) "), "row \(i): \(rows[i])")
                #expect(rows[i].hasSuffix(name == "stray" ? " 2" : " 5"), "row \(i): \(rows[i])")
            }
            #expect(picker[14].trimmingCharacters(in: .whitespaces).isEmpty)
            #expect(picker.last?.contains("Space show/hide") == true)
            // The third one: hidden.
            try await tmux.type("jj ")
            let toggled = try await tmux.waitFor("ars-technica hidden") { $0.count > 3 && $0[3].hasPrefix(" 3 [ ] ars-technica ") }
            #expect(toggled[3].contains("hidden") && toggled[0].contains("12 of 13 shown"), "\(toggled[3])")
            #expect(toggled[4].hasPrefix(" 4 [x] bbc "))
            // The unlisted one toggles in the picker too; then back to the list.
            try await tmux.keys("End")
            try await tmux.type(" ")
            try await tmux.waitFor("stray hidden") { $0.count > 13 && $0[13].hasPrefix("   [ ] stray ") }
            try await tmux.keys("Escape")
            let list = try await tmux.waitFor("the list without them") { Self.shows(55, $0) }
            #expect(!list.contains { $0.contains("from ars-technica") || $0.contains("from stray") }, "\(list.joined(separator: "\n"))")
            #expect(list.contains { $0.contains("from bbc-world") } && list.contains { $0.contains("from bbc ") || $0.hasSuffix("from bbc") })
            // Key 3 shows it again, from the list.
            try await tmux.type("3")
            try await tmux.waitFor("ars-technica shown again") { Self.shows(60, $0) }
            try await tmux.type("q")
            try await tmux.checkRestored()
        }
    }
}
