/// One step of a path into a TOML document: a key of a table, or an item of an array.
public enum TOMLPathComponent: Hashable, Sendable, CustomStringConvertible {
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case .key(let key): return key
        case .index(let index): return "[\(index)]"
        }
    }
}

public typealias TOMLPath = [TOMLPathComponent]

/// Where every key, table and array item of a TOML document is, and in which order they
/// come: TOMLKit (toml++) gives values without their lines and tables sorted by key, so
/// this scanner reads the text once more for what an error message and the file's order
/// need. It reads documents that TOMLKit accepted; on anything else it stops quietly and
/// never traps, so a path it did not see falls back to its nearest parent's line.
///
/// It knows table headers (`[a."b c".d]`, `[[x]]`), dotted and quoted keys (`a.b = 1`,
/// `"a b" = 1`, `'x' = 1`), every kind of string (basic, literal, multi-line), arrays over
/// several lines with comments between items, and inline tables.
public struct TOMLScan: Sendable {
    public struct Position: Sendable, Hashable {
        /// 1-based.
        public var line: Int
        /// The order in which the scanner first met the path (file order).
        public var order: Int
    }

    /// The first place each path is defined or opened at.
    public private(set) var positions: [TOMLPath: Position] = [:]
    /// Lines of strings that hold an escaped NUL (`\u0000`), which TOMLKit cuts short.
    public private(set) var nulEscapeLines: [Int] = []
    /// Paths defined twice as values (a key given twice): the path, its first and its second line.
    public private(set) var duplicates: [(path: TOMLPath, first: Int, second: Int)] = []

    private var bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var order = 0
    private var arrayTableCounts: [TOMLPath: Int] = [:]
    private var valuePaths: Set<TOMLPath> = []

    public init(_ text: String) {
        bytes = Array(text.utf8)
        scanDocument()
        bytes = []
    }

    /// The line of `path`, else of its nearest parent the scanner saw, else 1.
    public func line(of path: TOMLPath) -> Int {
        var path = path
        while !path.isEmpty {
            if let position = positions[path] { return position.line }
            path.removeLast()
        }
        return 1
    }

    /// The order of `path` (see ``Position/order``), `Int.max` for one not seen.
    public func order(of path: TOMLPath) -> Int { positions[path]?.order ?? Int.max }

    // MARK: - Scanning

    private var atEnd: Bool { i >= bytes.count }
    private func peek(_ offset: Int = 0) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }

    private mutating func record(_ path: TOMLPath, line: Int) {
        guard positions[path] == nil else { return }
        positions[path] = Position(line: line, order: order)
        order += 1
    }

    /// Records `path` and every prefix of it below `base` not seen yet (a dotted key or a
    /// header opens its parents).
    private mutating func recordWithParents(_ path: TOMLPath, from base: Int, line: Int) {
        guard base < path.count else { return }
        for end in (base + 1)...path.count { record(Array(path[..<end]), line: line) }
    }

    private mutating func recordValue(_ path: TOMLPath, line: Int) {
        if !valuePaths.insert(path).inserted, let first = positions[path] {
            duplicates.append((path, first.line, line))
        }
    }

    private mutating func scanDocument() {
        // A byte-order mark is not part of the first line's text.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        var table: TOMLPath = []
        while !atEnd {
            skipSpaceCommentsAndNewlines()
            guard let c = peek() else { return }
            if c == UInt8(ascii: "[") {
                let headerLine = line
                let isArray = peek(1) == UInt8(ascii: "[")
                i += isArray ? 2 : 1
                skipSpaces()
                guard let key = scanKey() else { return }
                skipSpaces()
                guard peek() == UInt8(ascii: "]") else { return }
                i += isArray ? 2 : 1
                if isArray {
                    recordWithParents(key, from: 0, line: headerLine)
                    let index = arrayTableCounts[key, default: 0]
                    arrayTableCounts[key] = index + 1
                    table = key + [.index(index)]
                    record(table, line: headerLine)
                } else {
                    recordWithParents(key, from: 0, line: headerLine)
                    recordValue(key, line: headerLine)
                    table = key
                }
            } else {
                guard scanKeyValue(in: table) else { return }
            }
        }
    }

    /// `key = value` at the scanner's place, in the table at `base`.
    private mutating func scanKeyValue(in base: TOMLPath) -> Bool {
        let keyLine = line
        guard let key = scanKey() else { return false }
        skipSpaces()
        guard peek() == UInt8(ascii: "=") else { return false }
        i += 1
        skipSpaces()
        let path = base + key
        recordWithParents(path, from: base.count, line: keyLine)
        recordValue(path, line: keyLine)
        return scanValue(at: path)
    }

    /// A key, dotted or not: its parts.
    private mutating func scanKey() -> TOMLPath? {
        var parts: TOMLPath = []
        while true {
            skipSpaces()
            guard let part = scanSimpleKey() else { return nil }
            parts.append(.key(part))
            skipSpaces()
            if peek() == UInt8(ascii: ".") { i += 1 } else { return parts }
        }
    }

    private mutating func scanSimpleKey() -> String? {
        guard let c = peek() else { return nil }
        if c == UInt8(ascii: "\"") { i += 1; return scanBasicString(multiline: false) }
        if c == UInt8(ascii: "'") { i += 1; return scanLiteralString(multiline: false) }
        let start = i
        while let c = peek(), Self.isBareKeyByte(c) { i += 1 }
        return i > start ? String(decoding: bytes[start..<i], as: UTF8.self) : nil
    }

    private static func isBareKeyByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }

    /// A value of any kind; the items of arrays and the keys of inline tables are recorded under `path`.
    private mutating func scanValue(at path: TOMLPath) -> Bool {
        guard let c = peek() else { return false }
        switch c {
        case UInt8(ascii: "\""):
            let multiline = peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"")
            i += multiline ? 3 : 1
            return scanBasicString(multiline: multiline) != nil
        case UInt8(ascii: "'"):
            let multiline = peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'")
            i += multiline ? 3 : 1
            return scanLiteralString(multiline: multiline) != nil
        case UInt8(ascii: "["):
            i += 1
            var index = 0
            while true {
                skipSpaceCommentsAndNewlines()
                guard let c = peek() else { return false }
                if c == UInt8(ascii: "]") { i += 1; return true }
                let itemPath = path + [.index(index)]
                record(itemPath, line: line)
                guard scanValue(at: itemPath) else { return false }
                index += 1
                skipSpaceCommentsAndNewlines()
                if peek() == UInt8(ascii: ",") { i += 1 }
            }
        case UInt8(ascii: "{"):
            i += 1
            while true {
                // (TOML 1.0 keeps an inline table on one line; newlines are skipped all the same.)
                skipSpaceCommentsAndNewlines()
                guard let c = peek() else { return false }
                if c == UInt8(ascii: "}") { i += 1; return true }
                guard scanKeyValue(in: path) else { return false }
                skipSpaceCommentsAndNewlines()
                if peek() == UInt8(ascii: ",") { i += 1 }
            }
        default:
            // A number, a boolean, a date or time (which may hold one space): up to the
            // end of the line, a comment, or what closes an array or inline table.
            let start = i
            while let c = peek(), c != UInt8(ascii: "\n"), c != UInt8(ascii: "#"), c != UInt8(ascii: ","),
                  c != UInt8(ascii: "]"), c != UInt8(ascii: "}") { i += 1 }
            return i > start
        }
    }

    /// After the opening quote(s): the string's text, escapes decoded; the scanner stops after the closing quote(s).
    private mutating func scanBasicString(multiline: Bool) -> String? {
        var out: [UInt8] = []
        while let c = peek() {
            if c == UInt8(ascii: "\"") {
                if !multiline { i += 1; return String(decoding: out, as: UTF8.self) }
                if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                    // Up to two quotes just before the closing three belong to the text.
                    var quotes = 3
                    while quotes < 5, peek(quotes) == UInt8(ascii: "\"") { quotes += 1 }
                    out += Array(repeating: UInt8(ascii: "\""), count: quotes - 3)
                    i += quotes
                    return String(decoding: out, as: UTF8.self)
                }
                out.append(c); i += 1
            } else if c == UInt8(ascii: "\\") {
                i += 1
                guard let e = peek() else { return nil }
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A); i += 1
                case UInt8(ascii: "t"): out.append(0x09); i += 1
                case UInt8(ascii: "r"): out.append(0x0D); i += 1
                case UInt8(ascii: "b"): out.append(0x08); i += 1
                case UInt8(ascii: "f"): out.append(0x0C); i += 1
                case UInt8(ascii: "e"): out.append(0x1B); i += 1
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(e); i += 1
                case UInt8(ascii: "u"), UInt8(ascii: "U"), UInt8(ascii: "x"):
                    let digits = e == UInt8(ascii: "U") ? 8 : e == UInt8(ascii: "u") ? 4 : 2
                    i += 1
                    var value: UInt32 = 0
                    for _ in 0..<digits {
                        guard let h = peek(), let d = Self.hexValue(h) else { return nil }
                        value = value &* 16 &+ d
                        i += 1
                    }
                    if value == 0 { nulEscapeLines.append(line) }
                    if let scalar = Unicode.Scalar(value) { out += Array(String(Character(scalar)).utf8) }
                default:
                    // A line-ending backslash (multi-line only): the newline and the blanks after it go.
                    if multiline {
                        while let w = peek(), w == 0x20 || w == 0x09 || w == 0x0A || w == 0x0D {
                            if w == 0x0A { line += 1 }
                            i += 1
                        }
                    } else {
                        return nil
                    }
                }
            } else {
                if c == 0x0A {
                    guard multiline else { return nil }
                    line += 1
                }
                out.append(c); i += 1
            }
        }
        return nil
    }

    private mutating func scanLiteralString(multiline: Bool) -> String? {
        let start = i
        while let c = peek() {
            if c == UInt8(ascii: "'") {
                if !multiline { let text = String(decoding: bytes[start..<i], as: UTF8.self); i += 1; return text }
                if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                    var quotes = 3
                    while quotes < 5, peek(quotes) == UInt8(ascii: "'") { quotes += 1 }
                    let text = String(decoding: bytes[start..<(i + quotes - 3)], as: UTF8.self)
                    i += quotes
                    return text
                }
            } else if c == 0x0A {
                guard multiline else { return nil }
                line += 1
            }
            i += 1
        }
        return nil
    }

    private static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    private mutating func skipSpaces() {
        while let c = peek(), c == 0x20 || c == 0x09 { i += 1 }
    }

    private mutating func skipSpaceCommentsAndNewlines() {
        while let c = peek() {
            if c == 0x20 || c == 0x09 || c == 0x0D {
                i += 1
            } else if c == 0x0A {
                line += 1; i += 1
            } else if c == UInt8(ascii: "#") {
                while let c = peek(), c != 0x0A { i += 1 }
            } else {
                return
            }
        }
    }
}
