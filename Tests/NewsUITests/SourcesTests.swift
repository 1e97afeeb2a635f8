import Foundation
import NewsCore
import NewsUI
import Testing

/// Names of real-looking feeds: some short, some long, two that share a prefix (bbc).
func feedNames(_ count: Int) -> [String] {
    let named = ["hn", "lwn", "ars-technica", "bbc", "bbc-world", "guardian", "reuters", "nyt", "the-verge", "wired", "kernel-news", "phoronix"]
    return (0..<count).map { $0 < named.count ? named[$0] : String(format: "feed%02d", $0 + 1) }
}

/// A state with `count` sources, each with `perSource` headlines (source i's arrive
/// at i seconds, then every `count` seconds), the clock a minute in.
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
            batch.append(headline(n, "Story \(n) from \(name)", source: name, at: Int64(n) * 1000))
        }
    }
    state.apply(.headlines(batch, now: t0.adding(milliseconds: 60_000)))
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
        state.apply(.headlines([headline(99, "Story from bbc-sport", source: "bbc-sport", at: 61_000)], now: t0.adding(milliseconds: 61_000)))
        #expect(state.listedTitles.contains("Story from bbc-sport"))
        #expect(!state.listedTitles.contains("Story 3 from bbc"))
    }
}
