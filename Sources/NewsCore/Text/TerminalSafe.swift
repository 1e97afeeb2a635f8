/// The one place where text from headlines is made safe for a terminal.
///
/// Control characters (C0 `U+0000`-`U+001F`, DEL `U+007F`, C1 `U+0080`-`U+009F`) and the
/// line and paragraph separators could move the cursor, ring the bell or start an
/// escape sequence; bidirectional controls could reorder what the user sees, and
/// zero-width characters hide inside a word (`pay\u{200B}pal`). Each is shown as a
/// visible placeholder instead: the Unicode control pictures (`␛` for ESC, `␇` for BEL,
/// `␡` for DEL), `␤` for the separators, `�` for C1 controls, and the code point in
/// brackets for bidi and zero-width characters (`⟨U+202E⟩`: readable, and nothing in it
/// reorders text). A zero-width joiner inside an emoji sequence (👩‍💻), and a joiner or
/// non-joiner inside a word of a script that uses them (Persian, the Indic scripts),
/// is part of the text and left alone. The view and `--plain` both show text through
/// here. Titles are stored exactly as received; this runs only on display.
public enum TerminalSafe {
    /// The placeholder for `scalar`, or nil if it is safe to show as it is. `previous`
    /// and `next` are its neighbours in the text (they decide only for the joiners).
    @inline(__always)
    public static func placeholder(for scalar: Unicode.Scalar, after previous: Unicode.Scalar?, before next: Unicode.Scalar?) -> String? {
        let v = scalar.value
        if v < 0x20 { return String(Unicode.Scalar(0x2400 + v)!) }  // ␀ ... ␟
        if v < 0x7F { return nil }
        if v == 0x7F { return "\u{2421}" }  // ␡
        if v <= 0x9F { return "\u{FFFD}" }
        if v < 0x061C { return nil }
        if v == 0x2028 || v == 0x2029 { return "\u{2424}" }  // ␤
        guard isInvisible(v) else { return nil }
        if v == 0x200D, let previous, let next, isEmojiPart(previous), isEmojiPart(next) { return nil }
        if v == 0x200C || v == 0x200D, let previous, let next, usesJoiners(previous), usesJoiners(next) { return nil }
        let hex = String(v, radix: 16, uppercase: true)
        return "⟨U+\(String(repeating: "0", count: 4 - hex.count))\(hex)⟩"
    }

    /// Bidi controls (ALM, LRM, RLM, the embeddings, overrides and isolates) and
    /// zero-width or invisible characters (ZWSP, ZWNJ, ZWJ, word joiner, the invisible
    /// operators, the deprecated format characters, BOM, the Mongolian vowel separator).
    @inline(__always)
    static func isInvisible(_ v: UInt32) -> Bool {
        switch v {
        case 0x061C, 0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF: return true
        default: return false
        }
    }

    /// An emoji, a skin-tone modifier or the emoji presentation selector (a ZWJ between two joins them).
    static func isEmojiPart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0xFE0F || (scalar.value > 0x7F && scalar.properties.isEmoji)
    }

    /// A letter or mark of a script that writes ZWJ and ZWNJ inside words: Arabic, Syriac,
    /// NKo, the Indic scripts through Sinhala, Myanmar, Khmer, Mongolian, Arabic presentation forms.
    static func usesJoiners(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0600...0x07FF, 0x0860...0x08FF, 0x0900...0x0DFF, 0x1000...0x109F, 0x1780...0x18AF, 0xFB50...0xFDFF, 0xFE70...0xFEFC:
            return scalar.properties.generalCategory != .format
        default: return false
        }
    }

    /// `text` with every unsafe character replaced by its placeholder. Returns `text`
    /// itself (no copy) when there is nothing to replace, which is almost always.
    public static func sanitize(_ text: String) -> String {
        guard needsSanitizing(text) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        forEachPiece(text) { piece, _, _ in out += piece }
        return out
    }

    /// Calls `body` with `text` as it is shown, piece by piece: runs of safe text and
    /// single placeholders (`isPlaceholder`), each with the UTF-8 offset in `text` where
    /// it starts (for a placeholder, that of the character it stands for).
    public static func forEachPiece(_ text: String, _ body: (_ piece: Substring, _ offset: Int, _ isPlaceholder: Bool) -> Void) {
        let scalars = text.unicodeScalars
        var runStart = scalars.startIndex
        var previous: Unicode.Scalar?
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let after = scalars.index(after: index)
            let next = after < scalars.endIndex ? scalars[after] : nil
            if let placeholder = placeholder(for: scalar, after: previous, before: next) {
                if runStart < index { body(Substring(scalars[runStart..<index]), text.utf8.distance(from: text.startIndex, to: runStart), false) }
                body(Substring(placeholder), text.utf8.distance(from: text.startIndex, to: index), true)
                runStart = after
            }
            previous = scalar
            index = after
        }
        if runStart < scalars.endIndex { body(Substring(scalars[runStart...]), text.utf8.distance(from: text.startIndex, to: runStart), false) }
    }

    /// Fast check over the UTF-8 bytes: any byte below 0x20, DEL, a C1 control
    /// (`C2 80`-`C2 9F`), U+061C (`D8 9C`), or a sequence starting `E2 80` (zero-width,
    /// separators, bidi), `E2 81` (word joiner, isolates), `E1 A0` (U+180E) or `EF BB` (BOM).
    public static func needsSanitizing(_ text: String) -> Bool {
        var utf8 = text.utf8
        if let answer = utf8.withContiguousStorageIfAvailable({ needsSanitizing($0) }) { return answer }
        var copy = text
        copy.makeContiguousUTF8()
        utf8 = copy.utf8
        return utf8.withContiguousStorageIfAvailable({ needsSanitizing($0) }) ?? true
    }

    public static func needsSanitizing(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Fast path: printable ASCII only (0x20-0x7E), the common case. The top bit of
        // (b - 0x20) is set for b < 0x20, that of (b + 1) for b >= 0x7F; the loop vectorizes.
        var flags: UInt8 = 0
        for byte in bytes { flags |= (byte &- 0x20) | (byte &+ 1) }
        if flags & 0x80 == 0 { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            if byte < 0x20 || byte == 0x7F { return true }
            if previous == 0xC2 && byte <= 0x9F && byte >= 0x80 { return true }
            if previous == 0xD8 && byte == 0x9C { return true }
            if (previous == 0xE2 && (byte == 0x80 || byte == 0x81)) || (previous == 0xE1 && byte == 0xA0) || (previous == 0xEF && byte == 0xBB) {
                // Possibly one of U+200B-200F, U+2028-202E, U+2060-206F, U+180E, U+FEFF:
                // checked exactly on the slow path.
                return true
            }
            previous = byte
        }
        return false
    }
}
