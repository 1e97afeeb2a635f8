import NewsCore
import NewsUI
import Testing

@Suite("App state machine")
struct ReducerTests {
    @Test("following live: the newest headline is selected and stays so as headlines arrive")
    func followsLive() {
        var state = makeState(count: 10)
        #expect(state.following)
        #expect(state.selectedTitle == "Headline 9 final")
        state.apply(.headlines([headline(10, "Fresh one")], now: t0.adding(milliseconds: 11_000)))
        #expect(state.selectedTitle == "Fresh one")
        #expect(state.selectedIndex == 0 && state.topIndex == 0)
    }

    @Test("filter editing: live re-filter on each key, Enter keeps, Esc restores, Ctrl-U clears, \\ clears")
    func filterEditing() {
        var state = makeState(count: 30)
        state.apply(.key(.char("/")))
        #expect(state.editor != nil)
        state.type("go")
        #expect(state.filterText == "go")
        #expect(state.visibleCount == 6)  // "goal" is every fifth headline
        state.type("al")
        #expect(state.listedTitles.allSatisfy { $0.contains("goal") })
        #expect(state.view.lastChange == .narrowed)
        state.apply(.key(.enter))
        #expect(state.editor == nil && state.filterText == "goal")

        state.apply(.key(.char("/")))
        state.type(" xyz")
        #expect(state.visibleCount == 0)
        state.apply(.key(.escape))
        #expect(state.filterText == "goal" && state.visibleCount == 6)

        state.apply(.key(.char("/")), .key(.ctrl("u")))
        #expect(state.filterText == "" && state.visibleCount == 30)
        state.apply(.key(.escape))
        #expect(state.filterText == "goal")

        state.apply(.key(.char("\\")))
        #expect(state.filterText == "" && state.visibleCount == 30)
    }

    @Test("editing keys: cursor moves, Backspace, Delete, Ctrl-W; partial input is lenient")
    func editorKeys() {
        var state = makeState(count: 10)
        state.apply(.key(.char("/")))
        state.type("storm chip")
        state.apply(.key(.ctrl("w")))
        #expect(state.editor?.text == "storm ")
        state.apply(.key(.left), .key(.left), .key(.backspace))
        #expect(state.editor?.text == "stom ")
        state.apply(.key(.home), .key(.delete))
        #expect(state.editor?.text == "tom ")
        state.apply(.key(.ctrl("u")))
        state.type("\"unclosed (par | ")
        // An unclosed quote runs to the end and is closed implicitly: one phrase, no problem.
        #expect(state.userQuery.problems.isEmpty)
        #expect(state.userQuery.root == Query(lenient: "\"unclosed (par | \"").root)
        #expect(state.editor?.text == "\"unclosed (par | ")
    }

    @Test("pause: the list stands still, arrivals are counted, Space resumes at live")
    func pauseResume() {
        var state = makeState(count: 10)
        state.apply(.key(.char(" ")))
        #expect(state.paused)
        let before = state.listedTitles
        state.apply(.headlines((10..<27).map { headline($0, "New \($0)") }, now: t0.adding(milliseconds: 30_000)))
        #expect(state.listedTitles == before)
        #expect(state.newWhilePaused == 17)
        #expect(state.selectedTitle == "Headline 9 final")
        state.apply(.key(.char(" ")))
        #expect(!state.paused && state.following)
        #expect(state.selectedTitle == "New 26")
    }

    @Test("scrolled down: arrivals keep the selected row and the rows under it; a badge counts them")
    func selectionKeptByID() {
        var state = makeState(count: 30)
        state.apply(.key(.char("j")), .key(.char("j")), .key(.down))
        #expect(!state.following)
        #expect(state.selectedTitle == "Headline 26 market")
        let rowOnScreen = state.selectedIndex! - state.topIndex
        let screenBefore = Renderer.render(state).text.split(separator: "\n").dropFirst().dropLast()
        state.apply(.headlines((30..<47).map { headline($0, "New \($0)") }, now: t0.adding(milliseconds: 50_000)))
        #expect(state.selectedTitle == "Headline 26 market")
        #expect(state.selectedIndex! - state.topIndex == rowOnScreen)
        #expect(state.newAbove == 17)
        // The list rows are the same headlines (their ages aside).
        let screenAfter = Renderer.render(state).text.split(separator: "\n").dropFirst().dropLast()
        #expect(screenAfter.map { $0.dropFirst(5) } == screenBefore.map { $0.dropFirst(5) })
        // Back up to the top: still the person's selection (see PlacedSelectionTests); G follows again.
        for _ in 0..<(state.selectedIndex!) { state.apply(.key(.char("k"))) }
        #expect(!state.following && state.newAbove == 0)
        #expect(state.selectedTitle == "New 46")
        state.apply(.key(.char("G")))
        #expect(state.following && state.selectedTitle == "New 46")
    }

    @Test("filter changes keep the selected headline, else the nearest older match")
    func selectionAcrossFilters() {
        var state = makeState(count: 30)
        // Select "Headline 20 goal".
        for _ in 0..<9 { state.apply(.key(.char("j"))) }
        #expect(state.selectedTitle == "Headline 20 goal")
        state.apply(.key(.char("/")))
        state.type("goal")
        #expect(state.selectedTitle == "Headline 20 goal")  // still matches
        state.apply(.key(.ctrl("u")))
        state.type("storm")
        #expect(state.selectedTitle == "Headline 17 storm")  // nearest older match
        state.apply(.key(.ctrl("u")))
        state.type("nothing-matches")
        #expect(state.selected == nil)
    }

    @Test("1/2/3 toggle the sources, as -source: would")
    func sourceToggles() {
        var state = makeState(count: 30)
        state.apply(.key(.char("1")))
        #expect(state.hiddenSources == ["tech"])
        #expect(state.effectiveQuery.text == "-source:tech")
        #expect(state.visibleCount == 20)
        #expect((0..<state.visibleCount).allSatisfy { state.history.source(state.seq(atIndex: $0)) != "tech" })
        #expect(Renderer.render(state).text.contains("tech off"))
        state.apply(.key(.char("3")))
        #expect(state.visibleCount == 10)
        state.apply(.key(.char("1")), .key(.char("3")))
        #expect(state.visibleCount == 30 && state.hiddenSources.isEmpty)
    }

    @Test("detail view opens on Enter, closes on Esc or q; q in the list quits")
    func detailView() {
        var state = makeState(count: 5)
        state.apply(.key(.char("j")), .key(.enter))
        #expect(state.mode == .detail)
        #expect(state.apply(.key(.char("q"))).isEmpty)
        #expect(state.mode == .list)
        state.apply(.key(.enter), .key(.char("j")))
        #expect(state.mode == .detail && state.selectedTitle == "Headline 2 storm")
        state.apply(.key(.escape))
        #expect(state.mode == .list)
        #expect(state.apply(.key(.char("q"))) == [.quit])
    }

    @Test("help opens on ?, any key closes; t toggles clock times")
    func helpAndTime() {
        var state = makeState(count: 5)
        state.apply(.key(.char("?")))
        #expect(state.mode == .help)
        state.apply(.key(.char("x")))
        #expect(state.mode == .list)
        state.apply(.key(.char("t")))
        #expect(state.timeMode == .absolute)
    }

    @Test("G jumps to live (ending a pause), g to the oldest, pages move by a screen")
    func navigation() {
        var state = makeState(count: 100, rows: 12)
        state.apply(.key(.char("g")))
        #expect(state.selectedTitle == "Headline 0 goal" && !state.following)
        #expect(state.selectedIndex! - state.topIndex == state.listHeight - 1)
        state.apply(.key(.pageUp))
        #expect(state.selectedIndex == 99 - (state.listHeight - 1))
        state.apply(.key(.char(" ")), .key(.char("G")))
        #expect(!state.paused && state.following && state.selectedTitle == "Headline 99 final")
        state.apply(.key(.pageDown), .key(.end))
        #expect(state.following)
    }

    @Test("resize keeps the selected row on screen")
    func resize() {
        var state = makeState(count: 50)
        for _ in 0..<20 { state.apply(.key(.char("j"))) }
        state.apply(.resize(columns: 40, rows: 10))
        #expect(state.listHeight == 8)
        let row = state.selectedIndex! - state.topIndex
        #expect(row >= 0 && row < 8)
        state.apply(.resize(columns: 10, rows: 3))
        #expect(Renderer.render(state).text.hasPrefix("terminal t"))
    }

    @Test("resizing while editing the filter or in the detail view keeps that mode, laid out anew")
    func resizeInModes() {
        var state = makeState(count: 30)
        state.apply(.key(.char("/")))
        state.type("goal")
        state.apply(.resize(columns: 30, rows: 8))
        #expect(state.editor?.text == "goal")
        var grid = Renderer.render(state)
        #expect(grid.rows == 8 && grid.text.split(separator: "\n").last!.hasPrefix("/goal"))
        #expect(grid.cursor?.row == 7)
        state.apply(.key(.enter), .key(.enter))
        #expect(state.mode == .detail)
        state.apply(.resize(columns: 90, rows: 30))
        grid = Renderer.render(state)
        #expect(state.mode == .detail && grid.text.hasPrefix(" Headline"))
        #expect(grid.text.contains("Headline 25 goal"))
    }

    @Test("evicted selection moves to the oldest listed headline")
    func eviction() {
        var state = makeState(count: 20, capacity: 20)
        state.apply(.key(.char("g")))
        #expect(state.selectedTitle == "Headline 0 goal")
        state.apply(.headlines((20..<25).map { headline($0, "New \($0)") }, now: t0.adding(milliseconds: 30_000)))
        #expect(state.selectedTitle == "Headline 5 goal")
    }

    @Test("signals, Ctrl-C and source failures")
    func signalsAndFailures() {
        var state = makeState(count: 3)
        #expect(state.apply(.signal(15)) == [.quit])
        #expect(state.apply(.key(.ctrl("c"))) == [.quit])
        state.apply(.sourceFailed(source: "world", message: "connection reset"))
        #expect(Renderer.render(state).text.contains("world failed: connection reset"))
        // The message goes; the header keeps the source's state.
        state.apply(.tick(now: t0.adding(milliseconds: 60_000)))
        let header = Renderer.render(state).text.split(separator: "\n")[0]
        #expect(header.contains("world failed: connection reset"))
    }

    @Test("a source being retried shows as failed until it produces again; a quiet one as stale after --stale-after")
    func failingAndStale() {
        var state = makeState(count: 3)  // headlines at 0, 1 and 2 s: tech, sports, world
        state.apply(.sourceRestarting(source: "sports", message: "HTTP 503", retryIn: 4000))
        var text = Renderer.render(state).text
        #expect(text.contains("sports failed: HTTP 503"))
        #expect(text.contains("sports failed: HTTP 503; retrying in 4s"))  // the status line
        // 29 s after its last headline a source is fine; past 30 s it is stale.
        state.apply(.tick(now: t0.adding(milliseconds: 31_000)))
        text = String(Renderer.render(state).text.split(separator: "\n")[0])
        #expect(text.contains("tech stale"))
        #expect(!text.contains("world stale"))
        #expect(text.contains("sports failed"))
        state.apply(.headlines([headline(4, "Back again", source: "sports", at: 31_000)], now: t0.adding(milliseconds: 31_000)))
        text = String(Renderer.render(state).text.split(separator: "\n")[0])
        #expect(!text.contains("sports failed"))
        #expect(!text.contains("sports stale"))
    }

    @Test("a failing source's long reason does not cut every other label short; short labels tell sources apart by their shortest unique prefix")
    func headerLevels() {
        #expect(Renderer.uniquePrefixes(["tech", "sports", "world"]) == ["t", "s", "w"])
        #expect(Renderer.uniquePrefixes(["ok-feed", "dead", "one"]) == ["ok", "d", "on"])
        #expect(Renderer.uniquePrefixes(["news", "news-2", "nature"]) == ["news", "news-", "na"])
        #expect(Renderer.uniquePrefixes(["a", "a"]) == ["a", "a"])
        var state = makeState(count: 0, columns: 80, sources: ["ok-feed", "dead", "one"])
        state.apply(.headlines([headline(10, "A", source: "ok-feed", at: 3000), headline(11, "B", source: "one", at: 3000)], now: t0.adding(milliseconds: 3000)))
        state.apply(.sourceRestarting(source: "dead", message: "connection refused, and a much longer reason than fits", retryIn: 4000))
        let header = String(Renderer.render(state).text.split(separator: "\n")[0])
        // Before: "o 40/m 0s  d failed  o 40/m 0s", two sources both "o".
        #expect(header.contains("ok-feed ") && header.contains("dead failed") && header.contains("one "), "\(header)")
        state.apply(.resize(columns: 52, rows: 24))
        let narrow = String(Renderer.render(state).text.split(separator: "\n")[0])
                #expect(narrow.contains(" ok ") && narrow.contains(" d failed") && narrow.contains(" on "), "[\(narrow)]")
    }
}
