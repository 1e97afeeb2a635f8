import NewsCore
import NewsUI
import Testing

/// An update of headline `n` of ``makeState`` (same source and id), with a new title.
private func updated(_ n: Int, _ title: String) -> Arrival {
    var arrival = headline(n, title)
    arrival.isUpdate = true
    return arrival
}

@Suite("Updated items in the view")
struct UpdateTests {
    @Test("An update shows the new title once, in the row where the old one was; the counts do not grow")
    func listShowsNewTitleOnce() {
        var state = makeState(count: 5)
        let before = state.listedTitles
        #expect(before[2] == "Headline 2 storm")
        let totals = state.stats.entries.map(\.total)
        state.apply(.headlines([updated(2, "Headline 2 storm, corrected")], now: t0.adding(milliseconds: 6000)))
        var expected = before
        expected[2] = "Headline 2 storm, corrected"
        #expect(state.listedTitles == expected)
        #expect(state.visibleCount == 5 && state.history.count == 5)
        #expect(state.stats.entries.map(\.total) == totals)
        let screen = state.screen.joined(separator: "\n")
        #expect(screen.components(separatedBy: "Headline 2 storm, corrected").count == 2)  // once
        #expect(state.screen.filter { $0.contains("Headline 2 storm") }.count == 1)
    }

    @Test("Under a filter an update that stops matching leaves the list, one that starts matching comes in at its place")
    func filterRechecked() {
        var state = makeState(count: 10)
        state.type("/storm")
        state.apply(.key(.enter))
        #expect(state.listedTitles == ["Headline 7 storm", "Headline 2 storm"])
        state.apply(.headlines([updated(7, "Headline 7 calm"), updated(4, "Headline 4 storm warning")],
                               now: t0.adding(milliseconds: 11_000)))
        #expect(state.listedTitles == ["Headline 4 storm warning", "Headline 2 storm"])
    }

    @Test("An open headline shows its new title in the detail view")
    func detailShowsUpdate() {
        var state = makeState(count: 5)
        state.apply(.key(.char("j")), .key(.enter))
        #expect(state.mode == .detail && state.selectedTitle == "Headline 3 chip")
        state.apply(.headlines([updated(3, "Headline 3 chip, updated")], now: t0.adding(milliseconds: 6000)))
        #expect(state.mode == .detail && state.selectedTitle == "Headline 3 chip, updated")
        let screen = state.screen.joined(separator: "\n")
        #expect(screen.contains("Headline 3 chip, updated"))
    }
}
