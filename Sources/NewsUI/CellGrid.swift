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

/// One screen cell: a grapheme (already made terminal-safe) and its style. A wide
/// character takes two cells: the character, then a continuation cell (`width == 0`).
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var width: UInt8
    public var style: Style

    public init(_ character: Character = " ", width: UInt8 = 1, style: Style = .plain) {
        self.character = character
        self.width = width
        self.style = style
    }

    public static let blank = Cell()
    static let continuation = Cell(" ", width: 0)
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

    /// Fills a row range with a style (for bars and the selected row).
    public mutating func fill(row: Int, from: Int = 0, to: Int? = nil, style: Style) {
        guard row >= 0 && row < rows else { return }
        for column in max(0, from)..<min(columns, to ?? columns) { self[row, column] = Cell(" ", style: style) }
    }

    /// Writes `text` at (row, column), clipped to `limit` columns (default: the row's end).
    /// Unsafe characters become their ``TerminalSafe`` placeholders (styled as the character
    /// they stand for); a wide character that would not fit whole is left out (never
    /// split). Returns the column after the text.
    @discardableResult
    public mutating func write(_ text: String, row: Int, column: Int, limit: Int? = nil, style: Style = .plain,
                               styleAt: ((Int) -> Style?)? = nil) -> Int {
        guard row >= 0 && row < rows else { return column }
        let end = min(columns, limit ?? columns)
        var x = max(0, column)
        var full = false
        /// Lays out `piece`, which starts at UTF-8 offset `start` of `text` (`placeholder`:
        /// all of it stands for the one character there).
        func put(_ piece: Substring, start: Int, placeholder: Bool) {
            var offset = start  // UTF-8 offset into `text`, for styleAt
            for character in piece where !full {
                let length = character.utf8.count
                defer { if !placeholder { offset += length } }
                let width = TextWidth.columns(character)
                if width == 0 {
                    // A lone zero-width character (combining mark at the start): skip it.
                    continue
                }
                if x + width > end { full = true; break }
                let cellStyle = styleAt?(offset) ?? style
                self[row, x] = Cell(character, width: UInt8(width), style: cellStyle)
                if width == 2 { self[row, x + 1] = Cell(" ", width: 0, style: cellStyle) }
                x += width
            }
        }
        if TerminalSafe.needsSanitizing(text) {
            TerminalSafe.forEachPiece(text) { piece, start, isPlaceholder in put(piece, start: start, placeholder: isPlaceholder) }
        } else {
            put(text[...], start: 0, placeholder: false)
        }
        return x
    }

    /// The screen as plain text, one line per row (trailing spaces kept), wide characters once.
    public var text: String {
        var lines: [String] = []
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let cell = self[row, column]
                if cell.width > 0 { line.append(cell.character) }
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
