import Foundation
import NewsCore
@testable import NewsUI
import Testing

/// Titles in every script laid out in cells as ncurses and the terminal have them (issue 15).
@Suite("Cells for every script")
struct ScriptCellsTests {
    /// The cells `text` takes written at column 0 of a wide row: each cell's text, "²" after a
    /// wide one; and the zero-width code points dropped.
    static func cells(_ text: String) -> (cells: [String], dropped: Int) {
        var grid = CellGrid(columns: 200, rows: 1)
        let end = grid.write(text, row: 0, column: 0)
        var cells: [String] = []
        var column = 0
        while column < end {
            let cell = grid[0, column]
            cells.append(cell.text + (cell.width == 2 ? "²" : ""))
            if cell.width == 2 { #expect(grid[0, column + 1].width == 0, "a wide cell's continuation") }
            column += max(1, Int(cell.width))
        }
        #expect(end == TextWidth.columns(text), "the grid and TextWidth agree on \(text)")
        return (cells, grid.droppedScalars)
    }

    @Test("one cell per code point of width 1 or 2, zero-width ones with the cell before", arguments: [
        ("हिन्दी", ["ह", "ि", "न्", "द", "ी"], 0),  // the vowel signs are spacing: cells of their own
        ("தமிழ்", ["த", "ம", "ி", "ழ்"], 0),
        ("ข่าว", ["ข่", "า", "ว"], 0),
        ("🇯🇵🇫🇷", ["🇯", "🇵", "🇫", "🇷"], 0),
        ("👍🏽", ["👍²", "🏽²"], 0),
        ("1️⃣#", ["1\u{FE0F}\u{20E3}", "#"], 0),
        ("❤️x", ["❤\u{FE0F}", "x"], 0),  // no blank after it: wcwidth makes it one column
        ("❤︎x", ["❤\u{FE0E}", "x"], 0),
        ("e\u{301}", ["e\u{301}"], 0),
        ("\u{1112}\u{1161}\u{11AB}", ["\u{1112}\u{1161}\u{11AB}²"], 0),  // conjoining jamo: one wide cell
        ("東京", ["東²", "京²"], 0),
    ])
    func layout(text: String, expected: [String], dropped: Int) {
        let result = Self.cells(text)
        #expect(result.cells == expected)
        #expect(result.dropped == dropped)
    }

    @Test("a ZWJ sequence shows its parts side by side, the joiners counted as dropped")
    func joiners() {
        let family = Self.cells("👨‍👩‍👧‍👦!")
        #expect(family.cells == ["👨²", "👩²", "👧²", "👦²", "!"])
        #expect(family.dropped == 3)
        #expect(Self.cells("👩‍💻").cells == ["👩²", "💻²"])
    }

    @Test("more than four marks: four shown, the rest counted; a mark with no base on ◌; unprintable as U+FFFD")
    func edges() {
        let marks = "\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}"
        let many = Self.cells("a" + marks + "b")
        #expect(many.cells == ["a\u{301}\u{302}\u{303}\u{304}", "b"])
        #expect(many.dropped == 2)
        #expect(Self.cells("\u{301}a").cells == ["◌\u{301}", "a"])
        #expect(Self.cells("x\u{378}y").cells == ["x", "\u{FFFD}", "y"])
        // A control character's placeholder takes the marks that follow it.
        #expect(Self.cells("\u{1B}\u{301}").cells == ["␛\u{301}"])
        // No cell ever holds more than the character and four marks, nor a joiner.
        var grid = CellGrid(columns: 40, rows: 1)
        grid.write("e" + String(repeating: "\u{301}", count: 400) + " 👨‍👩‍👧", row: 0, column: 0)
        for cell in grid.cells {
            #expect(cell.marks.count <= TextWidth.maxMarks)
            #expect(!cell.marks.contains { $0.value == 0x200D })
        }
        // 396 marks dropped from the e (a cell counts up to 255), the family's two joiners.
        #expect(grid.droppedScalars == 255 + 2)
    }

    static let titles = [
        "हिन्दी समाचार: दिल्ली में बारिश से यातायात ठप",
        "தமிழ் செய்தி: சென்னையில் கனமழை",
        "বাংলা সংবাদ: ঢাকায় নতুন মেট্রো",
        "ข่าวไทย: กรุงเทพฯ น้ำท่วมหนัก",
        "أخبار: افتتاح مَعْرِض الكِتَاب",
        "חדשות: שָׁלוֹם הכנסת",
        "東京と大阪で記録的な大雪、交通機関に乱れ",
        "서울 증시 급등, 반도체 수출 호조",
        "Zu\u{308}rich cafe\u{301} n\u{303}a\u{310}",
        "Flags 🇯🇵🇫🇷🇺🇸 and 👍🏽👋🏿 and 👨‍👩‍👧‍👦 and 1️⃣❤️☀︎ end",
        "a東b京c🚀d",
    ]

    @Test("cut at every width: never wider than the limit, whole cells, the same cells as uncut, then …")
    func truncation() {
        for title in Self.titles {
            var full = CellGrid(columns: 200, rows: 1)
            let fullWidth = full.write(title, row: 0, column: 0, style: Style(reverse: true))
            for limit in 1...(fullWidth + 2) {
                var grid = CellGrid(columns: 200, rows: 1)
                grid.fill(row: 0, style: Style(reverse: true))
                let end = Renderer.writeClipped(title, row: 0, column: 0, limit: limit, style: Style(reverse: true), into: &grid)
                #expect(end <= limit, "\(title) at \(limit)")
                for column in 0..<end where grid[0, column].width == 2 {
                    #expect(column + 1 < end && grid[0, column + 1].width == 0)
                }
                if fullWidth <= limit {
                    #expect(end == fullWidth)
                    #expect((0..<end).allSatisfy { grid[0, $0] == full[0, $0] })
                    continue
                }
                // Cut: the cells before the ellipsis are those of the whole title; the
                // ellipsis is in the last column, or the one before when a wide cell did not fit.
                let ellipsis = end - 1
                #expect(grid[0, ellipsis].scalar == "…")
                #expect((0..<ellipsis).allSatisfy { grid[0, $0] == full[0, $0] }, "\(title) at \(limit)")
                #expect(ellipsis == limit - 1 || (ellipsis == limit - 2 && full[0, ellipsis].width == 2), "\(title) at \(limit)")
                // Nothing past the end was touched.
                #expect((end..<200).allSatisfy { grid[0, $0] == Cell(" ", style: Style(reverse: true)) })
            }
        }
    }

    @Test("a highlighted match takes the whole cluster: the consonant with its vowel sign, the letter with its marks")
    func highlights() {
        let mark = Style(bold: true)
        var grid = CellGrid(columns: 40, rows: 1)
        // Only ह (bytes 0..<3) matched: its vowel sign's cell is highlighted with it.
        grid.write("हिन्दी", row: 0, column: 0, styleAt: { (0..<3).contains($0) ? mark : nil })
        #expect((0..<5).map { grid[0, $0].style == mark } == [true, true, false, false, false])
        // A match ending inside a decomposed é.
        grid.write("cafe\u{301}s", row: 0, column: 0, styleAt: { (3..<4).contains($0) ? mark : nil })
        #expect((0..<5).map { grid[0, $0].style == mark } == [false, false, false, true, false])
        #expect(grid[0, 3].text == "e\u{301}")
    }

    @Test("the list highlights a filter's matches in Devanagari and flags without parting cells from their cluster")
    func listHighlights() throws {
        var state = makeState(count: 2, columns: 60, rows: 6, color: false) { ["हिन्दी समाचार", "Flags 🇯🇵🇫🇷 here"][$0] }
        state.apply(.key(.char("/")))
        state.type("हि")
        state.apply(.key(.enter))
        let grid = Renderer.render(state)
        let row = 1 + (state.listedTitles.firstIndex(of: "हिन्दी समाचार") ?? 0)
        let start = try #require((0..<60).first { grid[row, $0].scalar == "ह" })
        let styles = (start..<(start + 5)).map { grid[row, $0].style.underline }
        #expect(styles == [true, true, false, false, false])
        #expect(grid.text.split(separator: "\n")[row].contains("हिन्दी समाचार"))
    }

    @Test("the detail view wraps at cell boundaries: every line fits, nothing lost but joiners at a break")
    func wrap() {
        for title in Self.titles {
            for width in 2...30 {
                let lines = Renderer.wrap(title, width: width)
                for line in lines {
                    let columns = TextWidth.columns(line)
                    #expect(columns <= width, "\(title) at \(width): \(line)")
                    #expect(!line.contains("⟨U+"), "a joiner cut from its neighbours became a placeholder")
                }
                // The same cells, in order (spaces between words aside).
                func visible(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value).filter { $0 != 0x20 && $0 != 0x200D } }
                #expect(visible(lines.joined()) == visible(title), "\(title) at \(width)")
            }
        }
        #expect(Renderer.wrap("हिन्दी समाचार", width: 6) == ["हिन्दी", "समाचार"])
        #expect(Renderer.wrap("हिन्दी", width: 3) == ["हिन्", "दी"])
    }

    @Test("a cell agrees with a C library that sizes it as the table does, and not with one that does not (another glibc)")
    func agreement() {
        var grid = CellGrid(columns: 10, rows: 1)
        grid.write("東e\u{301}🫨", row: 0, column: 0)
        let table: (UInt32) -> Int = { TextWidth.wcwidth($0) }
        #expect([grid[0, 0], grid[0, 2], grid[0, 3]].allSatisfy { $0.agrees(with: table) })
        #expect(grid[0, 3].scalar == "\u{FFFD}")  // 🫨 is unknown to glibc 2.36
        // A library where U+6771 is narrow, U+0301 spacing, or U+FFFD wide.
        #expect(!grid[0, 0].agrees(with: { $0 == 0x6771 ? 1 : table($0) }))
        #expect(!grid[0, 2].agrees(with: { $0 == 0x301 ? 1 : table($0) }))
        #expect(!grid[0, 3].agrees(with: { $0 == 0xFFFD ? 2 : table($0) }))
    }

    @Test("typing a vowel sign after its consonant in the filter joins them: the cursor stays in the text (it crashed)")
    func editorJoins() {
        var state = makeState(count: 2, columns: 40, rows: 6)
        state.apply(.key(.char("/")))
        state.apply(.key(.char("ह")), .key(.char("ि")))
        #expect(state.editor?.text == "हि")
        #expect(state.editor?.cursor == 1)
        let grid = Renderer.render(state)
        #expect(grid.text.split(separator: "\n").last?.hasPrefix("/हि") == true)
        #expect(grid.cursor?.column == 3)
        state.apply(.key(.char("🇯")), .key(.char("🇵")), .key(.left), .key(.char("x")))
        #expect(state.editor?.text == "हिx🇯🇵")
        _ = Renderer.render(state)
    }
}
