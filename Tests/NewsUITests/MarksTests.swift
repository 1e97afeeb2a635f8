import NewsCore
@testable import NewsUI
import Testing

/// Reading (issue 13): the marks in the view's state machine: keys, effects, filters, screens.
@Suite("Marks: read and starred in the view")
struct MarksTests {
    private func key(_ state: AppState, _ seq: Int) -> HeadlineKey { state.history.key(seq) }

    @Test("Enter opens and marks the headline read, once: opening it again asks the store for nothing")
    func enterMarksRead() {
        var state = makeState(count: 10)
        let seq = state.selected!
        #expect(state.history.unreadCount == 10)
        #expect(state.apply(.key(.enter)) == [.setRead([HeadlineKey(source: "tech", id: "tech-9")], true)])
        #expect(state.mode == .detail && state.history.marks(seq) == .read && state.history.unreadCount == 9)
        state.apply(.key(.escape))
        #expect(state.apply(.key(.enter)).isEmpty, "already read")
        #expect(state.history.unreadCount == 9)
    }

    @Test("r toggles read of the selected headline in the list and the detail view, with an effect each time")
    func toggleRead() {
        var state = makeState(count: 10)
        state.apply(.key(.char("j")))
        let seq = state.selected!
        #expect(state.apply(.key(.char("r"))) == [.setRead([key(state, seq)], true)])
        #expect(state.history.marks(seq) == .read && state.message?.text == "marked read")
        #expect(state.apply(.key(.char("r"))) == [.setRead([key(state, seq)], false)])
        #expect(state.history.marks(seq) == [] && state.message?.text == "marked unread")
        #expect(state.history.unreadCount == 10)
        // In the detail view (Enter marked it read): r makes it unread again, and j/k still move.
        state.apply(.key(.enter))
        #expect(state.apply(.key(.char("r"))) == [.setRead([key(state, seq)], false)])
        #expect(state.mode == .detail && state.history.isUnread(seq))
        #expect(state.screen[0].contains("unread"))
    }

    @Test("s stars and unstars the selected headline (list and detail); it no longer opens the sources screen")
    func toggleStar() {
        var state = makeState(count: 10)
        let seq = state.selected!
        #expect(state.apply(.key(.char("s"))) == [.setStarred(key(state, seq), true)])
        #expect(state.mode == .list && state.history.marks(seq) == .starred && state.message?.text == "starred")
        #expect(state.screen[1].hasPrefix("★"), "\(state.screen[1])")
        state.apply(.key(.enter))
        #expect(state.screen[0].contains("★ starred"), "\(state.screen[0])")
        #expect(state.apply(.key(.char("s"))) == [.setStarred(key(state, seq), false)])
        #expect(state.history.marks(seq) == .read && state.message?.text == "unstarred")
        #expect(state.history.unreadCount == 9, "a star does not change what is unread")
        state.apply(.key(.escape), .key(.char("S")))
        #expect(state.mode == .sources)
    }

    @Test("A marks the whole filtered list read (not only the screen) in one effect; what is read or hidden is left")
    func markAllRead() {
        var state = makeState(count: 60, rows: 10)
        state.apply(.key(.char("j")), .key(.char("r")))  // one already read
        let alreadyRead = state.selected!
        state.type("/goal")
        state.apply(.key(.enter))
        let listed = (0..<state.visibleCount).map { state.seq(atIndex: $0) }
        #expect(listed.count == 12 && listed.count > state.listHeight)
        let effects = state.apply(.key(.char("A")))
        let expectedKeys = listed.reversed().filter { $0 != alreadyRead }.map { key(state, $0) }
        #expect(effects == [.setRead(expectedKeys, true)])
        #expect(state.message?.text == "\(expectedKeys.count) marked read")
        #expect(listed.allSatisfy { !state.history.isUnread($0) })
        #expect(state.history.unreadCount == 60 - 13)
        #expect(state.apply(.key(.char("A"))).isEmpty && state.message?.text == "nothing unread here")
    }

    @Test("u lists only unread headlines, together with the filter and the source toggles; one read meanwhile stays until re-applied")
    func unreadOnly() {
        var state = makeState(count: 30)
        for _ in 0..<3 { state.apply(.key(.char("r")), .key(.char("j"))) }  // the three newest read
        state.apply(.key(.char("u")))
        #expect(state.message?.text == "showing unread only")
        #expect(state.visibleCount == 27 && state.marksFilter.unreadOnly)
        #expect(state.screen[0].contains("unread only"), "\(state.screen[0])")
        #expect(state.screen[0].contains("27/30"), "\(state.screen[0])")
        // With a source hidden and a filter: all three apply.
        state.apply(.key(.char("1")))
        state.type("/goal")
        state.apply(.key(.enter))
        let expected = (0..<30).filter { $0 % 5 == 0 && $0 % 3 != 0 && $0 < 27 }
        #expect(state.listedTitles == expected.reversed().map { "Headline \($0) goal" })
        // Reading the selected one: it stays listed (and selected) until the filter is applied again.
        let seq = state.selected!
        state.apply(.key(.char("r")))
        #expect(state.index(of: seq) != nil && state.selected == seq)
        state.apply(.key(.char("u")), .key(.char("u")))
        #expect(state.index(of: seq) == nil)
        #expect(state.visibleCount == expected.count - 1)
        // u again: everything back.
        state.apply(.key(.char("u")))
        #expect(state.message?.text == "showing read and unread" && state.visibleCount == expected.count)
    }

    @Test("* lists only starred headlines; with u, the starred unread ones; the header says so")
    func starredOnly() {
        var state = makeState(count: 20)
        state.apply(.key(.char("s")), .key(.char("j")), .key(.char("j")), .key(.char("s")), .key(.char("r")))
        state.apply(.key(.char("*")))
        #expect(state.message?.text == "showing starred only")
        #expect(state.listedTitles == ["Headline 19 final", "Headline 17 storm"])
        #expect(state.screen[0].contains("starred only"))
        state.apply(.key(.char("u")))
        #expect(state.listedTitles == ["Headline 19 final"])
        #expect(state.screen[0].contains("unread starred only"), "\(state.screen[0])")
        state.apply(.key(.char("*")))
        #expect(state.message?.text == "showing starred and unstarred" && state.visibleCount == 19)
    }

    @Test("Stored marks arrive with the headlines: the list, the header's unread count and the marks column show them")
    func storedMarks() {
        var state = AppState(history: History(capacity: 100, chunkSize: 4),
                             config: AppConfig(sources: ["tech"], feedStart: t0, color: false, hasStore: true),
                             columns: 80, rows: 10, now: t0)
        var batch = (0..<4).map { headline($0, "Stored \($0)", source: "tech") }
        batch[0].marks = .read
        batch[1].marks = [.read, .starred]
        batch[2].marks = .starred
        state.apply(.headlines(batch, now: t0.adding(milliseconds: 5000)))
        #expect(state.history.unreadCount == 2)
        let screen = state.screen
        #expect(screen[0].contains("4 of 4 shown · 2 unread"), "\(screen[0])")
        // Newest first: 3 unread (●), 2 starred unread (★), 1 starred read (★), 0 read (blank).
        #expect(screen[1].hasPrefix("●") && screen[2].hasPrefix("★") && screen[3].hasPrefix("★") && screen[4].hasPrefix(" "))
        let grid = Renderer.render(state)
        let titleColumn = screen[1].range(of: "Stored 3")!.lowerBound.utf16Offset(in: screen[1])  // ● is one UTF-16 unit, one cell
        #expect(grid[2, titleColumn].style.bold, "an unread title is bold")
        #expect(!grid[3, titleColumn].style.bold && !grid[4, titleColumn].style.bold, "a read one is not")
        // An update from the feed keeps the reader's marks.
        state.apply(.headlines([Arrival(offset: 6000, headline: Headline(id: "tech-1", source: "tech", title: "Stored 1, changed", published: t0), isUpdate: true)],
                               now: t0.adding(milliseconds: 6000)))
        #expect(state.history.marks(1) == [.read, .starred] && state.history.unreadCount == 2)
    }

    @Test("The new keys are in the one key table, with help texts; s and S no longer share the sources screen")
    func keyTable() {
        #expect(KeyBindings.operation(for: .char("s"), in: [.list]) == .toggleStar)
        #expect(KeyBindings.operation(for: .char("s"), in: [.detail]) == .toggleStar)
        #expect(KeyBindings.operation(for: .char("S"), in: [.list]) == .sourcePicker)
        #expect(KeyBindings.operation(for: .char("r"), in: [.detail]) == .toggleRead)
        #expect(KeyBindings.operation(for: .char("A"), in: [.list]) == .markAllRead)
        #expect(KeyBindings.operation(for: .char("u"), in: [.list]) == .unreadOnly)
        #expect(KeyBindings.operation(for: .char("*"), in: [.list]) == .starredOnly)
        #expect(KeyBindings.operation(for: .char("s"), in: [.sourcePicker]) == nil)
        let help = HelpPage.lines(columns: 100, replay: false).map(\.text).joined(separator: " ")
        #expect(help.contains("Star the selected headline") && help.contains("List only unread headlines"))
    }

    @Test("Without a store nothing is marked: no marks column, no unread count, no bold; the mark keys say why and do nothing")
    func noStoreNoMarks() {
        var state = makeState(count: 5, columns: 80, rows: 10, hasStore: false)
        let screen = state.screen
        #expect(!screen[0].contains("unread"), "\(screen[0])")
        #expect(screen[1].firstMatch(of: #/^\s*\d+[smhd]|^\s*now/#) != nil, "\(screen[1])")
        #expect(!Renderer.render(state)[1, 12].style.bold)
        for key in ["r", "s", "A", "u", "*"] {
            #expect(state.apply(.key(.char(Character(key)))).isEmpty, "\(key)")
            #expect(state.message?.text.contains("no store here") == true)
        }
        #expect(state.apply(.key(.enter)).isEmpty)  // opened, but not marked read: nowhere to keep it
        #expect(state.history.unreadCount == 5 && state.mode == .detail)
    }

    @Test("j and k in the detail view open the next headline, and it is marked read as Enter's is; in the list they mark nothing")
    func detailMovesMarkRead() {
        var state = makeState(count: 5, columns: 80, rows: 10)
        #expect(state.apply(.key(.char("j"))).isEmpty)  // the list: moving reads nothing
        let opened = state.apply(.key(.enter))
        #expect(opened.count == 1 && state.history.unreadCount == 4)
        let next = state.apply(.key(.char("j")))
        #expect(state.mode == .detail && state.history.unreadCount == 3)
        #expect(next == [.setRead([state.history.key(state.selected!)], true)])
        // Back to one already read: nothing to say.
        #expect(state.apply(.key(.char("k"))).isEmpty && state.history.unreadCount == 3)
    }
}
