import Foundation
import NewsCore
import Testing

@Suite("Formatting and safety")
struct FormattingTests {
    static let relativeCases: [(Int64, String)] = [
        (0, "now"), (999, "now"), (-3000, "now"), (1000, "1s"), (8_400, "8s"), (59_999, "59s"), (60_000, "1m"),
        (239_000, "3m"), (3_600_000, "1h"), (7_200_005, "2h"), (86_399_999, "23h"), (259_200_000, "3d"),
    ]

    @Test("relative times", arguments: relativeCases)
    func relative(ms: Int64, expected: String) {
        let now = Timestamp(milliseconds: 1_000_000_000_000)
        #expect(RelativeTime.format(from: Timestamp(milliseconds: now.milliseconds - ms), to: now) == expected)
    }

    @Test("ISO times in UTC with milliseconds")
    func iso() {
        #expect(ISOTime.format(Timestamp(milliseconds: 1_767_225_600_123)) == "2026-01-01T00:00:00.123Z")
        #expect(ISOTime.format(Timestamp(milliseconds: -1)) == "1969-12-31T23:59:59.999Z")
    }

    @Test("control characters become visible placeholders; safe text is returned as is")
    func terminalSafe() {
        #expect(TerminalSafe.sanitize("plain title") == "plain title")
        #expect(TerminalSafe.sanitize("evil\u{1B}[2Jtitle\u{07}") == "evil␛[2Jtitle␇")
        #expect(TerminalSafe.sanitize("tab\there\nnew\rline\u{7F}") == "tab␉here␊new␍line␡")
        #expect(TerminalSafe.sanitize("c1 \u{9B}31m \u{85}") == "c1 \u{FFFD}31m \u{FFFD}")
        #expect(TerminalSafe.sanitize("bidi \u{202E}gnp.exe") == "bidi ⟨U+202E⟩gnp.exe")
        #expect(TerminalSafe.sanitize("sep\u{2028}x") == "sep␤x")
        // Non-control characters that share lead bytes pass untouched.
        #expect(TerminalSafe.sanitize("Zürich — “quoted” €5 ‘x’ 東京 🚀") == "Zürich — “quoted” €5 ‘x’ 東京 🚀")
        // Every scalar from U+0000 to U+00FF is either safe or replaced: never a raw control.
        for v in 0..<0x100 {
            let s = TerminalSafe.sanitize(String(Unicode.Scalar(UInt8(v))))
            #expect(s.unicodeScalars.allSatisfy { $0.value >= 0x20 && !($0.value >= 0x7F && $0.value <= 0x9F) })
        }
    }

    @Test("case folding keeps byte offsets")
    func folding() {
        for text in ["Zürich", "ÀÉÎÕÜ", "ΑΘΉΝΑ Σ", "МОСКВА", "İstanbul", "K\u{212A}", "東京 🚀", "Straße ẞ", "ＡＢＣ"] {
            #expect(CaseFolding.fold(text).count == text.utf8.count, "\(text)")
        }
        #expect(CaseFolding.foldedString("ZÜRICH Αθήνα МОСКВА ＡＢＣ") == "zürich αθήνα москва ａｂｃ")
        #expect(CaseFolding.foldedString("İ") == "İ")  // would change length: left alone on both sides
    }

    @Test("display widths")
    func widths() {
        #expect(TextWidth.columns("東京 — 🚀 launch") == 16)
        #expect(TextWidth.columns("e\u{301}") == 1)
        #expect(TextWidth.columns("👩‍💻") == 4)  // its parts side by side: the joiner is not shown (see TextWidth)
        #expect(TextWidth.columns("abc") == 3)
    }

    @Test("plain lines in the seed's format, with local time, sanitized titles, no colour unless asked")
    func plainLines() throws {
        setenv("TZ", "UTC", 1)
        tzset()
        var formatter = PlainFormatter()
        let h = Headline(id: "1", source: "tech", title: "Chip \u{1B}]0;pwned\u{07} ships", published: Timestamp(milliseconds: 1_767_225_600_000 + 3_723_000))
        #expect(formatter.line(for: h) == "[01:02:03] Tech: Chip ␛]0;pwned␇ ships")
        var colored = PlainFormatter(color: true)
        #expect(colored.line(for: h) == "[01:02:03] \u{1B}[36mTech\u{1B}[0m: Chip ␛]0;pwned␇ ships")
        var clock = LocalClockFormatter()
        #expect(clock.format(Timestamp(milliseconds: -1000)) == "23:59:59")
    }
}
