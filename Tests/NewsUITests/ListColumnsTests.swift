import NewsCore
@testable import NewsUI
import Testing

/// The list's column table: where each column goes at each width.
@Suite("List columns")
struct ListColumnsTests {
    static func cells(_ state: AppState, _ width: Int, columns: [ListColumn] = ListColumns.table) -> [String: Range<Int>] {
        Dictionary(uniqueKeysWithValues: ListColumns.layout(state, screenWidth: width, columns: columns).map { ($0.column.name, $0.cells) })
    }

    @Test("marks, age, source and title, one space apart; the title takes the rest of the row")
    func widths() {
        var state = makeState(count: 3)
        #expect(Self.cells(state, 80) == ["marks": 0..<1, "age": 2..<6, "source": 7..<13, "title": 14..<80])  // "sports" is 6 wide
        #expect(Self.cells(state, 59) == ["marks": 0..<1, "age": 2..<6, "source": 7..<10, "title": 11..<59])
        #expect(Self.cells(state, 29) == ["marks": 0..<1, "age": 2..<5, "source": 6..<7, "title": 8..<29])
        state.apply(.key(.char("t")))
        #expect(Self.cells(state, 80)["age"] == 2..<10)
    }

    @Test("the marks column only with a store, the alert mark only with alerts")
    func shownColumns() {
        var config = AppConfig(sources: ["tech"], feedStart: t0, hasStore: false)
        let plain = AppState(history: History(capacity: 10), config: config, columns: 80, rows: 24, now: t0)
        #expect(Self.cells(plain, 80).keys.sorted() == ["age", "source", "title"])
        config.alerts = [AlertRule(name: "a", query: "x")]
        config.hasStore = true
        let both = AppState(history: History(capacity: 10), config: config, columns: 80, rows: 24, now: t0)
        #expect(Self.cells(both, 80) == ["marks": 0..<1, "alert": 2..<3, "age": 4..<8, "source": 9..<13, "title": 14..<80])
    }

    @Test("the source column fits the longest source name, up to 10")
    func fitWithMaximum() {
        let long = AppState(history: History(capacity: 10), config: AppConfig(sources: ["a", "technology-and-science"], feedStart: t0),
                            columns: 80, rows: 24, now: t0)
        // No store: no marks column, the age comes first.
        #expect(Self.cells(long, 80)["source"] == 5..<15)
        let short = AppState(history: History(capacity: 10), config: AppConfig(sources: ["a", "bb"], feedStart: t0),
                             columns: 80, rows: 24, now: t0)
        #expect(Self.cells(short, 80)["source"] == 5..<7)
    }

    @Test("a new column is one entry: the flexible title makes room for it")
    func newColumn() {
        let mark = ListColumn(name: "mark", width: { _, _ in .fixed(1) }, draw: { row, cells, grid in
            grid.write("*", row: row.y, column: cells.lowerBound, style: row.base)
        })
        let state = makeState(count: 3)
        let table = [ListColumns.age, mark, ListColumns.source, ListColumns.title]
        #expect(Self.cells(state, 80, columns: table) == ["age": 0..<4, "mark": 5..<6, "source": 7..<13, "title": 14..<80])
    }
}
