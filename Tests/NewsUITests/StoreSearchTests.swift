import NewsCore
import Testing
@testable import NewsUI

/// `F`: the store's search results in place of the live list, and back.
@Suite struct StoreSearchTests {
    func state(hasStore: Bool = true) -> AppState {
        var state = AppState(history: History(capacity: 100, chunkSize: 16),
                             config: AppConfig(sources: ["tech"], feedStart: t0, color: false, hasStore: hasStore),
                             columns: 80, rows: 12, now: t0)
        state.apply(.headlines((0..<5).map { headline($0, "Live \($0) market", source: "tech") }, now: t0.adding(milliseconds: 5000)))
        return state
    }

    @Test("F asks the store for the filter; its results replace the list, arrivals go to the live list behind them; F goes back")
    func resultsAndBack() {
        var state = state()
        state.type("/market")
        state.apply(.key(.enter))
        let effects = state.apply(.key(.char("F")))
        #expect(effects == [.searchStore(state.effectiveQuery)])
        let old = (100..<103).map { headline($0, "Archived \($0) market", source: "tech", at: -86_400_000) }
        state.apply(.storeResults(query: "market", old))
        #expect(state.screen.last?.contains("3 headlines in the store match market") == true, "\(state.screen.last ?? "")")
        state.apply(.tick(now: t0.adding(milliseconds: 20_000)))  // the message is gone
        #expect(state.storeSearch == "market")
        #expect(state.listedTitles == ["Archived 102 market", "Archived 101 market", "Archived 100 market"])
        #expect(state.screen.last?.contains("store search: market · 3 found") == true, "\(state.screen.last ?? "")")
        // Live headlines keep coming, into the live list.
        state.apply(.headlines([headline(5, "Live 5 market", source: "tech")], now: t0.adding(milliseconds: 21_000)))
        #expect(state.listedTitles.count == 3)
        #expect(state.screen.last?.contains("1 new live") == true, "\(state.screen.last ?? "")")
        // Marks work on the results as on any list.
        let read = state.apply(.key(.char("r")))
        #expect(read == [.setRead([HeadlineKey(source: "tech", id: "tech-102")], true)])
        state.apply(.key(.char("F")))
        #expect(state.storeSearch == nil)
        #expect(state.listedTitles.first == "Live 5 market" && state.listedTitles.count == 6)
        // Esc goes back too.
        state.apply(.key(.char("F")), .storeResults(query: "market", old), .key(.escape))
        #expect(state.storeSearch == nil && state.listedTitles.count == 6)
    }

    @Test("Without a store, or without a filter, F says why and asks nothing")
    func refusals() {
        var none = state(hasStore: false)
        none.type("/market")
        none.apply(.key(.enter))
        #expect(none.apply(.key(.char("F"))).isEmpty)
        #expect(none.screen.last?.contains("no store") == true)
        var unfiltered = state()
        #expect(unfiltered.apply(.key(.char("F"))).isEmpty)
        #expect(unfiltered.screen.last?.contains("type a filter first") == true, "\(unfiltered.screen.last ?? "")")
    }
}
