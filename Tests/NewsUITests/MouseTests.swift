import NewsCore
import NewsUI
import Testing

@Suite("Mouse reports: SGR 1006 decoding")
struct MouseDecoderTests {
    func codes(_ text: String) -> [TerminalInput] { text.unicodeScalars.map { .character($0.value) } }
    func inputs(_ text: String) -> [Input] { KeyDecoder.decodeInputs(codes(text)) }

    @Test("a press and its release, 1-based cells become 0-based")
    func pressRelease() {
        #expect(inputs("\u{1B}[<0;10;5M") == [.mouse(MouseEvent(.press(.left), column: 9, row: 4))])
        #expect(inputs("\u{1B}[<0;10;5m") == [.mouse(MouseEvent(.release(.left), column: 9, row: 4))])
        #expect(inputs("\u{1B}[<2;1;1M") == [.mouse(MouseEvent(.press(.right), column: 0, row: 0))])
        #expect(inputs("\u{1B}[<1;3;4M") == [.mouse(MouseEvent(.press(.middle), column: 2, row: 3))])
    }

    @Test("the wheel, up and down")
    func wheel() {
        #expect(inputs("\u{1B}[<64;7;8M") == [.mouse(MouseEvent(.wheelUp, column: 6, row: 7))])
        #expect(inputs("\u{1B}[<65;7;8M") == [.mouse(MouseEvent(.wheelDown, column: 6, row: 7))])
    }

    @Test("modifiers: shift, alt, control (and a wheel with control)")
    func modifiers() {
        #expect(inputs("\u{1B}[<4;2;2M") == [.mouse(MouseEvent(.press(.left), column: 1, row: 1, modifiers: .shift))])
        #expect(inputs("\u{1B}[<8;2;2M") == [.mouse(MouseEvent(.press(.left), column: 1, row: 1, modifiers: .alt))])
        #expect(inputs("\u{1B}[<18;2;2M") == [.mouse(MouseEvent(.press(.right), column: 1, row: 1, modifiers: .control))])
        #expect(inputs("\u{1B}[<81;2;2M") == [.mouse(MouseEvent(.wheelDown, column: 1, row: 1, modifiers: .control))])
        #expect(inputs("\u{1B}[<32;2;2M") == [.mouse(MouseEvent(.motion, column: 1, row: 1))])
    }

    @Test("coordinates past 223 (where X10 reports end) and large ones")
    func bigCoordinates() {
        #expect(inputs("\u{1B}[<0;300;250M") == [.mouse(MouseEvent(.press(.left), column: 299, row: 249))])
        #expect(inputs("\u{1B}[<0;99999;1M") == [.mouse(MouseEvent(.press(.left), column: 99998, row: 0))])
    }

    @Test("reports between keys keep the keys, in order")
    func amongKeys() {
        #expect(inputs("j\u{1B}[<0;10;5Mk\u{1B}[<0;10;5mq") == [
            .key(.char("j")), .mouse(MouseEvent(.press(.left), column: 9, row: 4)), .key(.char("k")),
            .mouse(MouseEvent(.release(.left), column: 9, row: 4)), .key(.char("q")),
        ])
        // The keys-only decoding leaves them out.
        #expect(KeyDecoder.decode(codes("j\u{1B}[<0;10;5Mk")) == [.char("j"), .char("k")])
    }

    @Test("broken reports are dropped whole; nothing of them is typed", arguments: [
        "\u{1B}[<0;10M", "\u{1B}[<0;10;5;1M", "\u{1B}[<;10;5M", "\u{1B}[<0;0;5M", "\u{1B}[<0;10;0M", "\u{1B}[<0;1234567;5M",
        "\u{1B}[<0;10;5~", "\u{1B}[0;10;5M", "\u{1B}[<0:10;5M", "\u{1B}[<0;1;1;M", "\u{1B}[<<0;1;1M",
    ])
    func broken(report: String) {
        #expect(inputs("a" + report + "b") == [.key(.char("a")), .key(.char("b"))], "\(Array(report.unicodeScalars))")
    }

    @Test("a report cut off at the end of a read is dropped; a character inside one ends it and is kept")
    func unfinished() {
        #expect(inputs("\u{1B}[<0;10;5") == [])
        #expect(inputs("\u{1B}[<0;1\rq") == [.key(.enter), .key(.char("q"))])
    }

    @Test("an X10 report (ESC [ M and three bytes) is decoded, not typed")
    func x10() {
        // Button 0 at column 10, row 5: bytes 32, 42, 37.
        #expect(inputs("\u{1B}[M *%q") == [.mouse(MouseEvent(.press(.left), column: 9, row: 4)), .key(.char("q"))])
        #expect(inputs("\u{1B}[M#*%") == [.mouse(MouseEvent(.release(nil), column: 9, row: 4))])
        #expect(inputs("\u{1B}[M`*%") == [.mouse(MouseEvent(.wheelUp, column: 9, row: 4))])
    }
}

@Suite("Mouse in the view: the wheel scrolls, a click selects, a double click opens")
struct MouseReducerTests {
    func click(_ row: Int, column: Int = 30, at time: Int64) -> AppEvent {
        .mouse(MouseEvent(.press(.left), column: column, row: row, time: time))
    }
    func release(_ row: Int, at time: Int64) -> AppEvent {
        .mouse(MouseEvent(.release(.left), column: 30, row: row, time: time))
    }

    @Test("a click on a list row selects the headline shown there; the row it is on stays put")
    func clickSelects() {
        var state = makeState(count: 30)  // 80x24: rows 1-22 list, newest on row 1
        #expect(state.selectedIndex == 0)
        state.apply(click(5, at: 1000), release(5, at: 1050))
        #expect(state.selectedIndex == 4)
        #expect(state.selectedTitle == state.listedTitles[4])
        #expect(state.mode == .list)
        #expect(!state.following)
        // The screen shows the selection on row 5.
        let rendered = Renderer.render(state)
        #expect(rendered[5, 2].style.reverse)
        #expect(!rendered[1, 2].style.reverse)
        // The hit test reads what is drawn: row 5 shows list position 4.
        #expect(Renderer.hitTest(state, row: 5, column: 0) == .listRow(4))
    }

    @Test("a click after scrolling selects what the row shows now")
    func clickAfterScroll() {
        var state = makeState(count: 60)
        state.apply(.key(.char("g")))  // the oldest: the top row is no longer the newest
        let top = state.topIndex
        #expect(top > 0)
        state.apply(click(3, at: 10))
        #expect(state.selectedIndex == top + 2)
    }

    @Test("two clicks on one row within 400 ms open it; farther apart, or on two rows, they do not")
    func doubleClick() {
        var state = makeState(count: 30)
        state.apply(click(4, at: 1000), release(4, at: 1040), click(4, at: 1300))
        #expect(state.mode == .detail)
        #expect(state.selectedIndex == 3)

        var slow = makeState(count: 30)
        slow.apply(click(4, at: 1000), release(4, at: 1040), click(4, at: 1401))
        #expect(slow.mode == .list)
        #expect(slow.selectedIndex == 3)

        var moved = makeState(count: 30)
        moved.apply(click(4, at: 1000), click(6, at: 1100))
        #expect(moved.mode == .list)
        #expect(moved.selectedIndex == 5)

        // A press and its release are one click: two releases never make a double click.
        var releases = makeState(count: 30)
        releases.apply(click(4, at: 1000), release(4, at: 1050), release(4, at: 1100))
        #expect(releases.mode == .list)
    }

    @Test("a double click on a headline with a store marks it read, as Enter does")
    func doubleClickMarksRead() {
        var state = makeState(count: 30, hasStore: true)
        let effects = state.apply(click(2, at: 0), click(2, at: 100))
        #expect(state.mode == .detail)
        let seq = state.seq(atIndex: 1)
        #expect(effects == [.setRead([state.history.key(seq)], true)])
    }

    @Test("clicks outside the list rows do nothing: the header, the status line, below the last headline, other buttons, other screens")
    func clickElsewhere() {
        var state = makeState(count: 5)
        let before = state.selected
        for row in [0, 6, 10, 22, 23, 40] {
            state.apply(click(row, at: Int64(row) * 1000))
            #expect(state.selected == before, "row \(row)")
            #expect(state.following)
        }
        state.apply(.mouse(MouseEvent(.press(.right), column: 5, row: 3, time: 50_000)))
        #expect(state.selected == before)
        #expect(Renderer.hitTest(state, row: 0, column: 3) == nil)
        #expect(Renderer.hitTest(state, row: 23, column: 3) == nil)

        var help = makeState(count: 30)
        help.apply(.key(.char("?")), click(5, at: 0), click(5, at: 100))
        #expect(help.mode == .help)
        help.apply(.key(.escape))
        #expect(help.selectedIndex == 0)
    }

    @Test("the wheel scrolls the list three rows a notch; the selection stays unless it would leave the screen")
    func wheel() {
        var state = makeState(count: 60)  // 22 list rows
        let down = AppEvent.mouse(MouseEvent(.wheelDown, column: 10, row: 10))
        let up = AppEvent.mouse(MouseEvent(.wheelUp, column: 10, row: 10))
        // At the live end, the wheel up moves nothing.
        state.apply(up)
        #expect(state.following && state.topIndex == 0)
        state.apply(click(10, at: 0))  // list position 9
        let selected = state.selected
        state.apply(down)
        #expect(state.topIndex == 3)
        #expect(state.selected == selected)
        state.apply(down, down, down)
        #expect(state.topIndex == 12)
        // Position 9 left the screen at the top: the selection is on the top row.
        #expect(state.selectedIndex == 12)
        state.apply(up)
        #expect(state.topIndex == 9)
        #expect(state.selectedIndex == 12)
        // Never past the end: 60 headlines, 22 rows.
        for _ in 0..<30 { state.apply(down) }
        #expect(state.topIndex == 38)
        #expect(state.selectedIndex == 38)
        for _ in 0..<30 { state.apply(up) }
        #expect(state.topIndex == 0)
        #expect(state.selectedIndex == 21)
    }

    @Test("the wheel scrolls the help and moves through the sources screen")
    func wheelElsewhere() {
        var state = makeState(count: 30)
        state.apply(.key(.char("?")))
        state.apply(.mouse(MouseEvent(.wheelDown, column: 1, row: 1)))
        #expect(state.helpScroll == 3)
        state.apply(.mouse(MouseEvent(.wheelUp, column: 1, row: 1)), .mouse(MouseEvent(.wheelUp, column: 1, row: 1)))
        #expect(state.helpScroll == 0)
        state.apply(.key(.escape), .key(.char("S")))
        #expect(state.mode == .sources)
        state.apply(.mouse(MouseEvent(.wheelDown, column: 1, row: 1)))
        #expect(state.pickerCursor == 2)  // three sources: the last
    }

    @Test("with the mouse off, reports change nothing")
    func mouseOff() {
        let history = History(capacity: 100)
        var state = AppState(history: history, config: AppConfig(sources: ["tech"], feedStart: t0, mouse: false), columns: 80, rows: 24, now: t0)
        state.apply(.headlines((0..<10).map { headline($0, "Headline \($0)", source: "tech") }, now: t0))
        state.apply(click(4, at: 0), click(4, at: 10), .mouse(MouseEvent(.wheelDown, column: 1, row: 1)))
        #expect(state.selectedIndex == 0)
        #expect(state.mode == .list)
        #expect(state.following)
    }
}

@Suite("o opens the selected headline's link")
struct OpenLinkReducerTests {
    func state(url: String?) -> AppState {
        let history = History(capacity: 10)
        var state = AppState(history: history, config: AppConfig(sources: ["tech"], feedStart: t0), columns: 80, rows: 24, now: t0)
        state.apply(.headlines([Arrival(offset: 0, headline: Headline(id: "a", source: "tech", title: "A title", published: t0, url: url))], now: t0))
        return state
    }

    @Test("an http link becomes an effect with the link exactly; the status line says so", arguments: [
        "https://example.com/a?b=$(touch x)&c=`id`;ls|cat 'q' \"d\"", "HTTP://EXAMPLE.COM/", "file:///tmp/page.html",
    ])
    func opens(url: String) {
        var state = state(url: url)
        #expect(state.apply(.key(.char("o"))) == [.openLink(url)])
        #expect(state.message?.text.hasPrefix("opening ") == true)
        // From the detail view too.
        state.apply(.key(.enter))
        #expect(state.mode == .detail)
        #expect(state.apply(.key(.char("o"))) == [.openLink(url)])
    }

    @Test("no link, or one of another scheme, gives a message and no effect")
    func refused() {
        var none = state(url: nil)
        #expect(none.apply(.key(.char("o"))) == [])
        #expect(none.message?.text == "no link")

        var script = state(url: "javascript:alert(document.cookie)")
        #expect(script.apply(.key(.char("o"))) == [])
        #expect(script.message?.text == "not opened: only http, https and file links (javascript:alert(documen…)")

        // Feed text in the message is made safe: an escape sequence shows as its picture.
        var escape = state(url: "x-evil:\u{1B}]0;pwned\u{07}")
        #expect(escape.apply(.key(.char("o"))) == [])
        let text = escape.message?.text ?? ""
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 }, "\(text)")
        #expect(text.contains("␛"))
    }

    @Test("the runtime's notice shows on the status line, made safe")
    func notice() {
        var state = state(url: nil)
        state.apply(.notice("cannot open link: fire\u{1B}fox: not found"))
        #expect(state.message?.text == "cannot open link: fire␛fox: not found")
    }
}
