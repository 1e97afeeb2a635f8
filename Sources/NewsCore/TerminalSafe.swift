/// The one place where text from headlines is made safe for a terminal.
///
/// Control characters (C0 `U+0000`-`U+001F`, DEL `U+007F`, C1 `U+0080`-`U+009F`) and the
/// line and paragraph separators could move the cursor, ring the bell or start an
/// escape sequence; bidirectional overrides could reorder what the user sees. Each is
/// shown as a visible placeholder instead: the Unicode control pictures (`␛` for ESC,
/// `␇` for BEL, `␡` for DEL), `␤` for the separators, and `�` for C1 controls and bidi
/// controls. Titles are stored exactly as received; this runs only on display.
public enum TerminalSafe {
    /// The placeholder for `scalar`, or nil if it is safe to show as it is.
    @inline(__always)
    public static func placeholder(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let v = scalar.value
        if v < 0x20 { return Unicode.Scalar(0x2400 + v) }  // ␀ ... ␟
        if v < 0x7F { return nil }
        if v == 0x7F { return "\u{2421}" }  // ␡
        if v <= 0x9F { return "\u{FFFD}" }
        if v < 0x2028 { return nil }
        if v == 0x2028 || v == 0x2029 { return "\u{2424}" }  // ␤
        if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) { return "\u{FFFD}" }
        return nil
    }

    /// `text` with every unsafe character replaced by its placeholder. Returns `text`
    /// itself (no copy) when there is nothing to replace, which is almost always.
    public static func sanitize(_ text: String) -> String {
        guard needsSanitizing(text) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(placeholder(for: scalar) ?? scalar)
        }
        return String(out)
    }

    /// Fast check over the UTF-8 bytes: any byte below 0x20, DEL, a C1 control
    /// (`C2 80`-`C2 9F`), or a three-byte sequence starting `E2 80` (separators, bidi) or `E2 81`.
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
            if previous == 0xE2 && (byte == 0x80 || byte == 0x81) {
                // Possibly U+2028/2029, U+202A-202E or U+2066-2069: check exactly on the slow path.
                return true
            }
            previous = byte
        }
        return false
    }
}
