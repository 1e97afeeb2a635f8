import NewsUI
import Testing

@Suite("Key decoding: unknown escape sequences are dropped whole")
struct KeyDecoderTests {
    /// The codes ncurses hands over for `text`, one character each (as when no terminfo
    /// key matched the bytes).
    func codes(_ text: String) -> [TerminalInput] { text.unicodeScalars.map { .character($0.value) } }

    @Test("plain keys and control characters", arguments: [
        ("q", [Key.char("q")]), ("\r", [.enter]), ("\n", [.enter]), ("\u{7F}", [.backspace]), ("\u{08}", [.backspace]),
        ("\t", [.tab]), ("\u{15}", [.ctrl("u")]), ("é東", [.char("é"), .char("東")]), ("\u{9B}x", [.char("x")]),
    ] as [(String, [Key])])
    func plain(text: String, keys: [Key]) {
        #expect(KeyDecoder.decode(codes(text)) == keys)
    }

    @Test("unknown CSI and SS3 sequences are dropped whole, with the keys around them kept", arguments: [
        "\u{1B}[1~", "\u{1B}[99;5~", "\u{1B}[200~", "\u{1B}[?1;2c", "\u{1B}[1;5H", "\u{1B}[ q", "\u{1B}[<0;12;5M",
        "\u{1B}OZ", "\u{1B}OH", "\u{1B}O5",
    ])
    func unknownSequences(sequence: String) {
        #expect(KeyDecoder.decode(codes(sequence)) == [])
        #expect(KeyDecoder.decode(codes("a" + sequence + "b")) == [.char("a"), .char("b")])
        #expect(KeyDecoder.decode(codes(sequence + sequence + "q")) == [.char("q")])
    }

    @Test("a lone Esc is Esc: at the end of what was read, before a key ncurses decoded, before another Esc")
    func loneEscape() {
        #expect(KeyDecoder.decode(codes("\u{1B}")) == [.escape])
        #expect(KeyDecoder.decode([.character(0x1B), .key(.up)]) == [.escape, .up])
        #expect(KeyDecoder.decode(codes("\u{1B}\u{1B}")) == [.escape, .escape])
        #expect(KeyDecoder.decode(codes("\u{1B}\u{1B}[1~")) == [.escape])
        // Esc then an ordinary key (Alt-x): both, as before.
        #expect(KeyDecoder.decode(codes("\u{1B}x")) == [.escape, .char("x")])
    }

    @Test("a sequence broken by a control character or a decoded key ends there; that key still counts")
    func brokenSequence() {
        #expect(KeyDecoder.decode(codes("\u{1B}[12\rq")) == [.enter, .char("q")])
        #expect(KeyDecoder.decode([.character(0x1B), .character(0x5B), .key(.down), .character(0x71)]) == [.down, .char("q")])
        #expect(KeyDecoder.decode(codes("\u{1B}[1é")) == [.char("é")])
        // An unfinished sequence at the end of what was read is dropped, not typed.
        #expect(KeyDecoder.decode(codes("\u{1B}[1;5")) == [])
        #expect(KeyDecoder.decode(codes("\u{1B}O")) == [])
    }

    @Test("keys ncurses decoded pass through")
    func decodedKeys() {
        #expect(KeyDecoder.decode([.key(.home), .key(.pageDown), .character(0x67)]) == [.home, .pageDown, .char("g")])
    }
}
