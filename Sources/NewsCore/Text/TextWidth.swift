/// Display width of text in terminal columns: the one width model of the view, the same
/// as the C library's (ncurses places every character by `wcwidth`, and so does tmux).
///
/// Text is laid out in *cells*, code point by code point, as ncurses and the terminal do it
/// (not grapheme by grapheme: `हि` is one grapheme but two cells, as `wcwidth` gives the
/// vowel sign U+093F a column of its own):
/// - a code point of width 1 or 2 starts a cell of that width;
/// - one the C library calls unprintable (`wcwidth` -1, such as an unassigned code point)
///   starts a 1-column cell shown as U+FFFD;
/// - one of width 0 (combining marks, variation selectors, Hangul vowel and final jamo)
///   joins the cell before it, up to ``maxMarks`` per cell (a `cchar_t` holds one spacing
///   and four non-spacing characters); the rest are dropped, and counted by the grid;
/// - the zero-width joiner U+200D is never shown and counted as dropped: tmux puts a wide
///   character that follows a joiner into the joiner's cell (`👩‍💻` 2 columns where
///   `wcwidth`, and so ncurses, say 4), which would shift the rest of the row; without the
///   joiner, every terminal agrees (`👩💻`, 4 columns);
/// - a zero-width code point with no cell before it in the text is shown on U+25CC ◌
///   (Unicode's way to show a mark with no base), a 1-column cell.
///
/// The widths are `WidthTable`, generated from glibc's `wcwidth` (scripts/width-table.sh)
/// and compared with the running C library's over every code point by WidthTableTests.
public enum TextWidth {
    /// Zero-width code points one cell shows with its character (CCHARW_MAX is 5 in ncursesw).
    public static let maxMarks = 4
    /// Shown for a code point the C library cannot print.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"
    /// The base shown under a zero-width code point that has no cell before it.
    public static let noBase: Unicode.Scalar = "\u{25CC}"
    public static let zeroWidthJoiner: UInt32 = 0x200D
    /// The C library the width table was made from ("glibc 2.36").
    public static var tableSource: String { WidthTable.source }

    /// The C library's `wcwidth` (glibc, UTF-8 locale) for the code point `v`: -1 (not
    /// printable), 0, 1 or 2. A table lookup; no locale needed.
    @inline(__always)
    public static func wcwidth(_ v: UInt32) -> Int {
        if v < 0x7F { return v >= 0x20 ? 1 : (v == 0 ? 0 : -1) }
        guard v < 0x11_0000 else { return -1 }
        let high = Int(v >> 8) &* 2
        let hex = WidthTable.stage1.utf8Start
        let block = hexDigit(hex[high]) &<< 4 | hexDigit(hex[high &+ 1])
        return Int(WidthTable.stage2.utf8Start[block &<< 8 | Int(v & 0xFF)]) &- 0x31
    }

    @inline(__always)
    static func hexDigit(_ c: UInt8) -> Int { Int(c & 0xF) &+ Int(c >> 6) &* 9 }

    /// Columns the code point `v` takes in a cell of its own: 1 or 2 if it starts a cell
    /// (an unprintable one is shown as U+FFFD, 1 column), 0 if it joins the cell before.
    @inline(__always)
    public static func cellWidth(_ v: UInt32) -> Int {
        // ASCII, Latin-1, Latin Extended: all 1 (the controls among them never get here:
        // they are shown as placeholders).
        if v < 0x300 { return 1 }
        let w = wcwidth(v)
        return w < 0 ? 1 : w
    }

    /// Columns taken by one scalar on its own (as ``cellWidth(_:)``).
    public static func columns(_ scalar: Unicode.Scalar) -> Int { cellWidth(scalar.value) }

    /// Columns taken by one character (grapheme cluster) written on its own.
    public static func columns(_ character: Character) -> Int { columns(String(character)) }

    /// Columns taken by `text` as the view shows it: made terminal-safe first (a control
    /// character takes its placeholder's columns), then cell by cell as described above.
    public static func columns(_ text: String) -> Int {
        if TerminalSafe.needsSanitizing(text) {
            var total = 0, started = false
            TerminalSafe.forEachPiece(text) { piece, _, _ in total += columns(piece.unicodeScalars, started: &started) }
            return total
        }
        if text.utf8.withContiguousStorageIfAvailable({ isPrintableASCII($0) }) == true { return text.utf8.count }
        var started = false
        return columns(text.unicodeScalars[...], started: &started)
    }

    /// Columns of scalars already terminal-safe; `started`: whether a cell came before.
    static func columns(_ scalars: Substring.UnicodeScalarView, started: inout Bool) -> Int {
        var total = 0
        for scalar in scalars {
            let w = cellWidth(scalar.value)
            if w > 0 {
                total &+= w
                started = true
            } else if !started && scalar.value != zeroWidthJoiner {
                total &+= 1  // shown on ◌
                started = true
            }
        }
        return total
    }

    /// Whether every byte is printable ASCII (0x20-0x7E): one column each.
    @inline(__always)
    public static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var flags: UInt8 = 0
        for byte in bytes { flags |= (byte &- 0x20) | (byte &+ 1) }
        return flags & 0x80 == 0
    }

    /// Where to cut `text` (already terminal-safe) so that it takes at most `width`
    /// columns without splitting a cell: the index after the last whole cell that fits
    /// (its zero-width code points included), and the columns taken.
    public static func prefix(of text: Substring, fitting width: Int) -> (end: String.Index, columns: Int) {
        let scalars = text.unicodeScalars
        var taken = 0, started = false
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let v = scalars[index].value
            var w = cellWidth(v)
            if w == 0 && !started && v != zeroWidthJoiner { w = 1 }
            if w > 0 {
                if taken + w > width { break }
                taken += w
                started = true
            }
            index = scalars.index(after: index)
        }
        return (index, taken)
    }
}
