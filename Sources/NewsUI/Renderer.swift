import NewsCore

/// The styles of the screen, in colour or (monochrome terminals, `NO_COLOR`) with
/// attributes only.
///
/// A source's colour comes from ``SourcePalette`` by its place in the session's source
/// order (``AppState/sources``), as in `--plain` output.
public struct Theme: Sendable {
    public let color: Bool
    /// The session's sources in order, for their colours.
    public let sources: SourceOrder
    /// The config file's `[colors]`: element styles and source colours over the defaults.
    public let colors: ThemeColors

    public init(color: Bool, sources: SourceOrder = SourceOrder(), colors: ThemeColors = ThemeColors()) {
        self.color = color
        self.sources = sources
        self.colors = colors
    }

    /// The screen colour of a palette hue.
    public static func color(_ hue: SourceColor.Hue) -> Color {
        switch hue {
        case .red: return .red
        case .green: return .green
        case .yellow: return .yellow
        case .magenta: return .magenta
        case .cyan: return .cyan
        }
    }

    /// A source's colour: the config's, else its place in the palette.
    private func sourceStyle(_ name: String) -> Style {
        if let given = colors.sources[name] { return given }
        let palette = sources.color(of: name)
        return Style(foreground: Theme.color(palette.hue), bold: palette.bold)
    }

    /// A source's tag in the list (and its name in the detail view and the source picker).
    public func source(_ name: String) -> Style {
        guard color else { return Style(bold: true) }
        return sourceStyle(name)
    }

    /// An element's style in colour: the config's, else the default.
    /// The bar's parts follow a bar given alone: its background, and the title its foreground.
    public func element(_ element: ThemeElement) -> Style {
        if let given = colors.elements[element] { return given }
        var style = element.defaultStyle
        if let bar = colors.elements[.bar], [.barTitle, .barDim, .barAlert].contains(element) {
            style.background = bar.background
            if element == .barTitle { style.foreground = bar.foreground }
        }
        return style
    }

    /// Header and status bars.
    public var bar: Style { color ? element(.bar) : Style(reverse: true) }
    public var barTitle: Style { color ? element(.barTitle) : Style(bold: true, reverse: true) }
    public func barSource(_ name: String) -> Style {
        guard color else { return Style(bold: true, reverse: true) }
        var style = sourceStyle(name)
        style.background = element(.bar).background
        style.bold = true
        return style
    }
    public var barDim: Style { color ? element(.barDim) : Style(reverse: true, dim: true) }
    public var barAlert: Style { color ? element(.barAlert) : Style(bold: true, reverse: true) }
    /// Matched terms in titles.
    public var highlight: Style { color ? element(.highlight) : Style(bold: true, underline: true) }
    /// The selected row of the list and the sources screen.
    public var selected: Style { color ? element(.selected) : Style(reverse: true) }
    /// What an unread title adds to its row's style.
    public func unread(_ base: Style) -> Style {
        color && !base.reverse ? base.overlaid(by: element(.unread)) : Style(foreground: base.foreground, background: base.background, bold: true,
                                                                             underline: base.underline, reverse: base.reverse, dim: base.dim)
    }
    public var label: Style { Style(bold: true) }
    public var dim: Style { Style(dim: true) }
    /// The tab row: a saved filter, the current one, and the alerts' count or an alert's mark.
    public var tab: Style { color ? element(.tab) : Style.plain }
    public var tabCurrent: Style { color ? element(.tabCurrent) : Style(bold: true, reverse: true) }
    /// A headline that matched an alert (its mark, and its title over the row's style).
    public var alert: Style { color ? element(.alert) : Style(bold: true, underline: true) }
}

/// Draws an ``AppState`` into a ``CellGrid``: header, list, status line, or the detail
/// and help views. Pure: the same state gives the same grid.
public enum Renderer {
    /// Below this the app shows only "terminal too small".
    public static let minimumColumns = 20
    public static let minimumRows = 5

    public static func render(_ state: AppState) -> CellGrid {
        var grid = CellGrid(columns: state.columns, rows: state.rows)
        render(state, into: &grid)
        return grid
    }

    public static func render(_ state: AppState, into grid: inout CellGrid) {
        if grid.columns != state.columns || grid.rows != state.rows {
            grid = CellGrid(columns: state.columns, rows: state.rows)
        } else {
            for row in 0..<grid.rows { grid.fill(row: row, style: .plain) }
        }
        grid.cursor = nil
        guard grid.rows > 0 && grid.columns > 0 else { return }
        if state.columns < minimumColumns || state.rows < minimumRows {
            grid.write("terminal too small", row: 0, column: 0)
            return
        }
        let theme = Theme(color: state.config.color, sources: state.sources, colors: state.config.colors)
        switch state.mode {
        case .list:
            header(state, theme, &grid)
            if state.showsTabs { tabs(state, theme, &grid) }
            list(state, theme, &grid)
            status(state, theme, &grid)
        case .detail:
            detail(state, theme, &grid)
        case .help:
            help(state, theme, &grid)
        case .sources:
            sourcePicker(state, theme, &grid)
        }
    }

    // MARK: header

    static func header(_ state: AppState, _ theme: Theme, _ grid: inout CellGrid) {
        grid.fill(row: 0, style: theme.bar)
        let width = grid.columns
        let title = " newsdesk "
        var x = 0

        // Right-hand side first: what most needs seeing.
        var alert: String?
        if state.paused {
            alert = "paused, \(grouped(state.newWhilePaused)) new"
        } else if state.newAbove > 0 {
            alert = "\(grouped(state.newAbove)) new above"
        }
        if state.dropped > 0 {
            let text = "\(grouped(state.dropped)) dropped"
            alert = alert.map { "\($0) · \(text)" } ?? text
        }
        if state.feedEnded {
            // One live source (standard input, say) ended: name it, so the input's end is plain.
            let names = state.sources.names
            let text = state.config.replay ? "replay ended" : names.count == 1 ? "\(names[0]) ended" : "feed ended"
            alert = alert.map { "\($0) · \(text)" } ?? text
        }
        let shown = grouped(state.visibleCount), total = grouped(state.history.count)
        // What is unread in the whole history (not just what is listed), then the counts alone.
        let unread = "\(grouped(state.history.unreadCount)) unread"
        let countsPlainLong = "\(shown) of \(total) shown", countsTiny = "\(shown)/\(total)"
        // Without a store nothing is marked: no unread count.
        let countsLong = state.config.hasStore ? "\(countsPlainLong) · \(unread)" : countsPlainLong
        let countsShort = state.config.hasStore ? "\(countsTiny) · \(unread)" : countsTiny
        // The filter as typed: hidden sources show as sources, not as query text.
        let filterText = state.filterText.isEmpty ? "" : "/\(state.filterText)"
        // The marks filter (u, *) narrows the list as the filter does, and shows in every
        // layout that has room for anything: "unread only", on a narrow screen "u only".
        let marks = state.marksFilter
        let marksText = marks.isAny ? "" : width >= 60 ? marks.description
            : (marks.unreadOnly ? "u" : "") + (marks.starredOnly ? "★" : "") + " only"
        let marksWidth = marksText.isEmpty ? 0 : TextWidth.columns(marksText) + 1

        enum Problem { case failed, stale }
        /// A source's label at three widths: `long` says everything ("dead failed: connection
        /// refused"), `medium` the name and a word ("dead failed"), `short` the shortest prefix
        /// that tells the source from the others ("de failed").
        struct SourceLabel {
            var name: String; var long: String; var medium: String; var short: String; var hidden: Bool; var problem: Problem? = nil
            init(name: String, long: String, medium: String? = nil, short: String, hidden: Bool, problem: Problem? = nil) {
                self.name = name
                self.long = long
                self.medium = medium ?? long
                self.short = short
                self.hidden = hidden
                self.problem = problem
            }
            func text(_ level: Level) -> String { level == .long ? long : level == .medium ? medium : short }
        }
        enum Level: Equatable { case long, medium, short }
        let names = state.sources.names
        let prefixes = Self.uniquePrefixes(names)
        let sources: [SourceLabel] = names.indices.map { i in
            let name = names[i]
            let entry = i < state.stats.entries.count ? state.stats.entries[i] : SourceStats.Entry(name: name)
            let initial = prefixes[i]
            if state.hiddenSources.contains(name) { return SourceLabel(name: name, long: "\(name) off", short: "\(initial) off", hidden: true) }
            let rate = state.stats.rate(entry, now: state.now)
            let age = entry.last.map { RelativeTime.format(from: $0, to: state.now) } ?? "-"
            if state.finishedSources.contains(name) && !state.feedEnded {
                return SourceLabel(name: name, long: "\(name) ended", short: "\(initial) ended", hidden: false)
            }
            if let error = state.failing[name] {
                let text = TerminalSafe.sanitize(String(error.prefix(40)))
                return SourceLabel(name: name, long: "\(name) failed: \(text)", medium: "\(name) failed", short: "\(initial) failed",
                                   hidden: false, problem: .failed)
            }
            if state.isStale(entry) {
                return SourceLabel(name: name, long: "\(name) stale \(age)", short: "\(initial) stale", hidden: false, problem: .stale)
            }
            return SourceLabel(name: name, long: "\(name) \(rate)/m \(age)", short: "\(initial) \(rate)/m \(age)", hidden: false)
        }

        // The sources as labels: every one (long or short); or the first ones that fit and
        // "+41 more, 3 off" for the rest; or only the hidden ones in one label ("s w off",
        // "12 off"): what narrows the list shows as long as it can.
        enum SourcesShown: Equatable { case all(Level), first(Level), hiddenOnly, none }
        let hiddenCount = sources.count { $0.hidden }
        let hiddenText = hiddenCount > 3 ? "\(hiddenCount) off" : sources.indices.filter { sources[$0].hidden }.map { prefixes[$0] }.joined(separator: " ") + " off"
        let hiddenLabel = hiddenCount == 0 ? [] : [SourceLabel(name: "", long: hiddenText, short: hiddenText, hidden: true)]
        /// "+41 more", or with counts when some are not well: "+41 more: 37 ok, 3 off, 1 failing".
        func moreLabel(from first: Int) -> SourceLabel {
            let rest = sources[first...]
            var parts: [String] = []
            let off = rest.count { $0.hidden }, failed = rest.count { $0.problem == .failed }, stale = rest.count { $0.problem == .stale }
            if off + failed + stale > 0 { parts.append("\(rest.count - off - failed - stale) ok") }
            if off > 0 { parts.append("\(off) off") }
            if failed > 0 { parts.append("\(failed) failing") }
            if stale > 0 { parts.append("\(stale) stale") }
            let text = "+\(rest.count) more" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
            return SourceLabel(name: "", long: text, short: text, hidden: false, problem: failed + stale > 0 ? .failed : nil)
        }
        func labelWidth(_ label: SourceLabel, _ level: Level) -> Int { TextWidth.columns(label.text(level)) + 2 }
        /// The labels of a layout that fit in `room` columns, if it can fit at all.
        func labels(_ shown: SourcesShown, room: Int) -> [SourceLabel]? {
            let chosen: [SourceLabel]
            switch shown {
            case .all(let level):
                guard sources.reduce(0, { $0 + labelWidth($1, level) }) <= room else { return nil }
                return sources
            case .first(let level):
                // As many as fit with the "+N more" label after them (at least one).
                var used = 0, count = 0
                while count < sources.count - 1 {
                    let next = used + labelWidth(sources[count], level)
                    if next + labelWidth(moreLabel(from: count + 1), level) > room { break }
                    used = next
                    count += 1
                }
                guard count > 0 else { return nil }
                chosen = Array(sources[..<count]) + [moreLabel(from: count)]
            case .hiddenOnly:
                chosen = hiddenLabel
            case .none:
                chosen = []
            }
            return chosen.reduce(0, { $0 + labelWidth($1, .long) }) <= room ? chosen : nil
        }
        // Try layouts from richest to barest until one fits.
        let alertWidth = alert.map { TextWidth.columns($0) + 2 } ?? 0
        // The last resort for hidden sources (a very narrow screen) is the app's name.
        // The unread count gives way to the sources' labels in full (a failing one's reason),
        // and to any source label at all, but not to their medium and short forms.
        let layouts: [(counts: String, sources: SourcesShown, filter: Bool, title: Bool)] = [
            (countsLong, .all(.long), true, true), (countsShort, .all(.long), true, true),
            (countsPlainLong, .all(.long), true, true), (countsTiny, .all(.long), true, true),
            (countsLong, .all(.medium), true, true), (countsShort, .all(.medium), true, true),
            (countsShort, .all(.short), true, true), (countsShort, .all(.short), false, true),
            (countsShort, .first(.long), true, true), (countsShort, .first(.medium), true, true), (countsShort, .first(.short), true, true),
            (countsTiny, .all(.medium), true, true), (countsTiny, .all(.short), true, true), (countsTiny, .all(.short), false, true),
            (countsTiny, .first(.long), true, true), (countsTiny, .first(.medium), true, true), (countsTiny, .first(.short), true, true),
            (countsShort, .hiddenOnly, true, true), (countsShort, .hiddenOnly, false, true),
            (countsTiny, .hiddenOnly, true, true), (countsTiny, .hiddenOnly, false, true), (countsTiny, .hiddenOnly, false, false),
            (countsShort, .none, true, true), (countsShort, .none, false, true),
            (countsTiny, .none, true, true), (countsTiny, .none, false, true), (countsTiny, .none, false, false),
        ]
        var chosen: (counts: String, sources: SourcesShown, filter: Bool, title: Bool, labels: [SourceLabel]) = (countsTiny, .none, false, false, [])
        for layout in layouts where layout.sources != .hiddenOnly || hiddenCount > 0 {
            let need = (layout.title ? TextWidth.columns(title) : 0) + TextWidth.columns(layout.counts) + 2 + alertWidth + marksWidth
                + (layout.filter && !filterText.isEmpty ? min(TextWidth.columns(filterText), 24) + 2 : 0)
            if let fitting = labels(layout.sources, room: width - need) {
                chosen = (layout.counts, layout.sources, layout.filter, layout.title, fitting)
                break
            }
        }
        if chosen.title { x = grid.write(title, row: 0, column: 0, style: theme.barTitle) }
        if chosen.filter && !filterText.isEmpty {
            let limit = x + min(TextWidth.columns(filterText), 24) + 1
            x = writeClipped(filterText, row: 0, column: x + 1, limit: limit, style: theme.barTitle, into: &grid) + 1
        }
        if !marksText.isEmpty { x = grid.write(" " + marksText, row: 0, column: x, style: theme.barTitle) }
        x = grid.write(" " + chosen.counts + " ", row: 0, column: x, style: theme.bar)
        let level: Level = switch chosen.sources {
        case .all(let l), .first(let l): l
        case .hiddenOnly, .none: .long
        }
        for label in chosen.labels {
            let style = label.hidden ? theme.barDim : label.problem != nil ? theme.barAlert : label.name.isEmpty ? theme.bar : theme.barSource(label.name)
            x = grid.write(" " + label.text(level) + " ", row: 0, column: x, style: style)
        }
        if let alert {
            let start = max(x, width - TextWidth.columns(alert) - 1)
            grid.write(alert, row: 0, column: start, style: theme.barAlert)
        }
    }

    // MARK: list

    static func list(_ state: AppState, _ theme: Theme, _ grid: inout CellGrid) {
        let height = state.listHeight
        let count = state.visibleCount
        if count == 0 {
            let text = state.history.count == 0 ? "waiting for headlines…" : "no headlines match the filter"
            grid.write(text, row: state.listTop + min(1, max(0, height - 1)), column: 2, style: theme.dim)
            return
        }
        let columns = ListColumns.layout(state, screenWidth: grid.columns)
        let selectedIndex = state.selectedIndex
        var row = ListRow(state: state, theme: theme)
        for line in 0..<height {
            // The layout the mouse's hit test reads too (HitTest.swift).
            guard let index = listIndex(state, atRow: state.listTop + line) else { break }
            row.seq = state.seq(atIndex: index)
            row.y = state.listTop + line
            row.isSelected = index == selectedIndex
            row.isAlert = state.isAlert(row.seq)
            row.base = row.isSelected ? theme.selected : Style.plain
            if row.isSelected { grid.fill(row: row.y, style: row.base) }
            for (column, cells) in columns { column.draw(&row, cells, &grid) }
        }
    }

    // MARK: tabs

    /// The row under the header when there are saved filters or alerts: "all" and each
    /// saved filter with its count, the current one marked; the alerts' count at the right.
    /// Too narrow for the counts, the names alone; then as many as fit.
    static func tabs(_ state: AppState, _ theme: Theme, _ grid: inout CellGrid) {
        let y = 1
        let width = grid.columns
        let layout = tabLayout(state, width: width)
        let current = state.currentTab
        for (i, label) in layout.labels.enumerated() {
            writeClipped(label, row: y, column: layout.spans[i].lowerBound, limit: layout.spans[i].upperBound,
                         style: i == current ? theme.tabCurrent : theme.tab, into: &grid)
        }
        if !layout.alerts.isEmpty {
            grid.write(layout.alerts, row: y, column: width - TextWidth.columns(layout.alerts),
                       style: state.alertCount > 0 ? theme.alert : theme.dim)
        }
    }

    /// Where the tabs go (the same for drawing and for a click): each tab's label and its
    /// columns, and the alerts' count at the right. Too narrow for the counts, the names
    /// alone; then as many as fit, the last one cut.
    static func tabLayout(_ state: AppState, width: Int) -> (labels: [String], spans: [Range<Int>], alerts: String) {
        var alerts = state.config.alerts.isEmpty ? "" : " \(grouped(state.alertCount)) " + (state.alertCount == 1 ? "alert " : "alerts ")
        if TextWidth.columns(alerts) >= width { alerts = "" }
        let counts = state.tabCounts
        func label(_ i: Int, counted: Bool) -> String {
            let name = TerminalSafe.sanitize(counts[i].name)
            return counted ? " \(name) \(grouped(counts[i].count)) " : " \(name) "
        }
        let room = width - TextWidth.columns(alerts) - 1
        let counted = counts.indices.reduce(0) { $0 + TextWidth.columns(label($1, counted: true)) } <= room
        var labels: [String] = [], spans: [Range<Int>] = []
        var x = 0
        for i in counts.indices where x < room {
            let text = label(i, counted: counted)
            let end = min(room, x + TextWidth.columns(text))
            labels.append(text)
            spans.append(x..<end)
            x = end
        }
        return (labels, spans, alerts)
    }

    /// Writes `text`, ending with "…" at the limit if it does not fit (a cell is never
    /// split: see ``CellGrid/write``). Returns the column after what was written.
    @discardableResult
    static func writeClipped(_ text: String, row: Int, column: Int, limit: Int, style: Style,
                             styleAt: ((Int) -> Style?)? = nil, into grid: inout CellGrid) -> Int {
        guard limit > column else { return column }
        return grid.write(text, row: row, column: column, limit: limit, style: style, ellipsis: true, styleAt: styleAt)
    }

    // MARK: status line

    static func status(_ state: AppState, _ theme: Theme, _ grid: inout CellGrid) {
        let y = grid.rows - 1
        grid.fill(row: y, style: theme.bar)
        let width = grid.columns
        if let editor = state.editor {
            var right = counted(state.visibleCount, "match", "matches")
            if let problem = state.userQuery.problems.first { right = "\(problem.message) · " + right }
            let rightWidth = min(TextWidth.columns(right), max(0, width / 2))
            let fieldEnd = width - rightWidth - 2
            var x = grid.write("/", row: y, column: 0, style: theme.barTitle)
            // Scroll the field so that the cursor stays visible.
            let characters = Array(editor.text)
            let cursor = min(editor.cursor, characters.count)
            var start = 0
            func widthOf(_ range: Range<Int>) -> Int { characters[range].reduce(0) { $0 + TextWidth.columns($1) } }
            while start < cursor && widthOf(start..<cursor) >= fieldEnd - x { start += 1 }
            let visible = String(characters[start...])
            let cursorColumn = x + widthOf(start..<cursor)
            x = grid.write(visible, row: y, column: x, limit: fieldEnd, style: theme.barTitle)
            // The editor's own keys, where the text leaves room for them.
            let keys = KeyHints.line(KeyHints.filterEditor, state.config.keys)
            if fieldEnd - 1 - x >= TextWidth.columns(keys) + 2 {
                grid.write(keys, row: y, column: fieldEnd - 1 - TextWidth.columns(keys), style: theme.bar)
            }
            grid.cursor = (y, min(cursorColumn, max(0, width - 1)))
            writeClipped(right, row: y, column: width - rightWidth - 1, limit: width, style: theme.bar, into: &grid)
            return
        }
        if let message = state.message {
            writeClipped(" " + message.text, row: y, column: 0, limit: width, style: theme.barAlert, into: &grid)
            return
        }
        // The store's results in place of the live list: what they are, and the way back.
        if let query = state.storeSearch {
            var text = " store search: \(query) · \(state.history.count) found"
            if state.arrivedWhileSearching > 0 { text += " · \(state.arrivedWhileSearching) new live" }
            // The way back, by the keys in force.
            let back = [Operation.searchStore, .leaveSearch].compactMap { state.config.keys.keys($0, in: .list).first?.description }
            if !back.isEmpty { text += " · " + back.joined(separator: " or ") + " back" }
            writeClipped(text, row: y, column: 0, limit: width, style: theme.barTitle, into: &grid)
            return
        }
        // Nothing shown is being kept: that stays said, not only for a message's seconds.
        if let problem = state.storeProblem {
            writeClipped(" not kept: " + problem, row: y, column: 0, limit: width, style: theme.barAlert, into: &grid)
            return
        }
        if let replay = state.replay {
            progress(replay, state.config.keys, theme, row: y, &grid)
            return
        }
        // The keys that mean something now, each with a rank: where they do not all fit,
        // the highest ranks go first ("Space resume" while paused stays with "/ filter").
        // An operation with no key is left out.
        var hints: [(text: String, rank: Int)] = []
        func hint(_ op: Operation, _ name: String? = nil, rank: Int) {
            if let text = KeyHint(op, in: .list, name: name).text(state.config.keys) { hints.append((text, rank)) }
        }
        hint(.editFilter, rank: 0)
        // With saved filters, the key to their tabs.
        if !state.config.filters.isEmpty { hint(.nextFilter, "filters", rank: 5) }
        if !state.filterText.isEmpty { hint(.clearFilter, rank: 5) }
        if !state.following && !state.paused { hint(.newest, rank: 6) }
        if state.paused { hint(.pause, "resume", rank: 0) } else { hint(.pause, rank: 3) }
        hint(.open, rank: 4)
        if !state.sources.names.isEmpty { hint(.sourcePicker, rank: 7) }
        hint(.toggleTime, rank: 8)
        hint(.help, rank: 1)
        hint(.quit, rank: 2)
        writeHints(hints, row: y, column: 1, theme, &grid)
    }

    /// Writes hints two columns apart, dropping the highest-ranked (last first) until they fit.
    static func writeHints(_ hints: [(text: String, rank: Int)], row y: Int, column: Int, _ theme: Theme, _ grid: inout CellGrid) {
        var hints = hints
        func width() -> Int { hints.reduce(0) { $0 + TextWidth.columns($1.text) } + 2 * max(0, hints.count - 1) }
        while !hints.isEmpty && column + width() > grid.columns {
            let worst = hints.map(\.rank).max()!
            hints.remove(at: hints.lastIndex { $0.rank == worst }!)
        }
        var x = column
        for hint in hints { x = grid.write(hint.text, row: y, column: x, style: theme.bar) + 2 }
    }

    /// The replay's progress line: state, position / duration, percentage, speed, keys.
    static func progress(_ replay: ReplayStatus, _ keys: KeyMap, _ theme: Theme, row y: Int, _ grid: inout CellGrid) {
        let width = grid.columns
        let mark = replay.ended ? "■" : replay.paused ? "⏸" : "▶"
        // The replay's clock runs on past the last event; the position shown stops there.
        let played = replay.duration.map { min(replay.position, $0) } ?? replay.position
        var text = " \(mark) \(DurationText.format(played))"
        if let duration = replay.duration, duration > 0 {
            let percent = min(100, Int(Double(played) * 100 / Double(duration)))
            text += " / \(DurationText.format(duration))  \(percent)%"
        } else {
            text += " / …"
        }
        text += "  " + (replay.speed.isInfinite ? "max" : "×" + Self.speedText(replay.speed))
        var x = grid.write(text, row: y, column: 0, style: theme.barTitle)
        if replay.skipped > 0 {
            x = grid.write("  " + counted(replay.skipped, "bad line", "bad lines") + " skipped", row: y, column: x, style: theme.barAlert)
        }
        x += 2
        for hint in KeyHints.replay(paused: replay.paused).compactMap({ $0.text(keys) }) {
            let w = TextWidth.columns(hint)
            if x + w > width { break }
            x = grid.write(hint, row: y, column: x, style: theme.bar) + 2
        }
    }

    static func speedText(_ speed: Double) -> String {
        if speed >= 1 && speed == speed.rounded() { return String(Int(speed)) }
        var text = String(format: "%.3f", speed)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    // MARK: detail view

    /// A full-screen page's top bar (its title) and bottom bar (its keys).
    static func page(title: String, keys: String, _ theme: Theme, _ grid: inout CellGrid) {
        let width = grid.columns
        grid.fill(row: 0, style: theme.bar)
        writeClipped(title, row: 0, column: 0, limit: width, style: theme.barTitle, into: &grid)
        grid.fill(row: grid.rows - 1, style: theme.bar)
        writeClipped(keys, row: grid.rows - 1, column: 0, limit: width, style: theme.bar, into: &grid)
    }

    static func detail(_ state: AppState, _ theme: Theme, _ grid: inout CellGrid) {
        let width = grid.columns
        // The title bar says whether it is read and starred (r and s change them here too).
        var title = " Headline"
        if state.config.hasStore, let seq = state.selected, state.history.contains(seq: seq) {
            let marks = state.history.marks(seq)
            title += marks.contains(.read) ? " · read" : " · unread"
            if marks.contains(.starred) { title += " · ★ starred" }
        }
        page(title: title, keys: " " + KeyHints.line(KeyHints.detail, state.config.keys), theme, &grid)
        guard let seq = state.selected, state.history.contains(seq: seq) else { return }
        let headline = state.history.headline(seq)
        var row = 2
        let bottom = grid.rows - 2
        for line in wrap(headline.title, width: width - 4) {
            guard row <= bottom else { break }
            grid.write(line, row: row, column: 2, style: theme.label)
            row += 1
        }
        row += 1
        var clock = LocalClockFormatter()
        let published = headline.published
        let localDay = LocalDate.format(published)
        let age = RelativeTime.format(from: published, to: state.now)
        // The fixed rows, each followed by the optional fields listed after it (HeadlineField).
        func listed(after row: HeadlineField.DetailRow) -> [(String, String, Style)] {
            HeadlineField.listed(after: row).filter { headline[$0] != nil || $0.shownWhenMissing }
                .map { ($0.label, headline[$0] ?? "—", .plain) }
        }
        let fields: [(String, String, Style)] =
            [("Source", sourceDisplayName(headline.source), theme.source(headline.source))] + listed(after: .source)
            + [("Published", "\(localDay) \(clock.format(published)) (\(age == "now" ? "just now" : age + " ago"))", .plain)]
            + listed(after: .published) + [("ID", headline.id, .plain)] + listed(after: .id)
        let labelWidth = 11
        for (label, value, style) in fields {
            guard row <= bottom else { break }
            grid.write(label, row: row, column: 2, style: theme.dim)
            let lines = wrap(value, width: width - labelWidth - 3)
            for line in lines {
                guard row <= bottom else { break }
                grid.write(line, row: row, column: 2 + labelWidth, style: style)
                row += 1
            }
        }
    }

    // MARK: help

    static func help(_ state: AppState, _ theme: Theme, _ grid: inout CellGrid) {
        let width = grid.columns
        let lines = HelpPage.lines(columns: width, replay: state.config.replay, keys: state.config.keys)
        let height = grid.rows - 2
        let first = max(0, min(state.helpScroll, lines.count - height))
        page(title: " Help", keys: " " + KeyHints.line(KeyHints.help, state.config.keys), theme, &grid)
        if lines.count > height {
            // Where the page is in the help.
            let last = min(lines.count, first + height)
            var position = "lines \(first + 1)-\(last) of \(lines.count) "
            if TextWidth.columns(position) + 6 > width { position = "\(first + 1)-\(last)/\(lines.count) " }
            grid.write(position, row: 0, column: max(0, width - TextWidth.columns(position)), style: theme.barTitle)
        }
        let textColumn = HelpPage.keyWidth(columns: width) + 2
        for (row, line) in lines.dropFirst(first).prefix(height).enumerated() {
            if line.heading {
                writeClipped(line.text, row: 1 + row, column: 1, limit: width, style: theme.label, into: &grid)
                continue
            }
            writeClipped(line.key, row: 1 + row, column: 1, limit: width - 1, style: theme.label, into: &grid)
            grid.write(line.text, row: 1 + row, column: textColumn)
        }
    }

    // MARK: text helpers

    /// "1 match", "14 matches".
    static func counted(_ n: Int, _ one: String, _ many: String) -> String { CountText.counted(n, one, many) }

    /// Word-wraps `text` to lines of at most `width` display columns (words longer than a
    /// line are cut), at cell boundaries as ``CellGrid/write`` lays them out. The lines are
    /// the text made terminal-safe (a control character is its placeholder, cut like any
    /// text); a joiner that would end a line is left out (it joins nothing there).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        let safe = TerminalSafe.sanitize(text)
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        func endLine() {
            while let last = line.unicodeScalars.last, last.value == 0x200D || last.value == 0x200C { line.unicodeScalars.removeLast() }
            lines.append(line)
            line = ""
            lineWidth = 0
        }
        for word in safe.split(separator: " ", omittingEmptySubsequences: true) {
            var word = word
            var wordWidth = TextWidth.columns(String(word))
            if lineWidth > 0 && lineWidth + 1 + wordWidth > width { endLine() }
            while wordWidth > width - lineWidth - (lineWidth > 0 ? 1 : 0) {
                // Cut a long word at the line's end, between two cells.
                let room = width - lineWidth - (lineWidth > 0 ? 1 : 0)
                let cut = TextWidth.prefix(of: word, fitting: room)
                if cut.end == word.startIndex {
                    if lineWidth > 0 { endLine(); continue }
                    break  // not even one cell fits in a whole line
                }
                line += (lineWidth > 0 ? " " : "") + word[..<cut.end]
                endLine()
                word = word[cut.end...]
                wordWidth = TextWidth.columns(String(word))
            }
            if word.isEmpty { continue }
            line += (lineWidth > 0 ? " " : "") + word
            lineWidth += (lineWidth > 0 ? 1 : 0) + wordWidth
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// 1234567 -> "1,234,567" (the same in every locale, like the rest of the screen).
    public static func grouped(_ n: Int) -> String { CountText.grouped(n) }
}

func grouped(_ n: Int) -> String { Renderer.grouped(n) }

extension Renderer {
    /// For each name, its shortest prefix that is no other name's prefix (`tech sports world`:
    /// `t s w`; `ok-feed one`: `ok on`); a name that is another's prefix is itself whole.
    public static func uniquePrefixes(_ names: [String]) -> [String] {
        names.enumerated().map { i, name in
            let chars = Array(name)
            var length = 1
            while length < chars.count {
                let prefix = String(chars[..<length])
                if !names.enumerated().contains(where: { $0.offset != i && $0.element.hasPrefix(prefix) }) { break }
                length += 1
            }
            return String(chars.prefix(max(1, length)))
        }
    }
}
