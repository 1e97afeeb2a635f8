import NewsCore

/// How wide a column of the list is.
public enum ColumnWidth: Equatable, Sendable {
    case fixed(Int)
    /// As wide as its widest content, never wider than `max`.
    case fit(content: Int, max: Int)
    /// What the other columns leave (the title's: it takes the rest of the row).
    case rest
}

/// The row a column draws into: the state, where the row is and how it looks. Made once
/// per frame and moved from row to row, so that the clock formatter's cache lasts.
struct ListRow {
    let state: AppState
    let theme: Theme
    var seq = 0
    var y = 0
    var isSelected = false
    /// The headline matches an alert: its title is in the alert colour.
    var isAlert = false
    /// The row's own style (reversed when selected), for whatever a column does not colour.
    var base = Style.plain
    var clock = LocalClockFormatter()

    init(state: AppState, theme: Theme) {
        self.state = state
        self.theme = theme
    }
}

/// One column of the list: a name, a width rule (it may depend on the screen's width and
/// the state) and how it draws one row into its cells. A new column is one entry in
/// ``ListColumns/table``.
struct ListColumn: Sendable {
    var name: String
    /// Whether the column is there at all in this state (the marks need a store, the alert mark alerts).
    var shown: @Sendable (_ state: AppState) -> Bool = { _ in true }
    /// The width rule, for the state at a screen width.
    var width: @Sendable (_ state: AppState, _ screenWidth: Int) -> ColumnWidth
    /// Draws the row into the cells `columns` of `grid`.
    var draw: @Sendable (_ row: inout ListRow, _ columns: Range<Int>, _ grid: inout CellGrid) -> Void
}

/// The list's columns, left to right, one space apart.
enum ListColumns {
    static let table: [ListColumn] = [marks, alert, age, source, title]

    /// "!" on a headline that matches an alert (only with alerts configured).
    static let alert = ListColumn(
        name: "alert",
        shown: { !$0.config.alerts.isEmpty },
        width: { _, _ in .fixed(1) },
        draw: { row, columns, grid in
            guard row.isAlert else { return }
            grid.write("!", row: row.y, column: columns.lowerBound, limit: columns.upperBound,
                       style: row.isSelected ? row.base : row.theme.alert)
        })

    /// The reader's marks in one cell: "★" starred, "●" unread (a starred one's title is
    /// bold when unread), blank read. One column on every screen: narrow ones keep it.
    static let marks = ListColumn(
        name: "marks",
        shown: { $0.config.hasStore },
        width: { _, _ in .fixed(1) },
        draw: { row, columns, grid in
            let marks = row.state.history.marks(row.seq)
            let text = marks.contains(.starred) ? "★" : marks.contains(.read) ? " " : "●"
            var style = row.base
            if row.theme.color && marks.contains(.starred) && !row.isSelected { style = Style(foreground: .yellow) }
            grid.write(text, row: row.y, column: columns.lowerBound, limit: columns.upperBound, style: style)
        })

    /// Relative age right-aligned ("4s", "12m"), or the clock time with `t`.
    static let age = ListColumn(
        name: "age",
        width: { state, screenWidth in .fixed(state.timeMode == .absolute ? 8 : (screenWidth >= 30 ? 4 : 3)) },
        draw: { row, columns, grid in
            let published = row.state.history.published(row.seq)
            let time = row.state.timeMode == .absolute
                ? row.clock.format(published)
                : RelativeTime.format(from: published, to: row.state.now)
            grid.write(String(repeating: " ", count: max(0, columns.count - time.count)) + time, row: row.y,
                       column: columns.lowerBound, limit: columns.upperBound, style: row.base)
        })

    /// The source's name in its colour: whole on a wide screen, else its first letters.
    static let source = ListColumn(
        name: "source",
        width: { state, screenWidth in
            screenWidth >= 60
                ? .fit(content: state.sources.names.map { $0.count }.max() ?? 6, max: 10)
                : .fixed(screenWidth >= 30 ? 3 : 1)
        },
        draw: { row, columns, grid in
            let source = row.state.history.source(row.seq)
            var style = row.theme.source(source)
            style.reverse = row.isSelected
            grid.write(String(sourceDisplayName(source).prefix(columns.count)), row: row.y, column: columns.lowerBound,
                       limit: columns.upperBound, style: style)
        })

    /// The title, with the filter's matches highlighted, ending in "…" where it is cut.
    static let title = ListColumn(
        name: "title",
        width: { _, _ in .rest },
        draw: { row, columns, grid in
            let query = row.state.userQuery
            let title = row.state.history.title(row.seq)
            let ranges = query.matchesEverything ? [] : query.highlights(in: title)
            let mark = row.isSelected ? Style(bold: true, underline: true, reverse: true) : row.theme.highlight
            let styleAt: ((Int) -> Style?)? = ranges.isEmpty ? nil : { offset in
                ranges.contains { $0.contains(offset) } ? mark : nil
            }
            // An unread headline's title is bold, as in newsboat.
            var style = row.base
            if row.state.config.hasStore && row.state.history.isUnread(row.seq) { style = row.theme.unread(style) }
            if row.isAlert { style = row.isSelected ? style.overlaid(by: Style(bold: true, underline: !row.theme.color)) : style.overlaid(by: row.theme.alert) }
            Renderer.writeClipped(title, row: row.y, column: columns.lowerBound, limit: columns.upperBound, style: style,
                                  styleAt: styleAt, into: &grid)
        })

    /// Where each column goes at a screen width: the fixed and fitted ones take their
    /// width, the rest goes to the flexible one.
    static func layout(_ state: AppState, screenWidth: Int, columns given: [ListColumn]? = nil) -> [(column: ListColumn, cells: Range<Int>)] {
        // The marks column is the store's: without one nothing is ever marked.
        let columns = (given ?? table).filter { $0.shown(state) }
        let rules = columns.map { $0.width(state, screenWidth) }
        func width(_ rule: ColumnWidth) -> Int {
            switch rule {
            case .fixed(let n): return n
            case .fit(let content, let limit): return min(content, limit)
            case .rest: return 0
            }
        }
        let taken = rules.reduce(0) { $0 + width($1) } + max(0, columns.count - 1)
        let rest = max(0, screenWidth - taken)
        var x = 0
        var placed: [(column: ListColumn, cells: Range<Int>)] = []
        for (column, rule) in zip(columns, rules) {
            let w = rule == .rest ? rest : width(rule)
            let end = min(screenWidth, x + w)
            placed.append((column, min(x, end)..<end))
            x = end + 1
        }
        return placed
    }
}
