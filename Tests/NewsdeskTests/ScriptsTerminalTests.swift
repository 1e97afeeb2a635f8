import Foundation
import NewsCore
import Testing

/// Titles in many scripts in the view, in tmux: every row shows the text the terminal
/// shows for the raw title, cut at the edge (issue 15).
@Suite("Titles in every script, in a real terminal (tmux)", .serialized, .timeLimit(.minutes(3)))
struct ScriptsTerminalTests {
    static let titles = [
        "हिन्दी समाचार: दिल्ली में बारिश से यातायात ठप, स्कूल बंद",  // Devanagari: spacing vowel signs, viramas
        "தமிழ் செய்தி: சென்னையில் கனமழை தொடர்கிறது",  // Tamil
        "বাংলা সংবাদ: ঢাকায় নতুন মেট্রো লাইন চালু হলো",  // Bengali
        "ข่าวไทย: กรุงเทพฯ น้ำท่วมหนักในรอบสิบปี",  // Thai: tone marks above, sara am
        "أخبار: افتتاح مَعْرِض الكِتَاب في القاهرة",  // Arabic with harakat
        "חדשות: הכנסת מאשרת את התקציב, שָׁלוֹם",  // Hebrew with niqqud
        "東京と大阪で記録的な大雪、交通機関に乱れ続く見通し",  // CJK, all wide
        "서울 증시 급등, 반도체 수출 호조에 외국인 매수",  // Hangul
        "Zu\u{308}rich cafe\u{301}: n\u{303}a\u{310} o\u{328}\u{303} e\u{332}\u{301} combining marks",  // decomposed Latin
        "Flags 🇯🇵🇫🇷🇺🇸🇧🇷 at the summit of leaders",  // regional indicator pairs
        "Skin tones 👍🏽👋🏿🙋🏻 win the vote",  // emoji modifiers
        "Family 👨‍👩‍👧‍👦 and coder 👩‍💻 join",  // ZWJ sequences
        "Keycaps 1️⃣2️⃣#️⃣ countdown begins",  // keycaps: digit, VS16, U+20E3
        "Hearts ❤️ and ❤︎ VS16 VS15, sun ☀️ ☀︎",  // presentation selectors
        "Mixed हि🇯🇵👍🏽1️⃣❤️東京 end of the line",
        "Marks a\u{301}\u{302}\u{303}\u{304} four, e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306} six: two dropped",
        "Unassigned \u{378} and too new 🫨 for this glibc",  // shown as U+FFFD
    ]

    /// The title as the view sends it to the terminal, cell by cell (see TextWidth):
    /// without zero-width joiners (tmux would put a wide character after one into the
    /// joiner's cell), at most four marks to a cell, U+FFFD for what glibc cannot print.
    static func sent(_ title: String) -> String {
        var text = ""
        var marks = 0
        for scalar in title.unicodeScalars {
            if scalar.value == 0x200D { continue }
            if TextWidth.wcwidth(scalar.value) < 0 {
                text.unicodeScalars.append("\u{FFFD}")
                marks = 0
            } else if TextWidth.cellWidth(scalar.value) == 0 {
                marks += 1
                if marks <= 4 { text.unicodeScalars.append(scalar) }
            } else {
                text.unicodeScalars.append(scalar)
                marks = 0
            }
        }
        return text
    }

    /// The title cut to `width` columns as the row shows it: whole if it fits, else whole
    /// cells up to one column less and "…".
    static func cut(_ text: String, to width: Int) -> String {
        if TextWidth.columns(text) <= width { return text }
        let prefix = TextWidth.prefix(of: text[...], fitting: width - 1)
        return String(text[..<prefix.end]) + "…"
    }

    static func recording(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("scripts.jsonl").path
        let writer = try RecordingWriter(path: path, header: RecordingHeader(started: Timestamp(milliseconds: 0), sources: ["tech"]))
        try writer.write(titles.enumerated().map { i, title in
            Arrival(offset: Int64(i) * 10, headline: Headline(id: "h\(i)", source: "tech", title: title, published: Timestamp(milliseconds: Int64(i) * 10)))
        })
        try writer.close()
        return path
    }

    @Test("the terminal measures every title as the width model does (each printed raw, its cursor column asked with CSI 6n)")
    func terminalAgreesWithModel() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Each title as sent, then the family raw (with its joiners), each followed by the
        // column the cursor is at (the terminal's answer to CSI 6n, not echoed).
        let probes = Self.titles.map(Self.sent) + ["👨‍👩‍👧‍👦", "👩‍💻"]
        try probes.joined(separator: "\n").appending("\n").write(to: dir.appendingPathComponent("titles.txt"), atomically: true, encoding: .utf8)
        let script = dir.appendingPathComponent("measure.sh").path
        try """
            stty -echo; while IFS= read -r t <&3; do printf '%s' "$t"; printf '\\033[6n'; IFS='[;' read -rs -d R _ _ col; printf ' @%s\\n' "$col"; done 3< \(dir.path)/titles.txt; stty echo; echo MEASURED
            """.write(toFile: script, atomically: true, encoding: .utf8)
        try await withTmux(columns: 200, rows: probes.count + 4) { tmux in
            try await tmux.type("clear; bash \(script)")
            try await tmux.keys("Enter")
            let lines = try await tmux.waitSlowly("every title measured") { $0.contains("MEASURED") }
            let measured = lines.filter { $0.firstMatch(of: #/ @\d+$/#) != nil }
            try #require(measured.count == probes.count, "\(lines)")
            for (probe, line) in zip(probes, measured) {
                let match = try #require(line.firstMatch(of: #/^(.*) @(\d+)$/#))
                let shown = String(match.output.1), column = Int(match.output.2)! - 1
                if probe.unicodeScalars.contains(where: { $0.value == 0x200D }) {
                    // Why the view does not send joiners: tmux joins what follows into one
                    // cell, narrower than wcwidth (and so ncurses) counts it.
                    let wcwidth = probe.unicodeScalars.reduce(0) { $0 + max(0, TextWidth.wcwidth($1.value)) }
                    #expect(column < wcwidth, "tmux now measures \(probe) as wcwidth does (\(column)): joiners could be sent")
                    continue
                }
                #expect(shown == probe, "the terminal shows the raw title otherwise")
                #expect(column == TextWidth.columns(probe), "\(probe): the terminal takes \(column) columns, the model \(TextWidth.columns(probe))")
            }
        }
    }

    @Test("every row is the title as the terminal shows it raw, cut at the edge, at 80, 47 and 33 columns (resized); a filter's highlight changes nothing of it")
    func rows() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.recording(in: dir)
        let rowsPattern = #/^ *(now|\d+[smhd]) (Tech|Tec) /#
        func listed(_ lines: [String]) -> [String] { lines.filter { $0.firstMatch(of: rowsPattern) != nil } }
        try await withTmux(columns: 80, rows: Self.titles.count + 5) { tmux in
            try await tmux.type("clear; NO_COLOR=1 \(newsdeskBinary) replay \(file) --speed max")
            try await tmux.keys("Enter")
            var expectedRows: [Int: [String: String]] = [:]
            /// The rows the view should show at `columns`: each title cut after its row's age and source.
            func expected(_ lines: [String], _ columns: Int) -> [String] {
                zip(listed(lines), Self.titles.reversed()).map { row, title in  // newest first
                    let prefix = String(row.firstMatch(of: rowsPattern)!.output.0)
                    return prefix + Self.cut(Self.sent(title), to: columns - prefix.count)
                }
            }
            for columns in [80, 47, 33] {
                if columns != 80 { try await tmux.resize(columns: columns, rows: Self.titles.count + 5) }
                // Until the view has drawn at this width (right after a resize tmux shows the
                // old rows clipped), then every row as expected.
                let lines = try await tmux.waitSlowly("every title listed as expected at \(columns) columns, the replay at its end") { lines in
                    listed(lines).count == Self.titles.count && lines.last?.contains("100%") == true
                        && listed(lines) == expected(lines, columns)
                }
                #expect(lines.allSatisfy { TextWidth.columns($0) <= columns })
                for (row, title) in zip(listed(lines), Self.titles.reversed()) { expectedRows[columns, default: [:]][title] = row }
            }
            // Filtering for हि highlights it in two rows (bold and underlined): same text.
            try await tmux.type("/हि")
            try await tmux.keys("Enter")
            let filtered = try await tmux.waitSlowly("two rows match") { listed($0).count == 2 }
            #expect(listed(filtered) == [Self.titles[14], Self.titles[0]].compactMap { expectedRows[33]?[$0] })
            try await tmux.resize(columns: 80, rows: Self.titles.count + 5)
            let wide = try await tmux.waitSlowly("two rows at 80 columns") { listed($0).count == 2 && listed($0)[0].contains("the line") }
            #expect(listed(wide) == [Self.titles[14], Self.titles[0]].compactMap { expectedRows[80]?[$0] })
            try await tmux.keys("q")
        }
    }

    @Test("the detail view wraps a Hindi, a Thai and an emoji title at cell boundaries, within the page")
    func detailWraps() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.recording(in: dir)
        let columns = 30
        try await withTmux(columns: columns, rows: 24) { tmux in
            try await tmux.type("clear; NO_COLOR=1 \(newsdeskBinary) replay \(file) --speed max")
            try await tmux.keys("Enter")
            try await tmux.waitSlowly("the replay at its end") { $0.last?.contains("100%") == true }
            // The list is newest first: g goes to the oldest (the Hindi title) at the bottom,
            // k moves up to newer ones; G goes to the newest, then j j down to the Mixed title.
            for (moves, index) in [("g", 0), ("k k k", 3), ("G", Self.titles.count - 3)] {
                for key in moves.split(separator: " ") { try await tmux.keys(String(key)) }
                if moves == "G" { try await tmux.keys("j", "j") }
                try await tmux.keys("Enter")
                let lines = try await tmux.waitSlowly("the detail view") { $0.first?.contains("Headline") == true && $0.contains { $0.contains("Source") } }
                let titleLines = Array(lines[2..<(lines[2...].firstIndex { $0.isEmpty } ?? 2)])
                let expected = Self.sent(Self.titles[index])
                #expect(titleLines.map { $0.dropFirst(2) }.joined(separator: " ") == expected, "\(titleLines)")
                for line in titleLines {
                    #expect(line.hasPrefix("  "))
                    #expect(TextWidth.columns(line) <= columns - 2, "\(line)")
                }
                #expect(titleLines.count > 1, "a title this long wraps at \(columns) columns")
                try await tmux.keys("Escape")
                try await tmux.waitSlowly("the list again") { $0.last?.contains("100%") == true }
            }
            try await tmux.keys("q")
        }
    }
}

extension Tmux {
    /// ``waitFor(_:timeout:sourceLocation:_:)``, polling every 150 ms: each look is a tmux
    /// process, and this suite runs beside others that need the machine's two cores.
    @discardableResult
    func waitSlowly(_ what: String, timeout: Double = 20, sourceLocation: SourceLocation = #_sourceLocation,
                    _ condition: ([String]) -> Bool) async throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var lines: [String] = []
        while Date() < deadline {
            lines = try await screen()
            if condition(lines) { return lines }
            try await Task.sleep(for: .milliseconds(150))
        }
        Issue.record("timed out waiting for \(what); screen:\n\(lines.joined(separator: "\n"))", sourceLocation: sourceLocation)
        throw CancellationError()
    }
}
