import NewsCore

extension Renderer {
    /// The source picker (`s`): one row per source in the session's order, with its key
    /// (1-9 for the first nine), whether it is shown, its name in its colour, how it is
    /// doing (rate and last headline, or off, failed, stale) and its count of headlines.
    /// It scrolls with the cursor (``AppState/pickerTop``).
    static func sourcePicker(_ state: AppState, _ theme: Theme, _ grid: inout CellGrid) {
        let width = grid.columns
        let names = state.sources.names
        let height = state.pickerPageHeight
        grid.fill(row: 0, style: theme.bar)
        let titleEnd = grid.write(" Sources", row: 0, column: 0, style: theme.barTitle)
        let shown = names.count { !state.hiddenSources.contains($0) }
        let first = state.pickerTop, last = min(names.count, first + height)
        let scrolls = names.count > height
        for candidate in [
            "\(shown) of \(names.count) shown" + (scrolls ? ", \(first + 1)-\(last)" : "") + " ",
            "\(shown)/\(names.count)" + (scrolls ? " \(first + 1)-\(last)" : "") + " ",
            "\(shown)/\(names.count) ",
        ] where titleEnd + 1 + TextWidth.columns(candidate) <= width {
            grid.write(candidate, row: 0, column: width - TextWidth.columns(candidate), style: theme.barTitle)
            break
        }

        let y = grid.rows - 1
        grid.fill(row: y, style: theme.bar)
        writeHints(KeyHints.sourcePicker.enumerated().map { ($0.element.text, $0.offset) }, row: y, column: 1, theme, &grid)

        guard !names.isEmpty else {
            grid.write("no sources yet", row: 1 + min(1, height - 1), column: 2, style: theme.dim)
            return
        }
        // Columns: key, [x], name, state (when there is room), count.
        let counts = state.stats.entries.map { grouped($0.total) }
        let countWidth = max(1, counts.map { TextWidth.columns($0) }.max() ?? 1)
        let stateWidth = width >= 40 ? 14 : 0
        let nameStart = 7
        let nameEnd = max(nameStart, width - 1 - countWidth - (stateWidth > 0 ? stateWidth + 1 : 0) - 1)
        for (line, position) in (first..<last).enumerated() {
            let row = 1 + line
            let name = names[position]
            let hidden = state.hiddenSources.contains(name)
            let selected = position == state.pickerCursor
            let base = selected ? Style(reverse: true) : Style.plain
            if selected { grid.fill(row: row, style: base) }
            if position < 9 { grid.write(String(position + 1), row: row, column: 1, style: base) }
            grid.write(hidden ? "[ ]" : "[x]", row: row, column: 3, style: base)
            var nameStyle = theme.source(name)
            nameStyle.reverse = selected
            nameStyle.dim = hidden
            writeClipped(name, row: row, column: nameStart, limit: nameEnd, style: nameStyle, into: &grid)
            if stateWidth > 0 {
                let (text, problem) = sourceState(state, position: position)
                var style = hidden ? base.dimmed : base
                style.bold = problem
                writeClipped(text, row: row, column: nameEnd + 1, limit: nameEnd + 1 + stateWidth, style: style, into: &grid)
            }
            let count = position < counts.count ? counts[position] : "0"
            grid.write(count, row: row, column: width - 1 - TextWidth.columns(count), style: base)
        }
    }

    /// How a source is doing, for its picker row: "hidden", "failed", "stale 45s",
    /// "ended", or its rate and the age of its last headline ("31/m 2s"); and whether
    /// that is a problem (failed, stale: shown in bold).
    static func sourceState(_ state: AppState, position: Int) -> (text: String, problem: Bool) {
        let name = state.sources.names[position]
        let entry = position < state.stats.entries.count ? state.stats.entries[position] : SourceStats.Entry(name: name)
        let age = entry.last.map { RelativeTime.format(from: $0, to: state.now) } ?? "-"
        if state.hiddenSources.contains(name) { return ("hidden", false) }
        if state.failing[name] != nil { return ("failed", true) }
        if state.finishedSources.contains(name) && !state.feedEnded { return ("ended", false) }
        if state.isStale(entry) { return ("stale \(age)", true) }
        return ("\(state.stats.rate(entry, now: state.now))/m \(age)", false)
    }
}

extension Style {
    /// The same, dimmed.
    var dimmed: Style {
        var style = self
        style.dim = true
        return style
    }
}
