import NewsCore
import NewsUI
import Testing

/// Issue 17, point 1: a selection the person placed (by moving it or opening a headline)
/// stays on its headline as new ones arrive; an untouched one follows the live feed.
@Suite("Placed selection")
struct PlacedSelectionTests {
    @Test("an opened headline stays in the detail view while headlines arrive, until the person moves")
    func openedHeadlineStays() {
        var state = makeState(count: 10)
        #expect(state.following && state.selectedTitle == "Headline 9 final")
        state.apply(.key(.enter))
        #expect(state.mode == .detail)
        for n in 10..<15 {
            state.apply(.headlines([headline(n, "Fresh \(n)")], now: t0.adding(milliseconds: Int64(n + 1) * 1000)))
        }
        #expect(state.selectedTitle == "Headline 9 final")
        let screen = Renderer.render(state).text
        #expect(screen.contains("Headline 9 final") && !screen.contains("Fresh"))
        // j/k in the detail view move from the opened headline.
        state.apply(.key(.char("j")))
        #expect(state.selectedTitle == "Headline 8 chip")
        state.apply(.key(.char("k")), .key(.char("k")))
        #expect(state.selectedTitle == "Fresh 10")
        // Back in the list the selection is where it was left; the new ones are counted above.
        state.apply(.key(.escape))
        #expect(state.mode == .list && !state.following)
        #expect(state.selectedTitle == "Fresh 10" && state.newAbove == 4)
    }

    @Test("opening after G (at the top, following live) keeps that headline too")
    func openAfterG() {
        var state = makeState(count: 10)
        state.apply(.key(.char("j")), .key(.char("G")))
        #expect(state.following)
        state.apply(.key(.enter))
        state.apply(.headlines([headline(10, "Fresh")], now: t0.adding(milliseconds: 11_000)))
        #expect(state.selectedTitle == "Headline 9 final")
    }

    @Test("a selection moved back to the top row stays there; G follows live again")
    func movedToTopStays() {
        var state = makeState(count: 10)
        state.apply(.key(.char("j")), .key(.char("k")))
        #expect(state.selectedIndex == 0 && state.selectedTitle == "Headline 9 final")
        state.apply(.headlines([headline(10, "Fresh")], now: t0.adding(milliseconds: 11_000)))
        #expect(state.selectedTitle == "Headline 9 final" && !state.following)
        #expect(state.newAbove == 1)
        state.apply(.key(.char("G")))
        #expect(state.following && state.selectedTitle == "Fresh" && state.newAbove == 0)
        // Untouched again: arrivals move it.
        state.apply(.headlines([headline(11, "Fresher")], now: t0.adding(milliseconds: 12_000)))
        #expect(state.selectedTitle == "Fresher")
    }

    @Test("k at the top while following moves nothing and keeps following")
    func upAtTheTop() {
        var state = makeState(count: 10)
        state.apply(.key(.char("k")), .key(.up), .key(.pageUp))
        #expect(state.following)
        state.apply(.headlines([headline(10, "Fresh")], now: t0.adding(milliseconds: 11_000)))
        #expect(state.selectedTitle == "Fresh")
    }
}
