import Foundation
@testable import NewsCore
import Testing

/// The C library's `wcwidth` (ncurses places every character by it), called through
/// `dlsym` (Swift's Glibc module does not declare it), under C.UTF-8 on this thread only.
enum LibcWidth {
    typealias Function = @convention(c) (wchar_t) -> Int32

    static let function: Function? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "wcwidth") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()

    /// Calls `body` with `wcwidth` while this thread's locale is C.UTF-8 (no other thread's
    /// locale changes); nil if there is no such locale or no `wcwidth`.
    static func withUTF8<T>(_ body: (Function) -> T) -> T? {
        guard let wcwidth = function, let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else { return nil }
        defer { freelocale(utf8) }
        let previous = uselocale(utf8)
        defer { uselocale(previous) }
        return body(wcwidth)
    }
}

@Suite("The width table is the C library's wcwidth")
struct WidthTableTests {
    @Test("every code point: the table gives what glibc's wcwidth gives under C.UTF-8")
    func everyCodePoint() async throws {
        // In slices of 4,096 code points, each under C.UTF-8 on the thread it runs on (a task
        // may move between threads at an await), yielding between them: 1.1 million calls
        // would otherwise hold one of the few test threads the other suites need.
        var found: [String] = []
        for start in stride(from: UInt32(0), to: 0x11_0000, by: 4096) {
            let slice = LibcWidth.withUTF8 { wcwidth -> [String] in
                var differences: [String] = []
                for v in start..<(start + 4096) where !(0xD800...0xDFFF).contains(v) {
                    let libc = Int(wcwidth(wchar_t(bitPattern: v)))
                    let table = TextWidth.wcwidth(v)
                    if libc != table { differences.append("U+\(String(v, radix: 16, uppercase: true)): glibc \(libc), table \(table)") }
                }
                return differences
            }
            found += try #require(slice, "no C.UTF-8 locale or no wcwidth here: the table cannot be checked")
            await Task.yield()
        }
        #expect(found.isEmpty, "the table (\(TextWidth.tableSource)) differs from this C library; run scripts/width-table.sh:\n\(found.prefix(20).joined(separator: "\n"))")
    }

    @Test("the causes in issue 15, checked against glibc: spacing vowel signs, regional indicators, VS16, ZWJ, skin tones")
    func issueFacts() throws {
        let facts: [(UInt32, Int)] = [
            (0x093F, 1), (0x0940, 1),  // Devanagari vowel signs I and II: spacing, a column each
            (0x0BBF, 1), (0x09BF, 1),  // Tamil and Bengali vowel signs I
            (0x094D, 0), (0x0BCD, 0),  // viramas: zero
            (0x1F1EF, 1), (0x1F1F5, 1),  // regional indicators J and P
            (0x2764, 1), (0xFE0F, 0), (0xFE0E, 0), (0x20E3, 0),  // heart, VS16, VS15, keycap
            (0x1F44D, 2), (0x1F3FD, 2), (0x200D, 0), (0x1F468, 2),  // thumbs up, skin tone, ZWJ, man
            (0x0E48, 0), (0x0E33, 1), (0x1160, 0), (0xAC00, 2), (0x0301, 0), (0x0378, -1),
        ]
        let libc = try #require(LibcWidth.withUTF8 { wcwidth in facts.map { Int(wcwidth(wchar_t(bitPattern: $0.0))) } })
        for ((v, expected), glibc) in zip(facts, libc) {
            #expect(glibc == expected, "glibc wcwidth(U+\(String(v, radix: 16)))")
            #expect(TextWidth.wcwidth(v) == expected, "table U+\(String(v, radix: 16))")
        }
    }

    @Test("below U+0300 every printable code point is one column (the fast path)")
    func fastPath() {
        for v in UInt32(0x20)..<0x300 where !(0x7F...0x9F).contains(v) {
            #expect(TextWidth.wcwidth(v) == 1, "U+\(String(v, radix: 16))")
            #expect(TextWidth.cellWidth(v) == 1)
        }
    }
}

@Suite("Text in cells: the one width model")
struct CellWidthTests {
    @Test("columns of titles in many scripts, code point by code point")
    func scripts() {
        // ह ि न ् द ी: the vowel signs take a column each, the virama none.
        #expect(TextWidth.columns("हिन्दी") == 5)
        #expect(TextWidth.columns("हिन्दी समाचार") == 12)
        #expect(TextWidth.columns("தமிழ்") == 4)  // த ம ி ழ ்
        #expect(TextWidth.columns("ภาษาไทย") == 7)
        #expect(TextWidth.columns("ข่าว") == 3)  // the tone mark joins ข
        #expect(TextWidth.columns("东京 한국어") == 11)
        #expect(TextWidth.columns("e\u{301}") == 1)
        #expect(TextWidth.columns("abc") == 3)
    }

    @Test("emoji: flags are two cells, skin tones their own cell, keycaps and VS15/VS16 join, ZWJ shows as its parts")
    func emoji() {
        #expect(TextWidth.columns("🇯🇵🇫🇷🇺🇸") == 6)
        #expect(TextWidth.columns("👍🏽") == 4)
        #expect(TextWidth.columns("1️⃣") == 1)
        #expect(TextWidth.columns("❤️") == 1)
        #expect(TextWidth.columns("❤︎") == 1)
        #expect(TextWidth.columns("👨‍👩‍👧‍👦") == 8)
        #expect(TextWidth.columns("👩‍💻") == 4)
        #expect(TextWidth.columns("東京 — 🚀 launch") == 16)
    }

    @Test("a mark with nothing before it takes a column (on ◌); an unprintable code point one (as U+FFFD); controls their placeholder")
    func edges() {
        #expect(TextWidth.columns("\u{301}a") == 2)
        #expect(TextWidth.columns("\u{378}") == 1)
        #expect(TextWidth.columns("a\u{1B}b") == 3)
        #expect(TextWidth.columns("pay\u{200B}pal") == 6 + 8)  // ⟨U+200B⟩
        #expect(TextWidth.columns("") == 0)
    }

    @Test("a prefix is cut between cells, marks kept with their cell")
    func prefix() {
        let text: Substring = "हिन्दी"
        let cut = TextWidth.prefix(of: text, fitting: 3)
        #expect(String(text[..<cut.end]) == "हिन्")  // ह ि न and the virama that joins न
        #expect(cut.columns == 3)
        let wide: Substring = "東京"
        #expect(TextWidth.prefix(of: wide, fitting: 3).columns == 2)
        #expect(TextWidth.prefix(of: wide, fitting: 1).end == wide.startIndex)
        let flag: Substring = "🇯🇵x"
        #expect(String(flag[..<TextWidth.prefix(of: flag, fitting: 1).end]) == "🇯")
    }

    @Test("the caret under a query problem counts columns as the terminal does")
    func caret() {
        let error = QueryError(message: "x", start: 3, length: 2)
        // हि and a space: three columns before the problem, two scalars of width 1 and 0 under it.
        #expect(error.pointing(into: "हि नु") == "  हि नु\n     ^")
        let control = QueryError(message: "x", start: 1, length: 1)
        #expect(control.pointing(into: "\u{1B}ab") == "  ␛ab\n   ^")
    }
}
