import NewsCore

/// The styles of the screen, in colour or (monochrome terminals, `NO_COLOR`) with
/// attributes only.
public struct Theme: Sendable {
    public let color: Bool

    public init(color: Bool) { self.color = color }

    public static func sourceColor(_ source: String) -> Color {
        switch source {
        case "tech": return .cyan
        case "sports": return .green
        case "world": return .yellow
        default: return .magenta
        }
    }

    /// A source's tag in the list.
    public func source(_ name: String) -> Style {
        color ? Style(foreground: Theme.sourceColor(name)) : Style(bold: true)
    }

    /// Header and status bars.
    public var bar: Style { color ? Style(foreground: .white, background: .blue) : Style(reverse: true) }
    public var barTitle: Style { color ? Style(foreground: .white, background: .blue, bold: true) : Style(bold: true, reverse: true) }
    public func barSource(_ name: String) -> Style {
        color ? Style(foreground: Theme.sourceColor(name), background: .blue, bold: true) : Style(bold: true, reverse: true)
    }
    public var barDim: Style { color ? Style(foreground: .black, background: .blue) : Style(reverse: true, dim: true) }
    public var barAlert: Style { color ? Style(foreground: .yellow, background: .blue, bold: true) : Style(bold: true, reverse: true) }
    /// Matched terms in titles.
    public var highlight: Style { color ? Style(foreground: .black, background: .yellow) : Style(bold: true, underline: true) }
    public var label: Style { Style(bold: true) }
    public var dim: Style { Style(dim: true) }
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
        let theme = Theme(color: state.config.color)
        switch state.mode {
        case .list:
            header(state, theme, &grid)
            list(state, theme, &grid)
            status(state, theme, &grid)
        case .detail:
            detail(state, theme, &grid)
        case .help:
            help(state, theme, &grid)
        }
    }

    // MARK: header

    static func header(_ state: AppState, _ theme: Theme, _ grid: inout CellGrid) {
        grid.fill(row: 0, style: theme.bar)
        let width = grid.columns
        var x = grid.write(" newsdesk ", row: 0, column: 0, style: theme.barTitle)

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
        let shown = grouped(state.visibleCount), total = grouped(state.history.count)
        let countsLong = "\(shown) of \(total) shown", countsShort = "\(shown)/\(total)"
        let filter = state.effectiveQuery.text
        let filterText = filter.isEmpty ? "" : "/\(filter)"

        struct SourceLabel { var name: String; var long: String; var short: String; var hidden: Bool; var alert = false }
        let sources: [SourceLabel] = state.stats.entries.map { entry in
            let hidden = state.hiddenSources.contains(entry.name)
            if hidden { return SourceLabel(name: entry.name, long: "\(entry.name) off", short: "\(entry.name.prefix(1)) off", hidden: true) }
            let rate = state.stats.rate(entry, now: state.now)
            let age = entry.last.map { RelativeTime.format(from: $0, to: state.now) } ?? "-"
            if let error = state.failing[entry.name] {
                let text = TerminalSafe.sanitize(String(error.prefix(40)))
                return SourceLabel(name: entry.name, long: "\(entry.name) failed: \(text)", short: "\(entry.name.prefix(1)) failed", hidden: false, alert: true)
            }
            if state.isStale(entry) {
                return SourceLabel(name: entry.name, long: "\(entry.name) stale \(age)", short: "\(entry.name.prefix(1)) stale", hidden: false, alert: true)
            }
            return SourceLabel(name: entry.name, long: "\(entry.name) \(rate)/m \(age)", short: "\(entry.name.prefix(1)) \(rate)/m \(age)", hidden: false)
        }

        // Try layouts from richest to barest until one fits.
        func sourcesWidth(_ long: Bool) -> Int {
            sources.reduce(0) { $0 + TextWidth.columns(long ? $1.long : $1.short) + 2 }
        }
        let alertWidth = alert.map { TextWidth.columns($0) + 2 } ?? 0
        let available = width - x
        let layouts: [(counts: String, sources: Bool?, filter: Bool)] = [
            (countsLong, true, true), (countsShort, true, true), (countsShort, false, true),
            (countsShort, false, false), (countsShort, nil, true), (countsShort, nil, false),
        ]
        var chosen = (counts: countsShort, sources: Bool?.none, filter: false)
        for layout in layouts {
            let need = TextWidth.columns(layout.counts) + 2 + alertWidth
                + (layout.sources.map { sourcesWidth($0) } ?? 0)
                + (layout.filter && !filterText.isEmpty ? min(TextWidth.columns(filterText), 24) + 2 : 0)
            if need <= available {
                chosen = layout
                break
            }
        }
        if chosen.filter && !filterText.isEmpty {
            let limit = x + min(TextWidth.columns(filterText), 24) + 1
            x = writeClipped(filterText, row: 0, column: x + 1, limit: limit, style: theme.barTitle, into: &grid) + 1
        }
        x = grid.write(" " + chosen.counts + " ", row: 0, column: x, style: theme.bar)
        if let long = chosen.sources {
            for label in sources {
                let style = label.hidden ? theme.barDim : label.alert ? theme.barAlert : theme.barSource(label.name)
                x = grid.write(" " + (long ? label.long : label.short) + " ", row: 0, column: x, style: style)
            }
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
            grid.write(text, row: 1 + min(1, height - 1), column: 2, style: theme.dim)
            return
        }
        let width = grid.columns
        let timeWidth = state.timeMode == .absolute ? 8 : (width >= 30 ? 4 : 3)
        let tagWidth = width >= 60 ? min(10, state.config.sources.map { $0.count }.max() ?? 6) : (width >= 30 ? 3 : 1)
        let top = state.topIndex
        let selectedIndex = state.selectedIndex
        var clock = LocalClockFormatter()
        for row in 0..<height {
            let index = top + row
            guard index < count else { break }
            let seq = state.seq(atIndex: index)
            let y = 1 + row
            let isSelected = index == selectedIndex
            let base = isSelected ? Style(reverse: true) : Style.plain
            if isSelected { grid.fill(row: y, style: base) }

            let published = state.history.published(seq)
            let time = state.timeMode == .absolute
                ? clock.format(published)
                : RelativeTime.format(from: published, to: state.now)
            var x = grid.write(String(repeating: " ", count: max(0, timeWidth - time.count)) + time, row: y, column: 0,
                               limit: timeWidth, style: base)
            x += 1
            let source = state.history.source(seq)
            let tag = String(sourceDisplayName(source).prefix(tagWidth))
            var tagStyle = theme.source(source)
            tagStyle.reverse = isSelected
            grid.write(tag, row: y, column: x, limit: x + tagWidth, style: tagStyle)
            x += tagWidth + 1

            let title = state.history.title(seq)
            let ranges = state.userQuery.matchesEverything ? [] : state.userQuery.highlights(in: title)
            var mark = theme.highlight
            if isSelected { mark = Style(bold: true, underline: true, reverse: true) }
            let styleAt: ((Int) -> Style?)? = ranges.isEmpty ? nil : { offset in
                ranges.contains { $0.contains(offset) } ? mark : nil
            }
            writeClipped(title, row: y, column: x, limit: width, style: base, styleAt: styleAt, into: &grid)
        }
    }

    /// Writes `text`, ending with "…" at the limit if it does not fit (a wide character is
    /// never split). Returns the column after what was written.
    @discardableResult
    static func writeClipped(_ text: String, row: Int, column: Int, limit: Int, style: Style,
                             styleAt: ((Int) -> Style?)? = nil, into grid: inout CellGrid) -> Int {
        guard limit > column else { return column }
        if TextWidth.columns(text) <= limit - column {
            return grid.write(text, row: row, column: column, limit: limit, style: style, styleAt: styleAt)
        }
        let end = grid.write(text, row: row, column: column, limit: limit - 1, style: style, styleAt: styleAt)
        return grid.write("…", row: row, column: end, limit: limit, style: style)
    }

    // MARK: status line

    static func status(_ state: AppState, _ theme: Theme, _ grid: inout CellGrid) {
        let y = grid.rows - 1
        grid.fill(row: y, style: theme.bar)
        let width = grid.columns
        if let editor = state.editor {
            var right = "\(grouped(state.visibleCount)) match"
            if let problem = state.userQuery.problems.first { right = "\(problem.message) · " + right }
            let rightWidth = min(TextWidth.columns(right), max(0, width / 2))
            let fieldEnd = width - rightWidth - 2
            var x = grid.write("/", row: y, column: 0, style: theme.barTitle)
            // Scroll the field so that the cursor stays visible.
            let characters = Array(editor.text)
            var start = 0
            func widthOf(_ range: Range<Int>) -> Int { characters[range].reduce(0) { $0 + TextWidth.columns($1) } }
            while start < editor.cursor && widthOf(start..<editor.cursor) >= fieldEnd - x { start += 1 }
            let visible = String(characters[start...])
            let cursorColumn = x + widthOf(start..<editor.cursor)
            x = grid.write(visible, row: y, column: x, limit: fieldEnd, style: theme.barTitle)
            grid.cursor = (y, min(cursorColumn, max(0, width - 1)))
            writeClipped(right, row: y, column: width - rightWidth - 1, limit: width, style: theme.bar, into: &grid)
            return
        }
        if let message = state.message {
            writeClipped(" " + message.text, row: y, column: 0, limit: width, style: theme.barAlert, into: &grid)
            return
        }
        if let replay = state.replay {
            progress(replay, theme, row: y, &grid)
            return
        }
        var hints: [String] = []
        for op in [Operation.editFilter, .pause, .open, .toggleSource1, .toggleTime, .help, .quit] {
            let binding = KeyBindings.binding(op)
            if op == .toggleSource1 {
                hints.append("1-\(min(3, state.config.sources.count)) sources")
            } else {
                hints.append("\(binding.keys[0]) \(binding.name)")
            }
        }
        var x = 1
        for hint in hints {
            let w = TextWidth.columns(hint)
            if x + w > width { break }
            x = grid.write(hint, row: y, column: x, style: theme.bar) + 2
        }
    }

    /// The replay's progress line: state, position / duration, percentage, speed, keys.
    static func progress(_ replay: ReplayStatus, _ theme: Theme, row y: Int, _ grid: inout CellGrid) {
        let width = grid.columns
        let mark = replay.ended ? "■" : replay.paused ? "⏸" : "▶"
        let position = DurationText.format(replay.position)
        var text = " \(mark) \(position)"
        if let duration = replay.duration, duration > 0 {
            let percent = min(100, Int(Double(replay.position) * 100 / Double(duration)))
            text += " / \(DurationText.format(duration))  \(percent)%"
        } else {
            text += " / …"
        }
        text += "  " + (replay.speed.isInfinite ? "max" : "×" + Self.speedText(replay.speed))
        var x = grid.write(text, row: y, column: 0, style: theme.barTitle)
        if replay.skipped > 0 {
            x = grid.write("  \(grouped(replay.skipped)) bad lines skipped", row: y, column: x, style: theme.barAlert)
        }
        x += 2
        for hint in ["Space pause", ". step", "+/- speed", "[ ] ±1m", "? help", "q quit"] {
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
        page(title: " Headline", keys: " Esc close  j/k next/previous  ? help", theme, &grid)
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
        let fields: [(String, String, Style)] = [
            ("Source", sourceDisplayName(headline.source), theme.source(headline.source)),
            ("Outlet", headline.outlet ?? "—", .plain),
            ("Published", "\(localDay) \(clock.format(published)) (\(RelativeTime.format(from: published, to: state.now)) ago)", .plain),
            ("ID", headline.id, .plain),
            ("URL", headline.url ?? "—", .plain),
            ("Summary", headline.summary ?? "—", .plain),
        ]
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
        page(title: " Keys", keys: " any key closes this help", theme, &grid)
        let keyWidth = min(14, max(6, width / 4))
        var row = 1
        for binding in KeyBindings.table where state.config.replay || !binding.replayOnly {
            guard row < grid.rows - 1 else { break }
            writeClipped(KeyBindings.keyList(binding), row: row, column: 1, limit: 1 + keyWidth, style: theme.label, into: &grid)
            for line in wrap(binding.help, width: width - keyWidth - 3) {
                guard row < grid.rows - 1 else { break }
                grid.write(line, row: row, column: keyWidth + 2)
                row += 1
            }
        }
    }

    // MARK: text helpers

    /// Word-wraps `text` to lines of at most `width` display columns (words longer than a
    /// line are cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            var wordWidth = TextWidth.columns(word)
            if lineWidth > 0 && lineWidth + 1 + wordWidth > width {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            while wordWidth > width {
                // Cut a long word at the line's end.
                var head = "", headWidth = 0
                for character in word {
                    let w = TextWidth.columns(character)
                    if headWidth + w > width - lineWidth - (lineWidth > 0 ? 1 : 0) { break }
                    head.append(character)
                    headWidth += w
                }
                if head.isEmpty { break }
                line += (lineWidth > 0 ? " " : "") + head
                lines.append(line)
                line = ""
                lineWidth = 0
                word = String(word.dropFirst(head.count))
                wordWidth = TextWidth.columns(word)
            }
            if word.isEmpty { continue }
            line += (lineWidth > 0 ? " " : "") + word
            lineWidth += (lineWidth > 0 ? 1 : 0) + wordWidth
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// 1234567 -> "1,234,567" (the same in every locale, like the rest of the screen).
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}

func grouped(_ n: Int) -> String { Renderer.grouped(n) }
