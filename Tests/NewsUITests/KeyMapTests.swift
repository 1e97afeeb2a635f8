import NewsCore
import Testing
@testable import NewsUI

/// Rebindable keys (issue 14): a ``KeyMap`` made from the standard one with a config's
/// changes, dispatched through by the reducer and shown by the help and the hints.
@Suite("Key map")
struct KeyMapTests {
    /// A change as the config reader makes one: the keys by their names.
    static func change(_ operation: Operation, _ context: KeyContext? = nil, _ names: String...) -> KeyRebinding {
        KeyRebinding(operation: operation, context: context, keys: names.map { Key(name: $0)! })
    }

    static func map(_ changes: KeyRebinding...) throws -> KeyMap {
        try KeyMap.standard.rebinding(changes)
    }

    /// Ten headlines in a state whose keys are `keys`.
    static func state(_ keys: KeyMap, columns: Int = 80, rows: Int = 24, replay: Bool = false, sources: [String] = ["tech", "sports", "world"]) -> AppState {
        var state = AppState(history: History(capacity: 100, chunkSize: 16),
                             config: AppConfig(sources: sources, feedStart: t0, color: false, replay: replay, hasStore: true, keys: keys),
                             columns: columns, rows: rows, now: t0)
        state.apply(.headlines((0..<10).map { headline($0, "Headline \($0) \(["goal", "market"][$0 % 2])") }, now: t0.adding(milliseconds: 10_000)))
        return state
    }

    /// The error `changes` make (nil: none).
    static func error(_ changes: KeyRebinding...) -> KeyMapError? {
        do {
            _ = try KeyMap.standard.rebinding(changes)
            return nil
        } catch {
            return error
        }
    }

    // MARK: rebinding

    @Test("quit = x: x quits from the list, q no longer does; Ctrl-C still quits everywhere")
    func rebindingReplacesDefaults() throws {
        var state = Self.state(try Self.map(Self.change(.quit, nil, "x")))
        #expect(state.apply(.key(.char("q"))).isEmpty)
        #expect(state.mode == .list)
        #expect(state.apply(.key(.char("x"))) == [.quit])
        #expect(state.apply(.key(.ctrl("c"))) == [.quit])
        // The other contexts' quit is the safety binding: untouched, x means nothing there.
        state.apply(.key(.enter))
        #expect(state.mode == .detail)
        #expect(state.apply(.key(.char("x"))).isEmpty && state.mode == .detail)
        #expect(state.apply(.key(.ctrl("c"))) == [.quit])
        state.apply(.key(.char("q")))  // detail.close keeps its q
        #expect(state.mode == .list)
        state.apply(.key(.char("/")))
        state.type("x")
        #expect(state.editor?.text == "x", "x types itself in the filter editor")
        #expect(state.apply(.key(.ctrl("c"))) == [.quit])
        // The standard map is unchanged.
        var standard = Self.state(.standard)
        #expect(standard.apply(.key(.char("q"))) == [.quit])
        #expect(standard.apply(.key(.char("x"))).isEmpty)
    }

    @Test("down = [n, Down]: both move the selection, in the list and the detail view; j no longer does")
    func listOfKeys() throws {
        var state = Self.state(try Self.map(Self.change(.down, nil, "n", "Down")))
        #expect(state.selectedIndex == 0)
        state.apply(.key(.char("n")))
        #expect(state.selectedIndex == 1)
        state.apply(.key(.down))
        #expect(state.selectedIndex == 2)
        state.apply(.key(.char("j")))
        #expect(state.selectedIndex == 2)
        state.apply(.key(.enter), .key(.char("n")))
        #expect(state.mode == .detail && state.selectedIndex == 3)
        state.apply(.key(.char("j")))
        #expect(state.selectedIndex == 3)
        #expect(state.config.keys.binding(.down, in: .list).keys == [.char("n"), .down])
    }

    @Test("[keys.detail] down = n changes the detail view's down only: the list keeps j")
    func contextOnly() throws {
        let keys = try Self.map(Self.change(.down, .detail, "n"))
        #expect(keys.keys(.down, in: .detail) == [.char("n")])
        #expect(keys.keys(.down, in: .list) == [.char("j"), .down])
        var state = Self.state(keys)
        state.apply(.key(.char("j")))
        #expect(state.selectedIndex == 1)
        state.apply(.key(.char("n")))
        #expect(state.selectedIndex == 1, "n means nothing in the list")
        state.apply(.key(.enter), .key(.char("j")))
        #expect(state.mode == .detail && state.selectedIndex == 1, "j means nothing in the detail view")
        state.apply(.key(.char("n")))
        #expect(state.selectedIndex == 2)
        // The split entry follows the original: the help's sections keep their order.
        #expect(keys.table.count == KeyMap.standard.table.count + 1)
        let i = keys.table.firstIndex { $0.operation == .down }!
        #expect(keys.table[i].contexts == [.list] && keys.table[i + 1].operation == .down && keys.table[i + 1].contexts == [.detail])
    }

    @Test("the change for one context wins over the one for all, whichever comes first")
    func specificWins() throws {
        let general = Self.change(.help, nil, "h"), detail = Self.change(.help, .detail, "H")
        for keys in [try Self.map(general, detail), try Self.map(detail, general)] {
            #expect(keys.keys(.help, in: .list) == [.char("h")])
            #expect(keys.keys(.help, in: .sourcePicker) == [.char("h")])
            #expect(keys.keys(.help, in: .detail) == [.char("H")])
            #expect(keys.operation(for: .char("?"), in: [.list]) == nil)
        }
        // Of two changes of the same entry, the later.
        #expect(try Self.map(Self.change(.toggleTime, nil, "y"), Self.change(.toggleTime, nil, "z")).keys(.toggleTime, in: .list) == [.char("z")])
    }

    @Test("an empty list unbinds: the key does nothing, the hint line leaves it out, the help says (unbound)")
    func unbinding() throws {
        let keys = try Self.map(Self.change(.toggleTime, nil))
        var state = Self.state(keys, columns: 120)
        #expect(state.screen.last?.contains("t time") == false, "\(state.screen.last ?? "")")
        #expect(Self.state(.standard, columns: 120).screen.last?.contains("t time") == true)
        state.apply(.key(.char("t")))
        #expect(state.timeMode == .relative)
        let lines = HelpPage.lines(columns: 100, replay: false, keys: keys)
        let row = lines.first { $0.text.hasPrefix("Switch between relative") }
        #expect(row?.key == "(unbound)")
        // Unbinding one of a hint's two operations leaves the other under its own name.
        let noUp = try Self.map(Self.change(.up, .detail))
        #expect(KeyHints.line(KeyHints.detail, noUp) == "Esc close  j down  r read  s star  ? help")
    }

    @Test("Ctrl-C quits in every context whatever is rebound, unbound or split")
    func ctrlCAlwaysQuits() throws {
        let keys = try Self.map(Self.change(.quit, nil), Self.change(.quit, .help, "x"), Self.change(.quit, .filterEditor))
        for context in KeyContext.allCases where context != .replay {
            #expect(keys.operation(for: .ctrl("c"), in: [context]) == .quit, "\(context)")
        }
        #expect(keys.keys(.quit, in: .list) == [.ctrl("c")])
        #expect(keys.keys(.quit, in: .help) == [.char("x"), .ctrl("c")])
        #expect(keys.operation(for: .char("q"), in: [.list]) == nil)
        // Written with the others, Ctrl-C is kept once, last.
        #expect(try Self.map(Self.change(.quit, nil, "Ctrl-c", "x")).keys(.quit, in: .list) == [.char("x"), .ctrl("c")])
        var state = Self.state(keys)
        state.apply(.key(.char("?")))
        #expect(state.apply(.key(.char("x"))) == [.quit])
        #expect(KeyHint(.quit, in: .list).text(keys) == "Ctrl-C quit")
    }

    @Test("Shift-Tab and F1-F12 can be bound")
    func newKeys() throws {
        let keys = try Self.map(Self.change(.help, nil, "F1"), Self.change(.pickerDown, nil, "Tab"),
                                Self.change(.pickerUp, nil, "Shift-Tab"), Self.change(.refresh, .list, "F5"))
        var state = Self.state(keys)
        state.apply(.key(.function(1)))
        #expect(state.mode == .help)
        state.apply(.key(.escape), .key(.char("S")))
        #expect(state.mode == .sources && state.pickerCursor == 0)
        state.apply(.key(.tab), .key(.tab))
        #expect(state.pickerCursor == 2)
        state.apply(.key(.shiftTab))
        #expect(state.pickerCursor == 1)
        #expect(keys.operation(for: .function(5), in: [.list]) == .refresh)
        #expect(keys.operation(for: .char("R"), in: [.sourcePicker]) == .refresh)
        #expect(keys.operation(for: .char("R"), in: [.list]) == nil)
        #expect(state.screen.last?.contains("Tab/Shift-Tab move") == true, "\(state.screen.last ?? "")")
    }

    @Test("no rebinding, no change; the standard map passes its own checks")
    func standardIsValid() throws {
        let same = try KeyMap.standard.rebinding([])
        #expect(same.table.map(\.operation) == KeyBindings.table.map(\.operation))
        #expect(same.table.map(\.keys) == KeyBindings.table.map(\.keys))
        #expect(same.table.map(\.contexts) == KeyBindings.table.map(\.contexts))
    }

    @Test("no key is bound twice where contexts hold together, in the standard map")
    func standardNoKeyTwice() {
        for contexts in KeyMap.activeTogether {
            var seen: [Key: Operation] = [:]
            for binding in KeyMap.standard.table where !Set(binding.contexts).isDisjoint(with: contexts) {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(key) is bound to \(seen[key].map(\.rawValue) ?? "") and \(binding.operation.rawValue)")
                    seen[key] = binding.operation
                }
            }
        }
    }

    // MARK: errors

    @Test("an operation bound in a context it does not hold in")
    func notInContext() {
        let open = Self.error(Self.change(.open, .help, "x"))
        #expect(open == .notInContext(.open, context: .help, holdsIn: [.list]))
        #expect(open?.description == "open cannot be bound in help: it holds only in list")
        let down = Self.error(Self.change(.down, .sourcePicker, "x"))
        #expect(down?.description == "down cannot be bound in sources: it holds only in list and detail")
        let help = Self.error(Self.change(.help, .filterEditor, "F1"))
        #expect(help?.description == "help cannot be bound in editor: it holds only in list, detail and sources")
    }

    @Test("a key bound twice: with a default not rebound, with two rebound, across a replay and the list")
    func boundTwice() throws {
        let quit = Self.error(Self.change(.quit, nil, "j"))
        #expect(quit == .boundTwice(.char("j"), first: .down, firstContext: .list, second: .quit, secondContext: .list, byDefault: .down))
        #expect(quit?.description == "j is bound to both down and quit in list (j is down's default: rebind or unbind down too)")
        // Rebinding down too resolves it.
        let keys = try Self.map(Self.change(.quit, nil, "j"), Self.change(.down, nil, "n"))
        #expect(keys.operation(for: .char("j"), in: [.list]) == .quit)

        let both = Self.error(Self.change(.up, nil, "n"), Self.change(.down, nil, "n"))
        #expect(both?.description == "n is bound to both down and up in list")
        // Only in the detail view.
        let detail = Self.error(Self.change(.toggleStar, .detail, "Esc"))
        #expect(detail?.description == "Esc is bound to both toggleStar and detail.close in detail (Esc is detail.close's default: rebind or unbind detail.close too)")
        // A replay's keys hold in the list too.
        let replay = Self.error(Self.change(.toggleTime, nil, "["))
        #expect(replay == .boundTwice(.char("["), first: .replayBack, firstContext: .replay, second: .toggleTime, secondContext: .list, byDefault: .replayBack))
        #expect(replay?.description == "[ is bound to both replayBack in replay and toggleTime in list, and a replay's keys hold in the list too (["
            + " is replayBack's default: rebind or unbind replayBack too)")
        // The same key twice for one operation is one key.
        #expect(try Self.map(Self.change(.toggleTime, nil, "y", "y")).keys(.toggleTime, in: .list) == [.char("y")])
    }

    @Test("Ctrl-C cannot be bound to anything but quit")
    func fixedKey() {
        let error = Self.error(Self.change(.down, nil, "n", "Ctrl-C"))
        #expect(error == .fixedKey(.ctrl("c"), operation: .down))
        #expect(error?.description == "Ctrl-c always quits, in every context, so that the terminal can always be left: it cannot be bound to down")
    }

    @Test("a character cannot be bound in the filter editor, where it types itself")
    func typedInEditor() throws {
        let error = Self.error(Self.change(.editorKeep, nil, "k"))
        #expect(error == .typedInEditor(.char("k"), operation: .editorKeep))
        #expect(error?.description == "k cannot be bound to editor.keep: in the filter editor every character types itself (bind a key such as Ctrl-x, Tab, Shift-Tab or F1-F12)")
        #expect(try Self.map(Self.change(.editorKeep, nil, "Enter", "F2")).keys(.editorKeep, in: .filterEditor) == [.enter, .function(2)])
    }

    // MARK: what shows the keys

    @Test("the help screen as drawn and the hint line show a rebound key")
    func helpAndHintsShowRebound() throws {
        let keys = try Self.map(Self.change(.quit, nil, "x"), Self.change(.help, nil, "h"), Self.change(.editFilter, nil, "e"))
        var state = Self.state(keys, columns: 100)
        let status = state.screen.last!
        #expect(status.contains("e filter") && status.contains("h help") && status.contains("x quit"), "\(status)")
        #expect(!status.contains("q quit") && !status.contains("? help"), "\(status)")
        state = Self.state(keys, columns: 100, rows: 300)
        state.apply(.key(.char("h")))
        #expect(state.mode == .help)
        let screen = state.screen
        #expect(screen.contains { $0.hasPrefix(" x/Ctrl-C ") && $0.contains("Quit (q closes") }, "quit's row")
        #expect(screen.contains { $0.hasPrefix(" h ") && $0.contains("Show this help") }, "help's row")
        #expect(!screen.contains { $0.hasPrefix(" ? ") })
        for heading in ["In this help (h)", "Editing the filter (e)", "Filters (e, or --filter)"] {
            #expect(screen.contains { $0.contains(" " + heading + " ") }, "\(heading)")
        }
        // The help scrolls over as many lines as it has with these keys.
        #expect(HelpPage.lines(columns: 100, replay: false, keys: keys).count == HelpPage.lines(columns: 100, replay: false).count)
    }

    @Test("the replay's progress line, the detail view's and the help's bars show the keys in force")
    func barsShowRebound() throws {
        let keys = try Self.map(Self.change(.replayStep, nil, "n"), Self.change(.detailClose, nil, "Backspace"),
                                Self.change(.helpClose, nil, "Esc", "F10"), Self.change(.helpScrollDown, nil, "Down"))
        var state = Self.state(keys, columns: 120, rows: 10, replay: true)
        state.apply(.replayStatus(ReplayStatus(position: 1000, duration: 60_000, speed: 2, paused: true)))
        #expect(state.screen.last?.contains("Space resume  n step  +/- speed") == true, "\(state.screen.last ?? "")")
        #expect(state.apply(.key(.char("n"))) == [.replay(.step)])
        #expect(state.apply(.key(.char("."))).isEmpty)
        state.apply(.key(.enter))
        #expect(state.screen.last?.contains("Backspace close  j/k next/previous") == true, "\(state.screen.last ?? "")")
        state.apply(.key(.escape))
        #expect(state.mode == .detail, "Esc no longer closes the headline")
        state.apply(.key(.backspace), .key(.char("?")))
        #expect(state.mode == .help)
        #expect(state.screen.last?.contains("↓/k scroll  PgDn/PgUp page  Esc close") == true, "\(state.screen.last ?? "")")
    }

    @Test("a source toggle rebound: the help lists the toggles one by one, the sources screen shows its key")
    func sourceToggleRebound() throws {
        let keys = try Self.map(Self.change(.toggleSource3, nil, "x"))
        let lines = HelpPage.lines(columns: 100, replay: false, keys: keys)
        #expect(!lines.contains { $0.key == "1-9" })
        #expect(lines.filter { $0.key == "x" }.count == 2, "in the list's section and the sources screen's")
        #expect(lines.contains { $0.key == "2" && $0.text.hasPrefix("Show or hide the second source") })
        var state = Self.state(keys)
        state.apply(.key(.char("x")))
        #expect(state.hiddenSources == ["world"])
        state.apply(.key(.char("S")))
        let rows = state.screen
        #expect(rows.contains { $0.hasPrefix(" x [ ]") && $0.contains("world") }, "\(rows.joined(separator: "\n"))")
        #expect(rows.contains { $0.hasPrefix(" 2 [x]") && $0.contains("sports") })
    }

    @Test("the store search's way back names the keys in force")
    func storeSearchBack() throws {
        let keys = try Self.map(Self.change(.leaveSearch, nil, "b"))
        var state = Self.state(keys)
        state.apply(.storeResults(query: "goal", [headline(50, "Archived goal", source: "tech", at: -1000)]),
                    .tick(now: t0.adding(milliseconds: 30_000)))
        #expect(state.screen.last?.contains("store search: goal · 1 found · F or b back") == true, "\(state.screen.last ?? "")")
        state.apply(.key(.escape))
        #expect(state.storeSearch == "goal")
        state.apply(.key(.char("b")))
        #expect(state.storeSearch == nil)
    }

    @Test("the store search's messages name the keys in force")
    func storeSearchMessages() throws {
        var state = Self.state(try Self.map(Self.change(.searchStore, nil, "F3"), Self.change(.editFilter, nil, "e")))
        state.apply(.key(.function(3)))
        #expect(state.message?.text == "type a filter first (e): F3 searches the whole store for it")
        var standard = Self.state(.standard)
        standard.apply(.key(.char("F")))
        #expect(standard.message?.text == "type a filter first (/): F searches the whole store for it")
    }

    @Test("--filter applies whatever key edits the filter")
    func applyFilter() throws {
        var state = Self.state(try Self.map(Self.change(.editFilter, nil, "e")))
        state.applyFilter("goal")
        #expect(state.filterText == "goal" && state.editor == nil)
        #expect(state.listedTitles == ["Headline 8 goal", "Headline 6 goal", "Headline 4 goal", "Headline 2 goal", "Headline 0 goal"])
    }
}
