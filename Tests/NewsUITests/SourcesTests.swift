import Foundation
import NewsCore
import NewsUI
import Testing

/// Names of real-looking feeds: some short, some long, two that share a prefix (bbc).
func feedNames(_ count: Int) -> [String] {
    let named = ["hn", "lwn", "ars-technica", "bbc", "bbc-world", "guardian", "reuters", "nyt", "the-verge", "wired", "kernel-news", "phoronix"]
    return (0..<count).map { $0 < named.count ? named[$0] : String(format: "feed%02d", $0 + 1) }
}

/// A state with `count` sources, each with `perSource` headlines (one every 100 ms, in
/// turn), the clock a second after the last.
func sourcesState(_ count: Int, columns: Int = 80, rows: Int = 24, color: Bool = true, perSource: Int = 1,
                  configured: Int? = nil) -> AppState {
    let names = feedNames(count)
    var state = AppState(history: History(capacity: 10_000, chunkSize: 64),
                         config: AppConfig(sources: Array(names.prefix(configured ?? count)), feedStart: t0, color: color),
                         columns: columns, rows: rows, now: t0)
    var batch: [Arrival] = []
    for round in 0..<perSource {
        for (i, name) in names.enumerated() {
            let n = round * count + i
            batch.append(headline(n, "Story \(n) from \(name)", source: name, at: Int64(n) * 100))
        }
    }
    state.apply(.headlines(batch, now: t0.adding(milliseconds: Int64(batch.count) * 100 + 1000)))
    return state
}

@Suite("Any number of sources")
struct SourcesTests {
    // MARK: palette

    @Test("the palette cycles by a source's place in the order; the simulated three keep cyan, green, yellow")
    func paletteCycles() {
        let order = SourceOrder(feedNames(25))
        let colors = order.names.map(order.color(of:))
        #expect(colors.prefix(3) == [SourceColor(.cyan), SourceColor(.green), SourceColor(.yellow)])
        #expect(Set(colors.prefix(SourcePalette.colors.count)).count == SourcePalette.colors.count, "ten different colours first")
        for i in colors.indices { #expect(colors[i] == SourcePalette.colors[i % SourcePalette.colors.count]) }
        // By place, not by name: the same name elsewhere in the order has that place's colour.
        #expect(SourceOrder(["world", "tech"]).color(of: "world") == SourceColor(.cyan))
        // A name not in the order: the same colour every time.
        #expect(order.color(of: "elsewhere") == SourceOrder().color(of: "elsewhere"))
        #expect(SourceColor(.magenta, bold: true).ansi == "\u{1B}[1;35m" && SourceColor(.cyan).ansi == "\u{1B}[36m")
    }

    @Test("--plain output and the view give each of 12 sources the same colour")
    func plainAndViewAgree() {
        let names = feedNames(12)
        var formatter = PlainFormatter(color: true, sources: names)
        let state = sourcesState(12, columns: 80, rows: 16)
        let grid = Renderer.render(state)
        var seen = Set<String>()
        #expect(state.visibleCount == 12 && grid.rows - 2 >= 12)
        for row in 1...12 {
            let cell = grid[row, 5]  // the source column, after the age
            let shown = state.history.headline(state.seq(atIndex: row - 1))
            let source = shown.source
            #expect(String(cell.character) == String(sourceDisplayName(source).prefix(1)))
            let line = formatter.line(for: shown)
            let sgr = "\u{1B}[" + (cell.style.bold ? "1;" : "") + String(30 + Int(cell.style.foreground.rawValue) - 1) + "m"
            #expect(line.contains(sgr + sourceDisplayName(source) + "\u{1B}[0m"), "\(source): \(line)")
            seen.insert(sgr)
        }
        #expect(seen.count >= 10)
        // Sources not in the list take the next places in the order they first appear.
        var unlisted = PlainFormatter(color: true, sources: ["a"])
        let h = { (s: String) in Headline(id: s, source: s, title: "t", published: t0) }
        #expect(unlisted.line(for: h("z")).contains(SourcePalette.color(at: 1).ansi))
        #expect(unlisted.line(for: h("y")).contains(SourcePalette.color(at: 2).ansi))
        #expect(unlisted.line(for: h("a")).contains(SourcePalette.color(at: 0).ansi))
        // Monochrome: no colour at all.
        var mono = PlainFormatter(color: false, sources: names)
        #expect(!mono.line(for: h("hn")).contains("\u{1B}"))
        let monoGrid = Renderer.render(sourcesState(12, color: false))
        #expect(monoGrid.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
    }

    // MARK: keys

    @Test("with 12 sources, keys 1-9 toggle the first nine; 10 and on are the picker's")
    func numberKeys() {
        var state = sourcesState(12)
        let names = state.sources.names
        for n in 1...9 {
            state.apply(.key(.char(Character(String(n)))))
            #expect(state.hiddenSources == [names[n - 1]], "key \(n)")
            #expect(!state.listedTitles.contains { $0.hasSuffix("from \(names[n - 1])") })
            #expect(state.visibleCount == 11)
            state.apply(.key(.char(Character(String(n)))))
            #expect(state.hiddenSources.isEmpty)
        }
        #expect(state.visibleCount == 12)
        state.apply(.key(.char("0")))
        #expect(state.hiddenSources.isEmpty, "0 is bound to nothing")
        // With fewer sources than keys, the others do nothing.
        var one = sourcesState(1)
        one.apply(.key(.char("2")), .key(.char("9")))
        #expect(one.hiddenSources.isEmpty && one.visibleCount == 1)
    }

    @Test("hiding a source hides that one only, not the others its name is the start of (bbc, bbc-world)")
    func hidingIsExact() {
        var state = sourcesState(5)
        #expect(state.sources.names[3] == "bbc" && state.sources.names[4] == "bbc-world")
        state.apply(.key(.char("4")))
        #expect(state.listedTitles.contains("Story 4 from bbc-world"))
        #expect(!state.listedTitles.contains("Story 3 from bbc"))
        #expect(state.visibleCount == 4)
        state.apply(.key(.char("5")))
        #expect(state.visibleCount == 3)
        state.apply(.key(.char("4")))
        #expect(state.listedTitles.contains("Story 3 from bbc") && !state.listedTitles.contains("Story 4 from bbc-world"))
        // A source that arrives later with a hidden one's name as its start is shown.
        state.apply(.key(.char("5")), .key(.char("4")))
        state.apply(.headlines([headline(99, "Story from bbc-sport", source: "bbc-sport", at: 9_000)], now: t0.adding(milliseconds: 9_000)))
        #expect(state.listedTitles.contains("Story from bbc-sport"))
        #expect(!state.listedTitles.contains("Story 3 from bbc"))
    }
}

@Suite("Any number of sources: the header and the source picker")
struct SourcesScreenTests {
    // MARK: header

    @Test("the header at 80 and 20 columns with 1, 3, 9 and 50 sources: as many as fit, then +N more; hidden ones say so",
          arguments: [
              (1, 80, " newsdesk  1 of 1 shown  hn 55/m 1s", " newsdesk  1 of 1 shown  hn 55/m 1s"),
              (3, 80, " newsdesk  3 of 3 shown  hn 46/m 1s  lwn 46/m 1s  ars-technica 46/m 1s",
               " newsdesk  2 of 3 shown  hn 46/m 1s  lwn off  ars-technica 46/m 1s"),
              (9, 80, " newsdesk  9/9  hn 32/m 1s  lwn 32/m 1s  ars-technica 32/m 1s  +6 more",
               " newsdesk  8/9  hn 32/m 1s  lwn off  ars-technica 32/m 1s  bbc 32/m 1s  +5 more"),
              (50, 80, " newsdesk  50/50  hn 10/m 6s  lwn 10/m 5s  ars-technica 10/m 5s  +47 more",
               " newsdesk  49/50  hn 10/m 6s  lwn off  ars-technica 10/m 5s  +47 more"),
              (1, 20, " newsdesk  1/1", " newsdesk  1/1"),
              (3, 20, " newsdesk  3/3", " 2/3  l off"),
              (9, 20, " newsdesk  9/9", " 8/9  l off"),
              (50, 20, " newsdesk  50/50", " 49/50  l off"),
          ])
    func header(sources: Int, columns: Int, expected: String, secondOff: String) {
        var state = sourcesState(sources, columns: columns, rows: 10)
        func header() -> String {
            let line = state.screen[0]
            #expect(TextWidth.columns(line) == columns)
            return String(line.reversed().drop { $0 == " " }.reversed())
        }
        #expect(header() == expected)
        state.apply(.key(.char("2")))
        #expect(header() == secondOff)
    }

    @Test("sources hidden past the ones shown are counted in +N more; failing and stale ones too")
    func moreLabelCounts() {
        var state = sourcesState(50, columns: 80, rows: 10)
        state.apply(.key(.char("S")))
        for _ in 0..<29 { state.apply(.key(.char("j"))) }
        state.apply(.key(.char(" ")), .key(.char("j")), .key(.char(" ")), .key(.escape))
        #expect(state.hiddenSources == ["feed30", "feed31"])
        #expect(state.screen[0].contains("  +48 more: 46 ok, 2 off"), "\(state.screen[0])")
        state.apply(.sourceFailed(source: "feed40", message: "timed out"))
        #expect(state.screen[0].contains("  +48 more: 45 ok, 2 off, 1 failing"), "\(state.screen[0])")
        let grid = Renderer.render(state)
        let start = state.screen[0].range(of: "+48")!.lowerBound.utf16Offset(in: state.screen[0])
        #expect(grid[0, start].style == Theme(color: true).barAlert)
        // Many hidden ones, on a narrow screen: counted, not spelled out as initials.
        var narrow = sourcesState(50, columns: 20, rows: 5)
        for key in "12345" { narrow.apply(.key(.char(key))) }
        #expect(narrow.screen[0].hasPrefix(" 45/50  5 off"), "\(narrow.screen[0])")
    }

    // MARK: picker

    /// The picker's rows between its bars, without trailing spaces.
    static func rows(_ state: AppState) -> [String] {
        state.screen.dropFirst().dropLast().map { String($0.reversed().drop { $0 == " " }.reversed()) }
    }

    @Test("s opens the picker: every source with its key, whether it is shown, its count; Space toggles, a shows all, o only")
    func pickerToggles() {
        var state = sourcesState(12, perSource: 3)
        state.apply(.key(.char("S")))
        #expect(state.mode == .sources)
        var rows = Self.rows(state)
        #expect(rows[0] == " 1 [x] hn                                                      39/m 2s        3")
        #expect(rows[8].hasPrefix(" 9 [x] the-verge ") && rows[9].hasPrefix("   [x] wired "))
        #expect(rows[11].hasPrefix("   [x] phoronix ") && rows[12].isEmpty)
        #expect(state.screen[0].hasSuffix("12 of 12 shown "))
        #expect(state.screen.last!.hasPrefix(" Space show/hide  Esc close  a all  o only  R refresh  j/k move  ? help"))
        // The cursor row is reversed.
        #expect(Renderer.render(state)[1, 0].style.reverse && !Renderer.render(state)[2, 0].style.reverse)

        state.apply(.key(.char("j")), .key(.down), .key(.char(" ")))
        #expect(state.hiddenSources == ["ars-technica"] && state.visibleCount == 33)
        rows = Self.rows(state)
        #expect(rows[2].hasPrefix(" 3 [ ] ars-technica") && rows[2].contains("hidden"))
        #expect(state.screen[0].hasSuffix("11 of 12 shown "))
        #expect(Renderer.render(state)[3, 7].style.dim)
        state.apply(.key(.char(" ")))
        #expect(state.hiddenSources.isEmpty)
        // Keys 1-9 work here too.
        state.apply(.key(.char("9")))
        #expect(state.hiddenSources == ["the-verge"] && Self.rows(state)[8].hasPrefix(" 9 [ ] the-verge"))
        state.apply(.key(.char("a")))
        #expect(state.hiddenSources.isEmpty)
        state.apply(.key(.char("G")), .key(.char("o")))
        #expect(state.hiddenSources == Set(feedNames(12).dropLast()))
        #expect(state.listedTitles.allSatisfy { $0.hasSuffix("from phoronix") } && state.visibleCount == 3)
        state.apply(.key(.char("g")))
        #expect(state.pickerCursor == 0)
        state.apply(.key(.char("a")))
        #expect(state.visibleCount == 36)
    }

    @Test("Esc, Enter, q and S close the picker; the help opens from it and goes back to it; Ctrl-C quits")
    func pickerCloses() {
        for key in [Key.escape, .enter, .char("q"), .char("S")] {
            var state = sourcesState(3)
            state.apply(.key(.char("S")))
            #expect(state.apply(.key(key)).isEmpty && state.mode == .list, "\(key)")
        }
        var state = sourcesState(3)
        state.apply(.key(.char("S")), .key(.char("?")))
        #expect(state.mode == .help)
        #expect(state.keyContexts == [.help])
        state.apply(.key(.escape))
        #expect(state.mode == .sources)
        #expect(state.apply(.key(.ctrl("c"))) == [.quit])
        // Keys the picker does not bind do nothing there (no filter editing, no pause).
        state.apply(.key(.char("/")), .key(.char("x")))
        #expect(state.mode == .sources && state.editor == nil && state.filterText.isEmpty && !state.paused)
    }

    @Test("the picker scrolls with 50 sources at 80x24 and at 20x5, and keeps the cursor on screen when resized",
          arguments: [(80, 24), (20, 5)])
    func pickerScrolls(columns: Int, rows: Int) {
        var state = sourcesState(50, columns: columns, rows: rows)
        state.apply(.key(.char("S")))
        let height = rows - 2
        #expect(Self.rows(state).count == height)
        var seen: [String] = []
        for step in 0..<60 {
            let grid = Renderer.render(state)
            let cursorRow = (1..<grid.rows - 1).filter { grid[$0, 0].style.reverse }
            #expect(cursorRow.count == 1, "step \(step)")
            let name = state.sources.names[state.pickerCursor]
            #expect(cursorRow.first.map { Self.rows(state)[$0 - 1].contains(String(name.prefix(5))) } == true, "step \(step): \(name)")
            for row in Self.rows(state) where !seen.contains(row) { seen.append(row) }
            state.apply(.key(.char("j")))
        }
        #expect(state.pickerCursor == 49 && state.pickerTop == 50 - height)
        #expect(seen.count == 50, "every source's row was on screen")
        #expect(Self.rows(state).last!.contains("feed50"))
        if columns == 80 { #expect(state.screen[0].hasSuffix("50 of 50 shown, 29-50 ")) }
        state.apply(.key(.pageUp))
        #expect(state.pickerCursor == 49 - (height - 1))
        state.apply(.key(.char("g")))
        #expect(state.pickerTop == 0 && Self.rows(state)[0].contains("hn"))
        state.apply(.key(.end))
        #expect(state.pickerCursor == 49)
        // A resize keeps the cursor on screen and the page full.
        state.apply(.resize(columns: columns, rows: rows + 6))
        #expect(state.pickerTop == 50 - (rows + 4) && Self.rows(state).last!.contains("feed50"))
        state.apply(.resize(columns: columns, rows: 5))
        #expect(state.pickerTop == 47 && Self.rows(state).count == 3)
        for screen in state.screen { #expect(TextWidth.columns(screen) == columns) }
    }

    @Test("a source not in the list (a replay, an import) gets a place: a colour, a key, a picker row")
    func unknownSourceGetsAPlace() {
        // The recording's sources list names two; a third arrives in the feed.
        var state = AppState(history: History(capacity: 100), config: AppConfig(sources: ["hn", "lwn"], feedStart: t0, replay: true),
                             columns: 80, rows: 10, now: t0)
        state.apply(.headlines([headline(0, "From hn", source: "hn", at: 0), headline(1, "From elsewhere", source: "elsewhere", at: 100),
                                headline(2, "From lwn", source: "lwn", at: 200)], now: t0.adding(milliseconds: 1000)))
        #expect(state.sources.names == ["hn", "lwn", "elsewhere"])
        #expect(Theme(color: true, sources: state.sources).source("elsewhere").foreground == .yellow)
        state.apply(.key(.char("3")))
        #expect(state.hiddenSources == ["elsewhere"] && state.listedTitles == ["From lwn", "From hn"])
        state.apply(.key(.char("3")), .key(.char("S")))
        #expect(Self.rows(state)[2].hasPrefix(" 3 [x] elsewhere "))
        state.apply(.key(.escape))
        #expect(state.screen[0].hasPrefix(" newsdesk  3 of 3 shown  hn ") && state.screen[0].contains("  elsewhere "))
        // A recording with no sources list: the order of first appearance.
        var none = AppState(history: History(capacity: 100), config: AppConfig(sources: [], feedStart: t0, replay: true),
                            columns: 80, rows: 10, now: t0)
        none.apply(.headlines([headline(0, "a", source: "world", at: 0), headline(1, "b", source: "tech", at: 100)], now: t0))
        #expect(none.sources.names == ["world", "tech"])
        none.apply(.key(.char("1")))
        #expect(none.hiddenSources == ["world"])
        // A seek (a new history) keeps the places, and the filter knows the source.
        none.reset(history: History(capacity: 100), now: t0)
        #expect(none.sources.names == ["world", "tech"] && none.hiddenSources == ["world"])
        none.apply(.key(.char("/")))
        none.type("source:tech")
        #expect(none.userQuery.problems.isEmpty)
    }

    @Test("the picker's golden screens: 80x24 in colour, 20x5 in monochrome")
    func pickerGolden() throws {
        var state = sourcesState(12, columns: 80, rows: 16, perSource: 2)
        state.apply(.key(.char("S")), .key(.char("j")), .key(.char("j")), .key(.char(" ")), .key(.char("j")))
        state.apply(.sourceFailed(source: "guardian", message: "timed out"))
        try GoldenTests().check("sources-80x16-colour", state)
        var small = sourcesState(50, columns: 20, rows: 5, color: false)
        small.apply(.key(.char("S")), .key(.char("2")), .key(.char("j")), .key(.char("j")), .key(.char("j")))
        try GoldenTests().check("sources-20x5-mono", small)
    }
}

@Suite("SourceOrder")
struct SourceOrderTests {
    @Test("positions by first appearance, repeats keep their place, the same past eight names as below")
    func positions() {
        var order = SourceOrder(["b", "a", "b"])
        #expect(order.names == ["b", "a"])
        for n in 0..<20 { #expect(order.position(adding: "s\(n)") == n + 2) }
        #expect(order.position(adding: "a") == 1 && order.position(of: "s19") == 21 && order.position(of: "nope") == nil)
        #expect(order.count == 22 && order.names[21] == "s19")
    }
}
