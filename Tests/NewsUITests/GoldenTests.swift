import Foundation
import NewsCore
import NewsUI
import Testing

/// Golden screens: the renderer's exact output for fixed states, stored as text files a
/// person can read (`Tests/NewsUITests/Golden/*.txt`): the screen, then one letter per
/// cell for its style, then what each letter means. Regenerate them deliberately with
/// `NEWSDESK_UPDATE_GOLDEN=1 swift test --filter GoldenTests`, and read the diff.
@Suite("Golden screens")
struct GoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func describe(_ grid: CellGrid) -> String {
        var letters: [Style: Character] = [:]
        var legend: [String] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var styleLines: [String] = []
        for row in 0..<grid.rows {
            var line = ""
            for column in 0..<grid.columns {
                let style = grid[row, column].style
                if letters[style] == nil {
                    let letter = alphabet[letters.count % alphabet.count]
                    letters[style] = letter
                    legend.append("\(letter) = \(style)")
                }
                line.append(letters[style]!)
            }
            styleLines.append(line)
        }
        let cursor = grid.cursor.map { "cursor at row \($0.row), column \($0.column)" } ?? "cursor hidden"
        return "\(grid.columns)x\(grid.rows), \(cursor)\n" + grid.text.split(separator: "\n", omittingEmptySubsequences: false).map { "|\($0)|" }.joined(separator: "\n")
            + "\n--- styles\n" + styleLines.joined(separator: "\n") + "\n--- legend\n" + legend.joined(separator: "\n") + "\n"
    }

    func check(_ name: String, _ state: AppState, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let actual = Self.describe(Renderer.render(state))
        let url = Self.folder.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["NEWSDESK_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if actual != expected {
            let lines = zip(actual.split(separator: "\n", omittingEmptySubsequences: false), expected.split(separator: "\n", omittingEmptySubsequences: false))
            let first = lines.enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("""
                \(name) differs from its golden file (NEWSDESK_UPDATE_GOLDEN=1 regenerates it)
                first difference, line \((first?.offset ?? 0) + 1):
                  actual:   \(first.map { String($0.element.0) } ?? "(length)")
                  expected: \(first.map { String($0.element.1) } ?? "(length)")
                """, sourceLocation: sourceLocation)
        }
    }

    /// A list with awkward titles: wide characters, emoji, combining accents, control
    /// characters and escape sequences, and long titles.
    static func awkwardState(columns: Int, rows: Int, color: Bool) -> AppState {
        setenv("TZ", "UTC", 1)
        tzset()
        let titles = [
            "Floods close schools across 東京 and 大阪 as rain continues",
            "Evil \u{1B}[2J\u{1B}]0;pwned\u{07} title with escapes",
            "Nimbus launch 🚀 delayed; engineers cite a goal of zero faults",
            "Cafe\u{301} owners in Zürich protest rent rises in the old town",
            "Late goal sends Kraków Eagles into the cup final",
            "서울 markets rally as chipmakers post record quarterly profits across the region",
            "Short",
            "A very long headline that goes on and on to make sure that truncation with an ellipsis happens at the right column",
        ]
        var state = makeState(count: 24, columns: columns, rows: rows, color: color) { titles[$0 % titles.count] }
        state.apply(.tick(now: t0.adding(milliseconds: 30_000)))
        // The reader's marks (as the store would bring them): read, starred, both; the rest unread.
        state.history.setMarks(22, .read)
        state.history.setMarks(21, .starred)
        state.history.setMarks(19, [.read, .starred])
        state.history.setMarks(14, .read)
        return state
    }

    @Test("80x24, colour, a filter with highlights, the selection moved down")
    func list80x24() throws {
        var state = Self.awkwardState(columns: 80, rows: 24, color: true)
        state.apply(.key(.char("/")))
        state.type("goal | zürich")
        state.apply(.key(.enter), .key(.char("j")))
        try check("list-80x24-colour-filter", state)
    }

    @Test("80x24 monochrome, wide and control characters")
    func list80x24Mono() throws {
        try check("list-80x24-mono", Self.awkwardState(columns: 80, rows: 24, color: false))
    }

    @Test("40x10 colour, paused with new arrivals")
    func list40x10() throws {
        var state = Self.awkwardState(columns: 40, rows: 10, color: true)
        state.apply(.key(.char(" ")))
        state.apply(.headlines((24..<31).map { headline($0, "Arrived while paused \($0)") }, now: t0.adding(milliseconds: 31_000)))
        try check("list-40x10-colour-paused", state)
    }

    @Test("20x5, the smallest that works, and 19x5 too small")
    func tiny() throws {
        try check("list-20x5-mono", Self.awkwardState(columns: 20, rows: 5, color: false))
        try check("too-small-19x5", Self.awkwardState(columns: 19, rows: 5, color: false))
    }

    @Test("editing the filter: the status line shows the text, the cursor and the count")
    func editing() throws {
        var state = Self.awkwardState(columns: 60, rows: 12, color: true)
        state.apply(.key(.char("/")))
        state.type("\"late goal")
        try check("editing-60x12", state)
    }

    @Test("scrolled into older headlines with new ones above, clock times")
    func scrolledAbsolute() throws {
        var state = Self.awkwardState(columns: 80, rows: 12, color: false)
        for _ in 0..<12 { state.apply(.key(.char("j"))) }
        state.apply(.headlines((24..<29).map { headline($0, "Newer \($0)") }, now: t0.adding(milliseconds: 40_000)))
        state.apply(.key(.char("t")), .key(.char("2")))
        try check("scrolled-80x12-clock-sports-off", state)
    }

    @Test("detail view")
    func detail() throws {
        var state = Self.awkwardState(columns: 60, rows: 16, color: true)
        state.apply(.key(.char("g")), .key(.char("k")), .key(.char("k")), .key(.enter))
        try check("detail-60x16", state)
    }

    @Test("help screen, generated from the key table")
    func help() throws {
        var state = Self.awkwardState(columns: 80, rows: 24, color: true)
        state.apply(.key(.char("?")))
        try check("help-80x24", state)
    }

    @Test("help in a replay, scrolled to its end (the query language), and at the smallest size")
    func helpScrolled() throws {
        var state = makeState(count: 3, columns: 80, rows: 24, replay: true)
        state.apply(.key(.char("?")))
        for _ in 0..<10 { state.apply(.key(.char(" "))) }  // past the end: it stops there
        try check("help-80x24-replay-end", state)
        var tiny = makeState(count: 3, columns: 20, rows: 5, color: false, replay: true)
        tiny.apply(.key(.char("?")), .key(.char("j")))
        try check("help-20x5-replay-mono", tiny)
    }

    @Test("titles in many scripts at 47 columns, monochrome, one matched: cells as ncurses has them, cut at the edge")
    func scripts() throws {
        var state = makeState(count: ScriptCellsTests.titles.count, columns: 47, rows: 14, color: false) { ScriptCellsTests.titles[$0] }
        state.apply(.tick(now: t0.adding(milliseconds: 30_000)))
        state.apply(.key(.char("/")))
        state.type("हि")
        state.apply(.key(.enter))
        try check("list-47x14-scripts-mono", state)
        var all = makeState(count: ScriptCellsTests.titles.count, columns: 47, rows: 14, color: false) { ScriptCellsTests.titles[$0] }
        all.apply(.tick(now: t0.adding(milliseconds: 30_000)))
        try check("list-47x14-scripts-all-mono", all)
    }

    @Test("detail view of a Hindi title at 33 columns: wrapped at cell boundaries")
    func scriptsDetail() throws {
        var state = makeState(count: 1, columns: 33, rows: 16, color: false) { _ in
            "हिन्दी समाचार: दिल्ली में बारिश से यातायात ठप, स्कूल बंद 👨‍👩‍👧‍👦🇯🇵"
        }
        state.apply(.key(.enter))
        try check("detail-33x16-hindi-mono", state)
    }

    @Test("a title never splits a wide character and ends with an ellipsis at the last column")
    func truncation() {
        for columns in 20...40 {
            var state = makeState(count: 1, columns: columns, rows: 5) { _ in "東京大阪名古屋札幌福岡神戸京都横浜川崎広島仙台" }
            state.apply(.tick(now: t0))
            let grid = Renderer.render(state)
            let row = (0..<columns).map { grid[1, $0] }
            // The ellipsis is in the last column or just before it (when a wide character did not fit).
            let last = row.lastIndex { $0.character == "…" }
            #expect(last == columns - 1 || last == columns - 2, "columns \(columns)")
            // Every wide character is followed by its continuation cell.
            for (i, cell) in row.enumerated() where cell.width == 2 { #expect(i + 1 < columns && row[i + 1].width == 0) }
            #expect(TextWidth.columns(grid.text.split(separator: "\n")[1].description) <= columns)
        }
    }
}
