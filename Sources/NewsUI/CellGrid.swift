import NewsCore

/// The eight basic terminal colours (and the terminal's default).
public enum Color: UInt8, Sendable, Hashable, CaseIterable {
    case `default`, black, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell looks.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var foreground: Color = .default
    public var background: Color = .default
    public var bold = false
    public var underline = false
    public var reverse = false
    public var dim = false

    public init(foreground: Color = .default, background: Color = .default, bold: Bool = false,
                underline: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.dim = dim
    }

    public static let plain = Style()

    public var description: String {
        var parts: [String] = []
        if foreground != .default { parts.append("fg \(foreground)") }
        if background != .default { parts.append("bg \(background)") }
        if bold { parts.append("bold") }
        if underline { parts.append("underline") }
        if reverse { parts.append("reverse") }
        if dim { parts.append("dim") }
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }
}

/// The zero-width code points a cell shows with its character (combining marks,
/// variation selectors): up to ``TextWidth/maxMarks``, in order; 0 is an empty slot.
public struct Marks: Hashable, Sendable, Sequence {
    var m0: UInt32 = 0, m1: UInt32 = 0, m2: UInt32 = 0, m3: UInt32 = 0

    public init() {}

    public var count: Int { m0 == 0 ? 0 : m1 == 0 ? 1 : m2 == 0 ? 2 : m3 == 0 ? 3 : 4 }
    public var isEmpty: Bool { m0 == 0 }

    /// Adds `v` if there is room; false if the cell is full.
    @inline(__always)
    mutating func append(_ v: UInt32) -> Bool {
        if m0 == 0 { m0 = v } else if m1 == 0 { m1 = v } else if m2 == 0 { m2 = v } else if m3 == 0 { m3 = v } else { return false }
        return true
    }

    public func makeIterator() -> Iterator { Iterator(marks: self) }

    /// The marks in order (no allocation: the terminal goes through them for every cell it draws).
    public struct Iterator: IteratorProtocol {
        let marks: Marks
        var index = 0

        public mutating func next() -> Unicode.Scalar? {
            let v: UInt32
            switch index {
            case 0: v = marks.m0
            case 1: v = marks.m1
            case 2: v = marks.m2
            case 3: v = marks.m3
            default: return nil
            }
            index += 1
            return v == 0 ? nil : Unicode.Scalar(v)
        }
    }
}

/// One screen cell, as ncurses and the terminal have it (see ``TextWidth``): one character
/// of width 1 or 2 and the zero-width code points that go with it, and its style. A wide
/// character takes two cells: the character, then a continuation cell (`width == 0`).
public struct Cell: Hashable, Sendable {
    /// The character shown (a space in a blank or continuation cell).
    public var scalar: Unicode.Scalar
    /// Zero-width code points shown with it.
    public var marks: Marks
    public var width: UInt8
    /// How many zero-width code points that followed the character in the text are not
    /// shown (beyond ``TextWidth/maxMarks``, and joiners): counted, never silently lost
    /// (up to 255 a cell; a 400-mark "Zalgo" letter counts 255).
    public var dropped: UInt8
    public var style: Style

    public init(_ scalar: Unicode.Scalar = " ", width: UInt8 = 1, style: Style = .plain) {
        self.scalar = scalar
        self.marks = Marks()
        self.width = width
        self.dropped = 0
        self.style = style
    }

    public static let blank = Cell()
    static let continuation = Cell(" ", width: 0)

    /// The character and its marks as text.
    public var text: String {
        var s = String(Character(scalar))
        for mark in marks { s.unicodeScalars.append(mark) }
        return s
    }

    /// Whether a C library whose `wcwidth` is `wcwidth` sizes this cell as the grid does:
    /// its character `width` columns wide, every mark zero. ncurses places characters by
    /// the running C library's; where it disagrees with the grid's table (another glibc),
    /// the terminal draws a replacement of the grid's width instead.
    @inline(__always)
    public func agrees(with wcwidth: (UInt32) -> Int) -> Bool {
        guard wcwidth(scalar.value) == Int(width) else { return false }
        for mark in marks where wcwidth(mark.value) != 0 { return false }
        return true
    }

    /// ``text`` as one character (only the character itself when its marks would not
    /// make one grapheme with it).
    public var character: Character {
        let s = text
        return s.count == 1 ? Character(s) : Character(scalar)
    }
}

/// An in-memory screen: what the renderer draws and the terminal backend copies to the
/// real terminal, cell by cell, only where it changed.
public struct CellGrid: Sendable, Equatable {
    public let columns: Int
    public let rows: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown (when editing the filter), if anywhere.
    public var cursor: (row: Int, column: Int)?

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        cells = Array(repeating: .blank, count: self.columns * self.rows)
    }

    public static func == (a: CellGrid, b: CellGrid) -> Bool {
        a.columns == b.columns && a.rows == b.rows && a.cells == b.cells
            && a.cursor?.row == b.cursor?.row && a.cursor?.column == b.cursor?.column
    }

    public subscript(row: Int, column: Int) -> Cell {
        get { cells[row * columns + column] }
        set { cells[row * columns + column] = newValue }
    }

    /// Zero-width code points written but not shown, over the whole screen.
    public var droppedScalars: Int { cells.reduce(0) { $0 + Int($1.dropped) } }

    /// Fills a row range with a style (for bars and the selected row).
    public mutating func fill(row: Int, from: Int = 0, to: Int? = nil, style: Style) {
        guard row >= 0 && row < rows else { return }
        for column in max(0, from)..<min(columns, to ?? columns) { self[row, column] = Cell(" ", style: style) }
    }

    /// Writes `text` at (row, column), clipped to `limit` columns (default: the row's end),
    /// cell by cell as ``TextWidth`` describes. Unsafe characters become their
    /// ``TerminalSafe`` placeholders (styled as the character they stand for); a wide
    /// character that would not fit whole is left out (never split). With `ellipsis`, text
    /// that does not fit whole ends with "…" (in `style`) within the limit instead.
    /// `styleAt` gives the style of the text at a UTF-8 offset (nil: `style`); all the cells
    /// of a grapheme cluster take one style, that of the first of its code points that has
    /// one, so that a highlight never parts a character from its vowel signs or marks.
    /// Returns the column after the text.
    @discardableResult
    public mutating func write(_ text: String, row: Int, column: Int, limit: Int? = nil, style: Style = .plain,
                               ellipsis: Bool = false, styleAt: ((Int) -> Style?)? = nil) -> Int {
        guard row >= 0 && row < rows else { return column }
        var line = LineWriter(row: row, base: row * columns, x: max(0, column), end: min(columns, limit ?? columns))
        guard line.x < line.end else { return line.x }
        if ellipsis {
            // What the ellipsis may have to give back when it takes the place of the last cell.
            line.saved = self[row, line.end - 1]
        }
        cells.withUnsafeMutableBufferPointer { cells in
            if !TerminalSafe.needsSanitizing(text) {
                line.put(text[...], start: 0, placeholder: false, style: style, styleAt: styleAt, into: cells)
            } else {
                TerminalSafe.forEachPiece(text) { piece, start, isPlaceholder in
                    line.put(piece, start: start, placeholder: isPlaceholder, style: style, styleAt: styleAt, into: cells)
                }
            }
            if ellipsis && line.full { line.endWithEllipsis(style: style, into: cells) }
        }
        return line.x
    }

    /// The screen as plain text, one line per row (trailing spaces kept), wide characters once.
    public var text: String {
        var lines: [String] = []
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let cell = self[row, column]
                if cell.width > 0 {
                    line.unicodeScalars.append(cell.scalar)
                    for mark in cell.marks { line.unicodeScalars.append(mark) }
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The rows and cell ranges that differ from `old` (all of them if the sizes differ).
    public func changes(from old: CellGrid?) -> [(row: Int, columns: Range<Int>)] {
        guard let old, old.columns == columns, old.rows == rows else {
            return (0..<rows).map { ($0, 0..<columns) }
        }
        var result: [(Int, Range<Int>)] = []
        cells.withUnsafeBufferPointer { new in
            old.cells.withUnsafeBufferPointer { previous in
                for row in 0..<rows {
                    let base = row * columns
                    var column = 0
                    while column < columns {
                        if new[base + column] == previous[base + column] { column += 1; continue }
                        var end = column + 1
                        while end < columns && new[base + end] != previous[base + end] { end += 1 }
                        // A changed continuation cell means its wide character must be redrawn.
                        let start = column > 0 && new[base + column].width == 0 ? column - 1 : column
                        result.append((row, start..<end))
                        column = end
                    }
                }
            }
        }
        return result
    }
}

/// Lays text out into one row of a grid's cells (see ``CellGrid/write``).
struct LineWriter {
    let row: Int
    /// Index of the row's first cell.
    let base: Int
    var x: Int
    let end: Int
    /// Column of the last cell this write started, if any (where zero-width code points go).
    var last = -1
    /// A character did not fit: nothing more is written.
    var full = false
    /// The cell in the last column before this write (for ``endWithEllipsis``).
    var saved: Cell?

    /// Lays out `piece`, which starts at UTF-8 offset `start` of the text (`placeholder`:
    /// all of it stands for the one character there).
    @inline(__always)
    mutating func put(_ piece: Substring, start: Int, placeholder: Bool, style: Style, styleAt: ((Int) -> Style?)?,
                      into cells: UnsafeMutableBufferPointer<Cell>) {
        guard !full else { return }
        if placeholder {
            let cellStyle = styleAt?(start) ?? style
            for scalar in piece.unicodeScalars { guard put(scalar.value, cellStyle, cells) else { return } }
            return
        }
        guard let styleAt else {
            // No styles to look up: code point by code point, ASCII bytes directly.
            let done = piece.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
                guard TextWidth.isPrintableASCII(bytes) else { return false }
                for byte in bytes { guard put(UInt32(byte), style, cells) else { break } }
                return true
            }
            if done == true { return }
            for scalar in piece.unicodeScalars { guard put(scalar.value, style, cells) else { return } }
            return
        }
        // One style per grapheme cluster.
        var offset = start
        for character in piece {
            var cellStyle: Style?
            var scalarOffset = offset
            for scalar in character.unicodeScalars where cellStyle == nil {
                cellStyle = styleAt(scalarOffset)
                scalarOffset += UTF8.width(scalar)
            }
            for scalar in character.unicodeScalars { guard put(scalar.value, cellStyle ?? style, cells) else { return } }
            offset += character.utf8.count
        }
    }

    /// Lays out one code point; false once a character does not fit.
    @inline(__always)
    mutating func put(_ v: UInt32, _ style: Style, _ cells: UnsafeMutableBufferPointer<Cell>) -> Bool {
        var scalar = v
        var width = 1
        var onBase = false
        if v >= 0x300 {
            width = TextWidth.wcwidth(v)
            if width < 0 {
                scalar = TextWidth.replacement.value  // not printable here
                width = 1
            } else if width == 0 {
                if last >= 0 {
                    // Joins the cell before, if it has room (a joiner never shows: see TextWidth).
                    if v == TextWidth.zeroWidthJoiner || !cells[base + last].marks.append(v) {
                        if cells[base + last].dropped < .max { cells[base + last].dropped += 1 }
                    }
                    return true
                }
                if v == TextWidth.zeroWidthJoiner { return true }
                scalar = TextWidth.noBase.value  // a mark with nothing before it: on ◌
                width = 1
                onBase = true
            }
        }
        guard x + width <= end else {
            full = true
            return false
        }
        var cell = Cell(Unicode.Scalar(scalar)!, width: UInt8(width), style: style)
        if onBase { _ = cell.marks.append(v) }
        cells[base + x] = cell
        if width == 2 { cells[base + x + 1] = Cell(" ", width: 0, style: style) }
        last = x
        x += width
        return true
    }

    /// The text did not fit: its last cell gives way to "…" if the row is full up to the
    /// limit (a wide one gives back its second column as it was).
    mutating func endWithEllipsis(style: Style, into cells: UnsafeMutableBufferPointer<Cell>) {
        if x >= end, last >= 0 {
            let width = x - last
            x = last
            if width == 2, let saved { cells[base + x + 1] = saved }
        }
        guard x < end else { return }
        cells[base + x] = Cell("…", width: 1, style: style)
        x += 1
    }
}
