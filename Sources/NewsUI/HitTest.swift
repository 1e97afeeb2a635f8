/// What is at a cell of the screen, for the mouse.
public enum ScreenTarget: Equatable, Sendable {
    /// A row of the headline list: the list position (0 = newest) it shows.
    case listRow(Int)
    /// A tab of the tab row: 0 "all", i + 1 the i-th saved filter.
    case tab(Int)
}

extension Renderer {
    /// The list position that screen row `row` shows, if a headline is drawn there: the
    /// layout ``list(_:_:_:)`` draws by, so a click lands on what is shown.
    public static func listIndex(_ state: AppState, atRow row: Int) -> Int? {
        let line = row - state.listTop
        guard line >= 0, line < state.listHeight else { return nil }
        let index = state.topIndex + line
        return index < state.visibleCount ? index : nil
    }

    /// What the cell at `row`, `column` (from 0) shows that a click can act on, if anything.
    public static func hitTest(_ state: AppState, row: Int, column: Int) -> ScreenTarget? {
        guard row >= 0, column >= 0, row < state.rows, column < state.columns,
              state.columns >= minimumColumns, state.rows >= minimumRows else { return nil }
        switch state.mode {
        case .list:
            if state.showsTabs && row == 1 {
                return tabLayout(state, width: state.columns).spans.firstIndex { $0.contains(column) }.map { .tab($0) }
            }
            return listIndex(state, atRow: row).map { .listRow($0) }
        case .detail, .help, .sources: return nil
        }
    }
}
