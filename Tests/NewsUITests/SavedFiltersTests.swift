import NewsCore
@testable import NewsUI
import Testing

/// Issue 14: saved filters as tabs under the header, and alerts.
@Suite("Saved filters and alerts in the view")
struct SavedFiltersTests {
    private func state(filters: [SavedFilter] = [], alerts: [AlertRule] = [], count: Int = 30, columns: Int = 80, color: Bool = true) -> AppState {
        var config = AppConfig(sources: ["tech", "sports", "world"], feedStart: t0, color: color, hasStore: false)
        config.filters = filters
        config.alerts = alerts
        var state = AppState(history: History(capacity: 1000, chunkSize: 16), config: config, columns: columns, rows: 24, now: t0)
        let words = ["goal", "market", "storm", "chip", "final"]
        _ = state.handle(.headlines((0..<count).map { headline($0, "Headline \($0) \(words[$0 % 5])") }, now: t0.adding(milliseconds: 30_000)))
        return state
    }

    private let saved = [SavedFilter(name: "goals", query: "goal"), SavedFilter(name: "weather", query: "storm -source:tech")]

    @Test("Tab and Shift-Tab cycle all, then each saved filter, and back round; the list filters as it would by /")
    func cycle() {
        var s = state(filters: saved)
        #expect(s.currentTab == 0 && s.visibleCount == 30)
        s.apply(.key(.tab))
        #expect(s.filterText == "goal" && s.currentTab == 1 && s.visibleCount == 6)
        #expect(s.listedTitles.allSatisfy { $0.hasSuffix("goal") })
        s.apply(.key(.tab))
        #expect(s.filterText == "storm -source:tech" && s.currentTab == 2)
        #expect(s.listedTitles.allSatisfy { $0.hasSuffix("storm") } && s.visibleCount == 4, "\(s.listedTitles)")
        s.apply(.key(.tab))
        #expect(s.filterText == "" && s.currentTab == 0 && s.visibleCount == 30)
        s.apply(.key(.shiftTab))
        #expect(s.currentTab == 2)
        s.apply(.key(.shiftTab), .key(.shiftTab))
        #expect(s.currentTab == 0)
    }

    @Test("The tab row shows every tab with its count of matches, the current one marked; the list starts below it")
    func tabRow() {
        var s = state(filters: saved)
        let screen = s.screen
        #expect(screen[1].hasPrefix(" all 30  goals 6  weather 4 "), "\(screen[1])")
        #expect(screen[2].contains("Headline 29"), "the list starts on the third row: \(screen[2])")
        #expect(s.listHeight == 21)
        #expect(screen[23].contains("Tab filters"), "the status line names the tabs' key: \(screen[23])")
        let grid = Renderer.render(s)
        #expect(grid[1, 1].style.background == .cyan, "all is the current tab")
        s.apply(.key(.tab))
        let after = Renderer.render(s)
        #expect(after[1, 1].style.background != .cyan)
        let goals = s.screen[1].range(of: "goals")!.lowerBound.utf16Offset(in: s.screen[1])
        #expect(after[1, goals].style.background == .cyan, "goals is current")
        // Arrivals count into every tab.
        s.apply(.headlines([headline(30, "Another goal"), headline(31, "Storm warning", source: "world")], now: t0.adding(milliseconds: 32_000)))
        #expect(s.tabCounts.map(\.count) == [32, 7, 5])
    }

    @Test("A click on a tab switches to its filter; a click on a list row under the tab row selects that row")
    func clicks() {
        var s = state(filters: saved)
        let row = s.screen[1]
        let weather = row.range(of: "weather")!.lowerBound.utf16Offset(in: row)
        s.apply(.mouse(MouseEvent(.press(.left), column: weather, row: 1)))
        #expect(s.currentTab == 2 && s.filterText == "storm -source:tech")
        s.apply(.mouse(MouseEvent(.press(.left), column: 2, row: 1)))
        #expect(s.currentTab == 0 && s.visibleCount == 30)
        // Past the last tab: nothing.
        s.apply(.mouse(MouseEvent(.press(.left), column: 70, row: 1)))
        #expect(s.currentTab == 0)
        // Row 4 of the screen is the third headline (rows 0 and 1 are the header and the tabs).
        s.apply(.mouse(MouseEvent(.press(.left), column: 10, row: 4, time: 1000)))
        #expect(s.selectedIndex == 2 && s.screen[4].contains(s.history.title(s.selected!)))
    }

    @Test("Editing the filter away from a saved one leaves no tab current; Tab goes on from all")
    func editedFilter() {
        var s = state(filters: saved)
        s.apply(.key(.tab), .key(.char("/")))
        s.type(" market")
        s.apply(.key(.enter))
        #expect(s.filterText == "goal market" && s.currentTab == nil)
        s.apply(.key(.tab))
        #expect(s.currentTab == 1)
    }

    @Test("Without saved filters or alerts there is no tab row, and Tab says how to get some")
    func none() {
        var s = state()
        #expect(!s.showsTabs && s.listTop == 1 && s.screen[1].contains("Headline 29"))
        #expect(!s.screen[23].contains("Tab"))
        s.apply(.key(.tab))
        #expect(s.filterText == "" && s.message?.text.contains("[filters]") == true)
    }

    @Test("Live arrivals that match an alert are counted and marked; one with a bell rings once per batch")
    func alerts() {
        var s = state(alerts: [AlertRule(name: "chips", query: "chip"), AlertRule(name: "storms", query: "storm", bell: true)])
        // The first batch arrived live (offsets >= 0, published after the start): 6 chips and 6 storms.
        #expect(s.alertCount == 12)
        #expect(s.screen[1].hasSuffix(" 12 alerts "), "\(s.screen[1])")
        let chipRow = s.screen.firstIndex { $0.contains("Headline 28 chip") }!
        #expect(s.screen[chipRow].hasPrefix("!"), "\(s.screen[chipRow])")
        #expect(s.screen.first { $0.contains("Headline 26 market") }?.hasPrefix(" ") == true)
        // One batch with two storms rings once; a batch with chips only rings not at all.
        #expect(s.apply(.headlines([headline(40, "storm one"), headline(41, "storm two"), headline(42, "calm")], now: t0.adding(milliseconds: 42_000))) == [.bell])
        #expect(s.apply(.headlines([headline(43, "chip news")], now: t0.adding(milliseconds: 43_000))).isEmpty)
        #expect(s.alertCount == 15)
        // Headlines from before the start (a store's history, a feed file's backlog) are marked but neither counted nor rung for.
        let old = Arrival(offset: -5000, headline: Headline(id: "old-1", source: "tech", title: "old storm", published: t0.adding(milliseconds: -5000)))
        #expect(s.apply(.headlines([old], now: t0.adding(milliseconds: 44_000))).isEmpty)
        #expect(s.alertCount == 15)
    }

    @Test("A replay's seek recounts the alerts over the rebuilt history: playing a stretch again does not count it twice")
    func seekRecounts() {
        var s = state(alerts: [AlertRule(name: "chips", query: "chip")])
        #expect(s.alertCount == 6)
        // Back to the start, the first ten headlines rebuilt (two chips: 3 and 8), as a seek does.
        let rebuilt = History(capacity: 1000, chunkSize: 16)
        let words = ["goal", "market", "storm", "chip", "final"]
        rebuilt.append(contentsOf: (0..<10).map { headline($0, "Headline \($0) \(words[$0 % 5])").headline })
        s.reset(history: rebuilt, now: t0.adding(milliseconds: 10_000))
        #expect(s.alertCount == 2)
        s.apply(.headlines([headline(13, "Headline 13 chip")], now: t0.adding(milliseconds: 13_000)))
        #expect(s.alertCount == 3)
    }

    @Test("The alert mark and colour hold in monochrome too (bold, underlined title)")
    func monochrome() {
        let s = state(alerts: [AlertRule(name: "chips", query: "chip")], color: false)
        let grid = Renderer.render(s)
        let row = s.screen.firstIndex { $0.contains("Headline 28 chip") }!
        let titleColumn = s.screen[row].range(of: "Headline")!.lowerBound.utf16Offset(in: s.screen[row])
        #expect(grid[row, titleColumn].style.underline)
    }

    @Test("A tab name from the config cannot put escape sequences on the screen")
    func sanitizedNames() {
        let s = state(filters: [SavedFilter(name: "evil\u{1B}[2J", query: "goal")])
        #expect(!s.screen[1].contains("\u{1B}"), "\(s.screen[1])")
    }
}

/// Issue 14's `[colors]` as the view applies them.
@Suite("Theme colours from the config")
struct ThemeColorsTests {
    private func state(colors: ThemeColors, color: Bool = true) -> AppState {
        var config = AppConfig(sources: ["tech", "sports", "world"], feedStart: t0, color: color, hasStore: true)
        config.colors = colors
        var state = AppState(history: History(capacity: 100, chunkSize: 16), config: config, columns: 80, rows: 24, now: t0)
        _ = state.handle(.headlines((0..<5).map { headline($0, "Headline \($0)") }, now: t0.adding(milliseconds: 5000)))
        return state
    }

    @Test("An element's style and a source's colour replace the defaults in colour; monochrome ignores them")
    func applied() {
        let colors = ThemeColors(elements: [.bar: Style(foreground: .black, background: .green), .selected: Style(foreground: .yellow, bold: true)],
                                 sources: ["sports": Style(foreground: .red, bold: true)])
        let s = state(colors: colors)
        let grid = Renderer.render(s)
        #expect(grid[0, 0].style.background == .green && grid[0, 0].style.foreground == .black, "the header's title follows the bar")
        #expect((0..<80).allSatisfy { grid[0, $0].style.background == .green }, "the header bar")
        #expect(grid[23, 0].style.background == .green, "the status bar")
        // Row 1 is the newest (Headline 4, tech: 4 % 3 = 1 is sports).
        let text = s.screen[1]
        let sourceColumn = text.range(of: "Sports")!.lowerBound.utf16Offset(in: text)
        #expect(grid[1, sourceColumn].style.foreground == .red && grid[1, sourceColumn].style.bold)
        #expect(grid[1, 0].style.foreground == .yellow && grid[1, 0].style.bold, "the selected row")
        let mono = Renderer.render(state(colors: colors, color: false))
        #expect((0..<80).allSatisfy { mono[0, $0].style.reverse && mono[0, $0].style.background == .default })
        #expect(mono[1, sourceColumn].style.foreground == .default)
    }

    @Test("Without [colors] the look is the default one")
    func defaults() {
        let grid = Renderer.render(state(colors: ThemeColors()))
        #expect(grid[0, 0].style == ThemeElement.barTitle.defaultStyle )
        #expect((0..<80).contains { grid[0, $0].style == ThemeElement.bar.defaultStyle })
        #expect(grid[1, 0].style.reverse)
    }
}
