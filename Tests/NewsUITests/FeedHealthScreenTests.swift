import NewsCore
import NewsUI
import Testing

/// The sources screen (`S`) with feeds fetched over HTTP: ok, failed, rate-limited, moved;
/// and `R`.
@Suite("Sources screen: the health of HTTP feeds")
struct FeedHealthScreenTests {
    static let names = ["hn", "lwn", "busy", "moved", "file"]
    /// A minute past the last headline.
    static let now = t0.adding(milliseconds: 600_000)
    static var retryUntil: Timestamp { now.adding(milliseconds: 300_000) }

    /// hn ok (fetched 2m ago, due in 13m), lwn failing, busy rate-limited for 5m, moved
    /// moved; `file` is a file (no health).
    static func feedsState(columns: Int = 80, rows: Int = 24, reason: String = "HTTP 500") -> AppState {
        var state = AppState(history: History(capacity: 1000, chunkSize: 16),
                             config: AppConfig(sources: names, feedStart: t0, feeds: Set(names.dropLast())),
                             columns: columns, rows: rows, now: t0)
        let batch = names.enumerated().map { i, name in headline(i, "Story from \(name)", source: name, at: Int64(i) * 1000) }
        state.apply(.headlines(batch, now: now))
        let before = now.adding(milliseconds: -120_000)
        state.apply(
            .feedHealth(source: "hn", .fetched(items: 30, at: before, nextDue: now.adding(milliseconds: 13 * 60_000))),
            .feedHealth(source: "lwn", .failed(reason: reason, at: before, nextDue: now.adding(milliseconds: 4000))),
            .feedHealth(source: "busy", .rateLimited(status: 429, at: before, until: retryUntil)),
            .feedHealth(source: "moved", .moved(to: "https://new.example/feed.xml")),
            .feedHealth(source: "moved", .fetched(items: 5, at: before, nextDue: now.adding(milliseconds: 900_000))))
        return state
    }

    static func clock(_ t: Timestamp) -> String {
        var formatter = LocalClockFormatter()
        return formatter.format(t)
    }

    func row(_ screen: [String], _ name: String) -> String {
        screen.dropFirst().first { $0.contains(" \(name) ") } ?? ""  // below the title bar
    }

    @Test("S opens the sources screen (s stars a headline instead); S or Esc close it")
    func keysOpenIt() {
        var state = Self.feedsState()
        state.apply(.key(.char("S")))
        #expect(state.mode == .sources)
        state.apply(.key(.char("S")))
        #expect(state.mode == .list)
        state.apply(.key(.char("s")))
        #expect(state.mode == .list)
        state.apply(.key(.char("S")), .key(.escape))
        #expect(state.mode == .list)
    }

    @Test("80x24: status with the reason, last fetch, next poll, rate and count for each feed")
    func wide() {
        var state = Self.feedsState()
        state.apply(.key(.char("S")))
        let screen = state.screen
        #expect(screen.allSatisfy { TextWidth.columns($0) <= 80 })
        let hn = row(screen, "hn")
        #expect(hn.contains(" ok ") && hn.contains("2m ago") && hn.contains("in 13m") && hn.contains("/m"), "\(hn)")
        #expect(row(screen, "lwn").contains("failed: HTTP 500"))
        #expect(row(screen, "lwn").contains("in 4s"))
        #expect(row(screen, "busy").contains("rate-limited (429) until \(Self.clock(Self.retryUntil))"))
        #expect(row(screen, "moved").contains("moved to https://new.example/feed.xml"))
        // A file has no fetch: its rate and age as in the picker, no times.
        let file = row(screen, "file")
        #expect(file.contains("/m") && !file.contains("ago") && !file.contains(" in "), "\(file)")
        #expect(screen.last?.contains("R refresh") == true)
        // Left to right after the status: last fetch, next poll, rate, count.
        #expect(hn.range(of: "2m ago")!.lowerBound < hn.range(of: "in 13m")!.lowerBound)
        #expect(hn.range(of: "in 13m")!.lowerBound < hn.range(of: "/m")!.lowerBound)
    }

    @Test("the ages follow the state's clock, not the wall clock")
    func agesFollowNow() {
        var state = Self.feedsState()
        state.apply(.key(.char("S")), .tick(now: Self.now.adding(milliseconds: 60_000)))
        let hn = row(state.screen, "hn")
        #expect(hn.contains("3m ago") && hn.contains("in 12m"), "\(hn)")
        // Long past its poll without an answer: stale.
        state.apply(.tick(now: Self.now.adding(milliseconds: 15 * 60_000)))
        #expect(row(state.screen, "hn").contains("stale"))
    }

    @Test("40 columns: the name and the status, short where the full one would not fit; 30 columns: short")
    func narrow() {
        var state = Self.feedsState(columns: 40)
        state.apply(.key(.char("S")))
        let screen = state.screen
        #expect(screen.allSatisfy { TextWidth.columns($0) <= 40 })
        #expect(row(screen, "hn").contains(" ok"))
        #expect(row(screen, "lwn").contains("failed: HTTP 500"))
        #expect(row(screen, "busy").contains("429 until \(Self.clock(Self.retryUntil).prefix(5))"))
        #expect(row(screen, "moved").contains("moved"))
        #expect(!row(screen, "hn").contains("ago"))
        var tiny = Self.feedsState(columns: 30)
        tiny.apply(.key(.char("S")))
        #expect(row(tiny.screen, "lwn").contains("lwn") && row(tiny.screen, "lwn").contains("failed") && !row(tiny.screen, "lwn").contains("HTTP"))
        #expect(row(tiny.screen, "moved").contains("moved"))
    }

    @Test("60 columns: the times stay, the rate goes; the status keeps its reason")
    func medium() {
        var state = Self.feedsState(columns: 60)
        state.apply(.key(.char("S")))
        let hn = row(state.screen, "hn")
        #expect(hn.contains("2m ago") && hn.contains("in 13m") && !hn.contains("/m"), "\(hn)")
        #expect(row(state.screen, "lwn").contains("failed: HTTP 500"))
    }

    @Test("a long reason with escape sequences is cut at the edge and shown safely")
    func longHostileReason() {
        let reason = "\u{1B}]0;owned\u{07}\u{1B}[31m" + String(repeating: "very long reason ", count: 20)
        var state = Self.feedsState(reason: reason)
        state.apply(.key(.char("S")))
        let lwn = row(state.screen, "lwn")
        #expect(lwn.contains("failed: "))
        #expect(!lwn.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(TextWidth.columns(lwn) <= 80)
        #expect(lwn.contains("…"))
    }

    @Test("R in the list refreshes every feed but the rate-limited one, and says so")
    func refreshAll() {
        var state = Self.feedsState()
        let effects = state.apply(.key(.char("R")))
        #expect(effects == [.refresh(["hn", "lwn", "moved"])])
        let message = state.message?.text ?? ""
        #expect(message.contains("refreshing 3 feeds") && message.contains("busy is rate-limited until \(Self.clock(Self.retryUntil))"),
                "\(message)")
    }

    @Test("R on the sources screen: the feed under the cursor; not a rate-limited one before its time; not a file")
    func refreshSelected() {
        var state = Self.feedsState()
        state.apply(.key(.char("S")))
        #expect(state.apply(.key(.char("R"))) == [.refresh(["hn"])])
        state.apply(.key(.char("j")), .key(.char("j")))  // busy
        #expect(state.apply(.key(.char("R"))).isEmpty)
        #expect(state.message?.text == "busy is rate-limited until \(Self.clock(Self.retryUntil)): not asked before then")
        #expect(state.screen[0].contains("busy is rate-limited until"))  // said in the screen's bar
        // Once its time has come, it may be asked.
        state.apply(.tick(now: Self.retryUntil))
        #expect(state.apply(.key(.char("R"))) == [.refresh(["busy"])])
        state.apply(.key(.char("G")))  // file
        #expect(state.apply(.key(.char("R"))).isEmpty)
        #expect(state.message?.text == "file is not fetched over HTTP: nothing to refresh")
    }

    @Test("without HTTP feeds R does nothing and says why")
    func refreshNothing() {
        var state = makeState()
        #expect(state.apply(.key(.char("R"))).isEmpty)
        #expect(state.message?.text == "nothing to refresh: no source here is fetched over HTTP")
    }

    @Test("a move shows on the status line; a 304 after a failure clears the header's failure")
    func moveAndRecovery() {
        var state = Self.feedsState()
        state.apply(.feedHealth(source: "hn", .moved(to: "https://elsewhere.example/rss")))
        #expect(state.message?.text == "hn moved permanently to https://elsewhere.example/rss (update the subscription)")
        state.apply(.sourceRestarting(source: "lwn", message: "HTTP 500, retrying in 4s", retryIn: 0))
        #expect(state.failing["lwn"] != nil)
        state.apply(.feedHealth(source: "lwn", .notModified(at: Self.now, nextDue: Self.now.adding(milliseconds: 900_000))))
        #expect(state.failing["lwn"] == nil)
        #expect(state.health["lwn"]?.status == .ok)
    }

    @Test("the help lists S and R")
    func help() {
        let lines = HelpPage.lines(columns: 80, replay: false)
        #expect(lines.contains { $0.key.contains("S") && $0.text.contains("sources screen") })
        #expect(lines.contains { $0.key == "R" && $0.text.contains("Poll feeds over HTTP now") })
    }
}
