import Foundation
import NewsCore
import NewsUI

let t0 = Timestamp(milliseconds: 1_767_258_000_000)  // 2026-01-01T09:00:00Z

/// A headline for tests: source by index, title given.
func headline(_ n: Int, _ title: String, source: String? = nil, at offset: Int64? = nil) -> Arrival {
    let name = source ?? ["tech", "sports", "world"][n % 3]
    let off = offset ?? Int64(n) * 1000
    return Arrival(offset: off, headline: Headline(
        id: "\(name)-\(n)", source: name, title: title, published: t0.adding(milliseconds: off),
        outlet: "Kernel Post"))
}

/// An app state at a size, with headlines 0..<count ("Headline n" plus a word from `words`).
func makeState(count: Int = 30, columns: Int = 80, rows: Int = 24, capacity: Int = 1000, color: Bool = true,
               replay: Bool = false, sources: [String] = ["tech", "sports", "world"], hasStore: Bool = true,
               titles: ((Int) -> String)? = nil) -> AppState {
    let history = History(capacity: capacity, chunkSize: 16)
    var state = AppState(history: history, config: AppConfig(sources: sources, feedStart: t0, color: color, replay: replay, hasStore: hasStore),
                         columns: columns, rows: rows, now: t0)
    let words = ["goal", "market", "storm", "chip", "final"]
    let batch = (0..<count).map { n in headline(n, titles?(n) ?? "Headline \(n) \(words[n % words.count])") }
    _ = state.handle(.headlines(batch, now: t0.adding(milliseconds: Int64(count) * 1000)))
    return state
}

extension AppState {
    /// Applies events in order; returns all effects.
    @discardableResult
    mutating func apply(_ events: AppEvent...) -> [AppEffect] {
        events.flatMap { handle($0) }
    }

    mutating func type(_ text: String) {
        for c in text { _ = handle(.key(.char(c))) }
    }

    /// Titles of the listed rows, top first.
    var listedTitles: [String] {
        (0..<visibleCount).map { history.title(seq(atIndex: $0)) }
    }

    var selectedTitle: String? { selected.map { history.title($0) } }

    /// The rendered screen's lines.
    var screen: [String] { Renderer.render(self).text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
}
