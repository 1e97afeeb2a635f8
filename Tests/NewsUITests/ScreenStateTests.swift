import NewsCore
import NewsUI
import Testing

/// Issue 17, points 4 and 10 and the smaller faults: what the screen says follows the state.
@Suite("Screen text follows the state")
struct ScreenStateTests {
    // MARK: source visibility (point 10)

    @Test("1/2/3 are their own state: the filter shown and edited never holds them, \\ clears the filter only")
    func sourcesApartFromTheFilter() {
        var state = makeState(count: 30)
        state.apply(.key(.char("/")))
        state.type("goal")
        state.apply(.key(.enter), .key(.char("2")))
        #expect(state.visibleCount == 4)  // goal: 0, 5, 10... of which 10 and 25 are sports
        var header = state.screen[0]
        #expect(header.contains("/goal ") && !header.contains("source"), "\(header)")
        #expect(header.contains("sports off"))
        // The editor shows the filter as typed.
        state.apply(.key(.char("/")))
        #expect(state.editor?.text == "goal")
        #expect(state.screen.last!.hasPrefix("/goal "))
        state.apply(.key(.escape))
        // \ clears the filter; sports stays hidden, and the header still says so.
        state.apply(.key(.char("\\")))
        #expect(state.filterText == "" && state.hiddenSources == ["sports"])
        #expect(state.visibleCount == 20)
        #expect(state.listedTitles.allSatisfy { !$0.hasPrefix("Headline") || Int($0.split(separator: " ")[1])! % 3 != 1 })
        header = state.screen[0]
        #expect(!header.contains("/goal") && header.contains("sports off"), "\(header)")
    }

    @Test("hidden sources show in the header at narrow widths too")
    func hiddenSourcesNarrow() {
        for columns in [30, 40, 50] {
            var state = makeState(count: 30, columns: columns, rows: 10)
            state.apply(.key(.char("2")), .key(.char("3")))
            let header = state.screen[0]
            // Each as "sports off" or "s off", or together as "s w off" where space is short.
            #expect((header.contains("s off") && header.contains("w off")) || header.contains("s w off"), "\(columns): \(header)")
        }
    }

    // MARK: the end of the feed (point 4)

    @Test("when every source has finished the header says the feed ended, never stale")
    func feedEnded() {
        var state = makeState(count: 3)
        state.apply(.sourceFinished(source: "tech"))
        #expect(!state.screen[0].contains("feed ended"))
        state.apply(.sourceFinished(source: "sports"), .sourceFinished(source: "world"))
        state.apply(.tick(now: t0.adding(milliseconds: 600_000)))
        let header = state.screen[0]
        #expect(header.contains("feed ended"), "\(header)")
        #expect(!header.contains("stale"), "\(header)")
    }

    @Test("a feed of one source that ended names it: standard input's end reads 'stdin ended'")
    func singleSourceEnded() {
        var state = AppState(history: History(capacity: 100), config: AppConfig(sources: ["stdin"], feedStart: t0, color: false),
                             columns: 80, rows: 10, now: t0)
        state.apply(.headlines([headline(0, "typed", source: "stdin")], now: t0.adding(milliseconds: 1000)))
        state.apply(.sourceFinished(source: "stdin"))
        let header = state.screen[0]
        #expect(header.contains("stdin ended") && !header.contains("feed ended"), "\(header)")
    }

    @Test("a feed file's starting history counts in the total but not in the rate: only what arrives new is a rate")
    func historyNotARate() {
        var state = AppState(history: History(capacity: 1000), config: AppConfig(sources: ["hn"], feedStart: t0, color: false),
                             columns: 80, rows: 10, now: t0)
        // 300 items published the day before the feed started, arriving in the first batch.
        let old = (0..<300).map { n in
            Arrival(offset: 0, headline: Headline(id: "o\(n)", source: "hn", title: "old \(n)",
                                                  published: t0.adding(milliseconds: -86_400_000 + Int64(n) * 1000)))
        }
        state.apply(.headlines(old, now: t0.adding(milliseconds: 500)))
        #expect(state.stats.entries[0].total == 300)
        #expect(state.stats.rate(state.stats.entries[0], now: state.now) == 0)
        #expect(state.screen[0].contains("hn 0/m"), "\(state.screen[0])")
        // Then two new ones within the first minute: the rate counts those.
        let new = (0..<2).map { n in
            Arrival(offset: 30_000, headline: Headline(id: "n\(n)", source: "hn", title: "new \(n)", published: t0.adding(milliseconds: 30_000)))
        }
        state.apply(.headlines(new, now: t0.adding(milliseconds: 60_000)))
        #expect(state.stats.entries[0].total == 302)
        #expect(state.stats.rate(state.stats.entries[0], now: state.now) == 2)
    }

    @Test("the store's history (arrived before the feed started, published in the future or not) is not a rate")
    func storedHistoryNotARate() {
        var state = AppState(history: History(capacity: 1000), config: AppConfig(sources: ["tech"], feedStart: t0, color: false),
                             columns: 80, rows: 10, now: t0)
        // Seen 20 s before this run started; published after it (a simulated feed stored at --speed max).
        let stored = (0..<50).map { n in
            Arrival(offset: -20_000, headline: Headline(id: "s\(n)", source: "tech", title: "stored \(n)",
                                                       published: t0.adding(milliseconds: 3_600_000 + Int64(n))))
        }
        state.apply(.headlines(stored, now: t0))
        #expect(state.stats.entries[0].total == 50)
        #expect(state.stats.rate(state.stats.entries[0], now: state.now) == 0)
        #expect(state.screen[0].contains("tech 0/m"), "\(state.screen[0])")
    }

    @Test("one finished source is not stale and does not end the feed")
    func oneSourceFinished() {
        var state = makeState(count: 3)
        state.apply(.sourceFinished(source: "tech"), .tick(now: t0.adding(milliseconds: 40_000)))
        let header = state.screen[0]
        #expect(!header.contains("tech stale") && !header.contains("feed ended"), "\(header)")
        #expect(header.contains("tech ended"))
        #expect(header.contains("sports stale"))
    }

    @Test("a replay that ended says so in the header, and its position never passes its duration")
    func replayEnded() {
        var state = makeState(count: 3, replay: true)
        state.apply(.replayStatus(ReplayStatus(position: 95_000, duration: 60_000, speed: 4, paused: false, ended: true)),
                    .tick(now: t0.adding(milliseconds: 95_000)))
        let lines = state.screen
        #expect(lines[0].contains("replay ended") && !lines[0].contains("stale"), "\(lines[0])")
        #expect(lines.last!.contains("1m00s / 1m00s  100%"), "\(lines.last!)")
        #expect(!lines.last!.contains("1m35s"))
    }

    // MARK: the hint lines

    @Test("the hint line follows the state: Space says resume while paused, \\ clear with a filter")
    func hintsFollowTheState() {
        var state = makeState(count: 10)
        #expect(state.screen.last!.contains("Space pause"))
        #expect(!state.screen.last!.contains("\\ clear"))
        state.apply(.key(.char(" ")))
        #expect(state.screen.last!.contains("Space resume"), "\(state.screen.last!)")
        #expect(!state.screen.last!.contains("Space pause"))
        state.apply(.key(.char(" ")), .key(.char("/")))
        state.type("goal")
        state.apply(.key(.enter))
        #expect(state.screen.last!.contains("\\ clear"), "\(state.screen.last!)")
    }

    @Test("a paused replay's progress line says Space resume")
    func replayHints() {
        var state = makeState(count: 3, replay: true)
        state.apply(.replayStatus(ReplayStatus(position: 5_000, duration: 60_000, speed: 1, paused: false)))
        #expect(state.screen.last!.contains("Space pause"))
        state.apply(.replayStatus(ReplayStatus(position: 5_000, duration: 60_000, speed: 1, paused: true)))
        #expect(state.screen.last!.contains("Space resume"), "\(state.screen.last!)")
    }

    @Test("the filter editor's line has the editor's keys")
    func editorHints() {
        var state = makeState(count: 10)
        state.apply(.key(.char("/")))
        state.type("go")
        let line = state.screen.last!
        #expect(line.contains("Enter keep") && line.contains("Esc cancel"), "\(line)")
        #expect(!line.contains("q quit"))
    }

    // MARK: counts and times

    @Test("counts agree in number")
    func plurals() {
        var state = makeState(count: 30)
        state.apply(.key(.char("/")))
        state.type("\"headline 7 storm\"")
        #expect(state.visibleCount == 1)
        #expect(state.screen.last!.hasSuffix(" 1 match "), "\(state.screen.last!)")
        state.apply(.key(.ctrl("u")))
        state.type("goal")
        #expect(state.screen.last!.hasSuffix(" 6 matches "), "\(state.screen.last!)")
        state.apply(.key(.ctrl("u")))
        state.type("xyzzy")
        #expect(state.screen.last!.hasSuffix(" 0 matches "), "\(state.screen.last!)")

        var replay = makeState(count: 3, replay: true)
        replay.apply(.replayStatus(ReplayStatus(position: 1000, duration: 60_000, speed: 1, paused: false, skipped: 1)))
        #expect(replay.screen.last!.contains("1 bad line skipped"), "\(replay.screen.last!)")
        replay.apply(.replayStatus(ReplayStatus(position: 1000, duration: 60_000, speed: 1, paused: false, skipped: 2)))
        #expect(replay.screen.last!.contains("2 bad lines skipped"))
    }

    @Test("the detail view says 'just now', never '(now ago)'")
    func justNow() {
        var state = makeState(count: 3)
        state.apply(.headlines([headline(3, "Fresh", at: 40_000)], now: t0.adding(milliseconds: 40_000)))
        state.apply(.key(.enter))
        let text = state.screen.joined(separator: "\n")
        #expect(text.contains("Fresh"))
        #expect(!text.contains("now ago") && text.contains("(just now)"), "\(text)")
        state.apply(.tick(now: t0.adding(milliseconds: 45_000)))
        #expect(state.screen.joined(separator: "\n").contains("(5s ago)"))
    }

    // MARK: help

    /// Pages through the help with `key` until its lines stop changing; returns every line seen.
    static func helpLinesSeen(_ state: inout AppState, key: Key) -> [String] {
        var seen: [String] = []
        var previous: [String] = []
        for _ in 0..<5000 {  // the help is over 1,000 lines at 20 columns
            let lines = Array(state.screen.dropFirst().dropLast())
            if lines == previous { break }
            for line in lines where !seen.contains(line) { seen.append(line) }
            previous = lines
            state.apply(.key(key))
            if state.mode != .help { break }
        }
        return seen
    }

    @Test("the help explains the query language", arguments: [false, true])
    func helpQueryLanguage(replay: Bool) {
        var state = makeState(count: 3, columns: 100, rows: 200, replay: replay)
        state.apply(.key(.char("?")))
        let text = state.screen.joined(separator: "\n")
        for needle in ["\"rate cut\"", "-rumour", "a | b", "OR", "AND", "NOT", "( )", "source:tech", "-source:"] {
            #expect(text.contains(needle), "\(needle)")
        }
        #expect(text.contains("Jump one minute") == replay)
    }

    @Test("the help scrolls so that every line is reachable, at 80x24 and at tiny sizes, in a replay too",
          arguments: [(80, 24, false), (80, 24, true), (20, 5, false), (20, 5, true), (33, 7, true)])
    func helpScrolls(columns: Int, rows: Int, replay: Bool) {
        // Every line of the help, as a very tall screen of the same width shows it.
        var tall = makeState(count: 3, columns: columns, rows: 4000, replay: replay)  // taller than the help at 20 columns
        tall.apply(.key(.char("?")))
        var all = Array(tall.screen.dropFirst().dropLast())
        while all.last?.allSatisfy({ $0 == " " }) == true { all.removeLast() }
        #expect(all.count > rows - 2)

        var state = makeState(count: 3, columns: columns, rows: rows, replay: replay)
        state.apply(.key(.char("?")))
        // It does not fit: a position indicator shows.
        #expect(state.screen[0].contains("1-\(rows - 2)"), "\(state.screen[0])")
        let byLine = Self.helpLinesSeen(&state, key: .char("j"))
        #expect(state.mode == .help)
        #expect(all.allSatisfy { byLine.contains($0) }, "\(all.filter { !byLine.contains($0) })")
        #expect(state.screen[0].contains("of \(all.count)") || state.screen[0].contains("/\(all.count)"), "\(state.screen[0])")
        // Back to the top with k, then by pages with Space and PgDn; PgUp goes back.
        for _ in 0..<all.count { state.apply(.key(.char("k"))) }
        #expect(state.screen[0].contains("1-\(rows - 2)"))
        let bySpace = Self.helpLinesSeen(&state, key: .char(" "))
        #expect(all.allSatisfy { bySpace.contains($0) })
        let atEnd = state.screen[0]
        state.apply(.key(.pageUp))
        #expect(state.screen[0] != atEnd)
        for _ in 0..<all.count { state.apply(.key(.up)) }
        let byPage = Self.helpLinesSeen(&state, key: .pageDown)
        #expect(all.allSatisfy { byPage.contains($0) })
        // Any other key closes it (q too, without quitting).
        #expect(state.apply(.key(.char("q"))).isEmpty)
        #expect(state.mode == .list)
    }

    @Test("help opened from the detail view goes back to it")
    func helpFromDetail() {
        var state = makeState(count: 5)
        state.apply(.key(.enter), .key(.char("?")))
        #expect(state.mode == .help)
        state.apply(.key(.char("x")))
        #expect(state.mode == .detail)
    }
}
