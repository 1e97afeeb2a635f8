import Testing
@testable import NewsUI

@Suite struct KeyNamesTests {
    @Test("every named key reads back as itself", arguments: [
        ("x", Key.char("x")), ("G", .char("G")), ("?", .char("?")), ("é", .char("é")),
        ("Ctrl-x", .ctrl("x")), ("ctrl-X", .ctrl("x")), ("Enter", .enter), ("esc", .escape),
        ("Tab", .tab), ("Shift-Tab", .shiftTab), ("Space", .char(" ")), ("Up", .up), ("Down", .down),
        ("Left", .left), ("Right", .right), ("PgUp", .pageUp), ("PgDn", .pageDown), ("Home", .home),
        ("End", .end), ("F1", .function(1)), ("F12", .function(12)), ("Backspace", .backspace), ("Del", .delete),
    ])
    func names(name: String, key: Key) {
        #expect(Key(name: name) == key)
        #expect(Key(name: key.name) == key)
    }

    @Test("what is not a key name", arguments: ["", " ", "\t", "F0", "F13", "F01", "Ctrl-", "Ctrl-1", "Ctrl-ab", "Up!", "xy", "Shift-x", "\u{7}"])
    func notNames(name: String) {
        #expect(Key(name: name) == nil)
    }

    @Test func shiftTabFromItsSequence() {
        let esc = TerminalInput.character(0x1B)
        #expect(KeyDecoder.decode([esc, .character(0x5B), .character(0x5A)]) == [.shiftTab])
        // With parameters it is some other key's sequence, dropped whole as before.
        #expect(KeyDecoder.decode([esc, .character(0x5B), .character(0x31), .character(0x5A), .character(0x71)]) == [.char("q")])
    }
}
