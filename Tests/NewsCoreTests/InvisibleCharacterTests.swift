import NewsCore
import Testing

@Suite("Bidi controls and zero-width characters are made visible")
struct InvisibleCharacterTests {
    static let invisible: [UInt32] = [
        0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
        0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0x206A, 0x206F, 0xFEFF,
    ]

    @Test("each one between Latin letters is shown by its code point, in brackets that reorder nothing", arguments: invisible)
    func shownByCodePoint(value: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(value))
        let hex = String(value, radix: 16, uppercase: true)
        let code = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let title = "pay\(scalar)pal"
        #expect(TerminalSafe.needsSanitizing(title))
        #expect(TerminalSafe.sanitize(title) == "pay⟨U+\(code)⟩pal")
        // Nothing invisible or bidi-affecting is left: every scalar is visible text.
        #expect(TerminalSafe.sanitize(title).unicodeScalars.allSatisfy { $0.properties.generalCategory != .format })
    }

    @Test("emoji ZWJ sequences and variation selectors are left alone")
    func emoji() {
        for text in ["👩‍💻 codes", "🏳️‍🌈 flag", "👨🏽‍🚀 lands", "❤️‍🔥", "🏴‍☠️", "☺️ smile", "👍🏿"] {
            #expect(TerminalSafe.sanitize(text) == text, "\(text)")
        }
        // A ZWJ that joins no emoji is shown.
        #expect(TerminalSafe.sanitize("🚀\u{200D}x") == "🚀⟨U+200D⟩x")
        #expect(TerminalSafe.sanitize("a\u{200D}🚀") == "a⟨U+200D⟩🚀")
    }

    @Test("joiners inside words of scripts that use them (Persian, Hindi) are left alone")
    func joiningScripts() {
        let persian = "می\u{200C}خواهم"
        let hindi = "क्\u{200D}ष"
        #expect(TerminalSafe.sanitize(persian) == persian)
        #expect(TerminalSafe.sanitize(hindi) == hindi)
        // At a word's edge they join nothing: shown.
        #expect(TerminalSafe.sanitize("می\u{200C} x") == "می⟨U+200C⟩ x")
    }

    @Test("text with no invisible characters is returned as it is")
    func untouched() {
        for text in ["Zürich — “quoted” €5 ‘x’ 東京 🚀", "‐‑‒–—―‖‗‘’‚‛“”„‟†‡•‣․‥…‧‰′″‹›※‼⁇⁈⁉⁄⁰ⁱ⁴", "ﻻ عربى", "ᠮᠣᠩᠭᠣᠯ"] {
            #expect(TerminalSafe.sanitize(text) == text, "\(text)")
        }
    }
}
