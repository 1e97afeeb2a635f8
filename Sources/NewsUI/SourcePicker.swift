import NewsCore

extension Renderer {
    /// The start of a row of the sources screen, in both of its layouts: the key (1-9 by default), shown
    /// or not, the name in its colour up to `nameEnd`; the row's style and whether the source is hidden.
    static func pickerRowStart(_ state: AppState, _ theme: Theme, position: Int, row: Int, nameStart: Int, nameEnd: Int,
                               _ grid: inout CellGrid) -> (base: Style, hidden: Bool) {
        let name = state.sources.names[position]
        let hidden = state.hiddenSources.contains(name)
        let selected = position == state.pickerCursor
        let base = selected ? theme.selected : Style.plain
        if selected { grid.fill(row: row, style: base) }
        // The key that toggles it here, as bound (two columns of it at most).
        if position < Operation.sourceToggles.count,
           let key = state.config.keys.keys(Operation.sourceToggles[position], in: .sourcePicker).first {
            writeClipped(key.description, row: row, column: 1, limit: 3, style: base, into: &grid)
        }
        grid.write(hidden ? "[ ]" : "[x]", row: row, column: 3, style: base)
        var nameStyle = theme.source(name)
        nameStyle.reverse = selected
        nameStyle.dim = hidden
        writeClipped(name, row: row, column: nameStart, limit: nameEnd, style: nameStyle, into: &grid)
        return (base, hidden)
    }

    /// The source picker (`S`): one row per source in the session's order, with its key
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
        var countStart = width
        for candidate in [
            "\(shown) of \(names.count) shown" + (scrolls ? ", \(first + 1)-\(last)" : "") + " ",
            "\(shown)/\(names.count)" + (scrolls ? " \(first + 1)-\(last)" : "") + " ",
            "\(shown)/\(names.count) ",
        ] where titleEnd + 1 + TextWidth.columns(candidate) <= width {
            grid.write(candidate, row: 0, column: width - TextWidth.columns(candidate), style: theme.barTitle)
            countStart = width - TextWidth.columns(candidate)
            break
        }
        // The status line's message (a toggle, a refresh, a moved feed) in the bar, as far as it fits.
        if let message = state.message, countStart - 1 - titleEnd >= 12 {
            writeClipped("  " + message.text, row: 0, column: titleEnd, limit: countStart - 1, style: theme.bar, into: &grid)
        }

        let y = grid.rows - 1
        grid.fill(row: y, style: theme.bar)
        writeHints(KeyHints.sourcePicker.enumerated().compactMap { hint in hint.element.text(state.config.keys).map { ($0, hint.offset) } },
                   row: y, column: 1, theme, &grid)

        guard !names.isEmpty else {
            grid.write("no sources yet", row: 1 + min(1, height - 1), column: 2, style: theme.dim)
            return
        }
        if !state.config.feeds.isEmpty {
            feedRows(state, theme, &grid)
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
            let (base, hidden) = pickerRowStart(state, theme, position: position, row: row, nameStart: nameStart, nameEnd: nameEnd, &grid)
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

extension Renderer {
    /// The sources screen's rows when some sources are feeds fetched over HTTP: key, [x],
    /// name, status (with the reason, the Retry-After, the new URL of a moved feed), then
    /// as width allows the last fetch ("2m ago"), the next poll ("in 13m"), the rate, and
    /// the count of headlines. Narrow, the optional columns go first, then the status
    /// shortens ("failed", "429 until 14:05"); name and status always show from 30 columns.
    static func feedRows(_ state: AppState, _ theme: Theme, _ grid: inout CellGrid) {
        let width = grid.columns
        let names = state.sources.names
        let first = state.pickerTop, last = min(names.count, first + state.pickerPageHeight)
        let counts = state.stats.entries.map { grouped($0.total) }
        let countWidth = max(1, counts.map { TextWidth.columns($0) }.max() ?? 1)
        let showCount = width >= 30
        let countStart = showCount ? width - 1 - countWidth : width
        let longestName = names.map { TextWidth.columns($0) }.max() ?? 1
        let nameStart = 7
        let nameWidth = min(longestName, max(6, min(20, (countStart - 1 - nameStart) / 2)))
        let statusStart = nameStart + nameWidth + 1
        // Optional columns, right to left before the count, while the status keeps room.
        enum Column { case last, next, rate }
        let fullStatus = 24
        var columns: [(Column, width: Int)] = []
        var used = 0
        for (column, columnWidth) in [(Column.last, 7), (.next, 7), (.rate, 5)]
        where countStart - 1 - used - (columnWidth + 1) - statusStart >= fullStatus {
            columns.append((column, columnWidth))
            used += columnWidth + 1
        }
        let statusEnd = countStart - 1 - used
        let room = statusEnd - statusStart
        var clock = LocalClockFormatter()
        for (line, position) in (first..<last).enumerated() {
            let row = 1 + line
            let (base, hidden) = pickerRowStart(state, theme, position: position, row: row, nameStart: nameStart, nameEnd: statusStart - 1, &grid)
            let name = names[position]
            let (text, problem) = feedStatus(state, position: position, room: room, clock: &clock)
            var style = hidden ? base.dimmed : base
            style.bold = problem
            writeClipped(text, row: row, column: statusStart, limit: statusEnd, style: style, into: &grid)
            let health = state.health[name]
            var x = statusEnd + 1
            for (column, columnWidth) in columns {
                let value: String
                switch column {
                case .last: value = health?.lastFetch.map { ago($0, state.now) } ?? "-"
                case .next: value = health?.nextDue.map { due($0, state.now) } ?? "-"
                case .rate:
                    let entry = position < state.stats.entries.count ? state.stats.entries[position] : SourceStats.Entry(name: name)
                    value = "\(state.stats.rate(entry, now: state.now))/m"
                }
                writeClipped(value, row: row, column: x + columnWidth - min(columnWidth, TextWidth.columns(value)),
                             limit: x + columnWidth, style: hidden ? base.dimmed : base, into: &grid)
                x += columnWidth + 1
            }
            if showCount {
                let count = position < counts.count ? counts[position] : "0"
                grid.write(count, row: row, column: width - 1 - TextWidth.columns(count), style: base)
            }
        }
    }

    /// "2m ago", "just now".
    static func ago(_ time: Timestamp, _ now: Timestamp) -> String {
        let age = RelativeTime.format(from: time, to: now)
        return age == "now" ? "now" : age + " ago"
    }

    /// "in 13m", or "due" once it is time.
    static func due(_ time: Timestamp, _ now: Timestamp) -> String {
        let wait = RelativeTime.format(from: now, to: time)
        return wait == "now" ? "due" : "in " + wait
    }

    /// A poll this long past its time without an answer makes a feed stale (a hanging server).
    static let overdue: Int64 = 60_000

    /// The status of the source at `position` on the sources screen, in full ("failed:
    /// HTTP 500", "rate-limited (429) until 14:05:10", "moved to URL") or short, and
    /// whether it is a problem (bold): short in less than 18 columns of `room`, and a
    /// rate limit whose time would be cut off. A source that is not a feed: as in the picker.
    static func feedStatus(_ state: AppState, position: Int, room: Int, clock: inout LocalClockFormatter) -> (text: String, problem: Bool) {
        let short = room < 18
        let name = state.sources.names[position]
        guard state.config.feeds.contains(name) else {
            let (text, problem) = sourceState(state, position: position)
            if text == "hidden" {
                let entry = position < state.stats.entries.count ? state.stats.entries[position] : SourceStats.Entry(name: name)
                return ("\(state.stats.rate(entry, now: state.now))/m", false)
            }
            return (text, problem)
        }
        let health = state.health[name] ?? SourceHealth()
        var text: String, problem = true
        switch health.status {
        case .waiting:
            if let failure = state.failing[name] {
                text = short ? "failed" : "failed: " + failure
            } else {
                text = short ? "new" : "not fetched yet"
                problem = false
            }
        case .ok:
            if let due = health.nextDue, state.now.milliseconds - due.milliseconds > overdue {
                text = short ? "stale" : "stale: poll \(RelativeTime.format(from: due, to: state.now)) overdue"
            } else {
                text = "ok"
                problem = false
            }
        case .failed(let reason):
            text = short ? "failed" : "failed: " + reason
        case .rateLimited(let code, let until):
            let time = clock.format(until)
            let full = "rate-limited (\(code)) until \(time)"
            text = short || TextWidth.columns(full) > room ? "\(code) until \(time.prefix(5))" : full
        }
        if let moved = health.movedTo {
            if short {
                text = problem ? text : "moved"
            } else {
                text = problem ? text + "; moved to " + moved : "moved to " + moved
            }
            problem = true
        }
        return (TerminalSafe.sanitize(text), problem)
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
