/// A small JSON reader over UTF-8 bytes, purpose-built for the recording format (see
/// `docs/recording-format.md`), strict there, and lenient for JSON Feed documents from the
/// web (NewsFeeds' `JSONFeedReader`): the one JSON scanner of the project.
///
/// Lenient, it takes what a browser's JSON would not but a feed reader should: a raw
/// control character inside a string (kept), invalid UTF-8 and an unpaired surrogate
/// escape (each becomes U+FFFD), a number in any form made of digits, signs, `.` and
/// `e` (kept as its text). Everything else is the same grammar and the same errors.
///
/// Reading walks one object's fields in place: known fields are decoded straight into
/// their types, unknown ones are skipped without building anything, so a typical event
/// line costs a few hundred nanoseconds (Foundation's `JSONDecoder` measured half of
/// Python's `json.loads` here). Every error says what was expected and at which column.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// 1-based byte column in the line.
    public var column: Int
    public var description: String { "\(message) (column \(column))" }
}

public struct JSONScanner {
    public let bytes: UnsafeBufferPointer<UInt8>
    public var position = 0
    /// Lenient (JSON Feed) rather than strict (recordings): see the type's description.
    /// Only paths that strict reading refuses look at it, so strict reading pays nothing.
    public let lenient: Bool
    /// Nesting limit for skipped values: deeper input is rejected, not recursed into.
    static let maxDepth = 64

    public init(_ bytes: UnsafeBufferPointer<UInt8>, lenient: Bool = false) {
        self.bytes = bytes
        self.lenient = lenient
    }

    public func fail(_ message: String, at position: Int? = nil) -> JSONError {
        JSONError(message: message, column: (position ?? self.position) + 1)
    }

    public var atEnd: Bool { position >= bytes.count }

    /// What the end of the input is called in errors: a recording is read a line at a
    /// time, a JSON Feed is a document.
    public var endName: String { lenient ? "the end of the document" : "the end of the line" }

    @inline(__always)
    public mutating func skipSpace() {
        while position < bytes.count {
            let b = bytes[position]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { position += 1 } else { return }
        }
    }

    @inline(__always)
    public mutating func expect(_ byte: UInt8, _ what: String) throws(JSONError) {
        skipSpace()
        guard position < bytes.count, bytes[position] == byte else {
            throw fail(position < bytes.count ? "expected \(what)" : "expected \(what), found \(endName)")
        }
        position += 1
    }

    /// True (and consumed) if the next non-space byte is `byte`.
    @inline(__always)
    public mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        if position < bytes.count && bytes[position] == byte { position += 1; return true }
        return false
    }

    public mutating func peek() -> UInt8? {
        skipSpace()
        return position < bytes.count ? bytes[position] : nil
    }

    /// The raw bytes of a string without escapes (the common case), or nil if it has any;
    /// leaves the position after the closing quote either way when `raw` is returned.
    @inline(__always)
    mutating func rawString() throws(JSONError) -> Range<Int>? {
        try expect(0x22, "a string")
        let start = position
        while position < bytes.count {
            let b = bytes[position]
            if b == 0x22 {
                position += 1
                return start..<(position - 1)
            }
            if b == 0x5C { position = start; return nil }
            if b < 0x20 && !lenient { throw fail("a control character inside a string must be escaped") }
            position += 1
        }
        throw fail("unterminated string", at: start - 1)
    }

    /// A string value (decoding escapes). Invalid UTF-8 is an error (lenient: U+FFFD).
    public mutating func string() throws(JSONError) -> String {
        let quote = position
        if let range = try rawString() {
            return try makeString(UnsafeBufferPointer(rebasing: bytes[range]), at: quote)
        }
        // With escapes: decode into a byte buffer.
        var out: [UInt8] = []
        while position < bytes.count {
            let b = bytes[position]
            if b == 0x22 {
                position += 1
                return try out.withUnsafeBufferPointer { buffer throws(JSONError) -> String in try makeString(buffer, at: quote) }
            }
            if b < 0x20 && !lenient { throw fail("a control character inside a string must be escaped") }
            if b != 0x5C {
                out.append(b)
                position += 1
                continue
            }
            position += 1
            guard position < bytes.count else { break }
            let e = bytes[position]
            position += 1
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    // A surrogate pair: \uD83D\uDE80.
                    guard position + 1 < bytes.count, bytes[position] == 0x5C, bytes[position + 1] == 0x75 else {
                        if lenient { out.append(contentsOf: Self.replacement); continue }
                        throw fail("unpaired surrogate in \\u escape")
                    }
                    position += 2
                    let low = try hex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if lenient {
                        scalar = 0xFFFD
                    } else {
                        throw fail("unpaired surrogate in \\u escape")
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    if !lenient { throw fail("unpaired surrogate in \\u escape") }
                    scalar = 0xFFFD
                }
                out.append(contentsOf: Unicode.Scalar(scalar)!.utf8)
            default:
                throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: position - 2)
            }
        }
        throw fail("unterminated string", at: quote)
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("\\u needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
            default: throw fail("\\u needs four hex digits")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    private func makeString(_ buffer: UnsafeBufferPointer<UInt8>, at quote: Int) throws(JSONError) -> String {
        // Fast check: plain ASCII is valid UTF-8 as it is.
        var high: UInt8 = 0
        for b in buffer { high |= b }
        if high < 0x80 || lenient { return String(decoding: buffer, as: UTF8.self) }
        guard let s = String(validating: buffer, as: UTF8.self) else { throw fail("invalid UTF-8 in a string", at: quote) }
        return s
    }

    /// Where the number that comes next is, as written: checked against the JSON grammar,
    /// or (lenient) any run of digits, signs, `.`, `e` and `E` that is not empty.
    public mutating func numberText() throws(JSONError) -> Range<Int> {
        skipSpace()
        let start = position
        if lenient {
            while position < bytes.count {
                let b = bytes[position]
                guard (0x30...0x39).contains(b) || b == 0x2D || b == 0x2B || b == 0x2E || b | 0x20 == 0x65 else { break }
                position += 1
            }
            guard position > start else { throw fail("expected a value", at: start) }
            return start..<position
        }
        _ = try scanNumber()
        return start..<position
    }

    /// A number as Double (JSON grammar, checked).
    mutating func number() throws(JSONError) -> Double {
        skipSpace()
        let start = position
        let integral = try scanNumber()
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
        if integral && slice.count <= 18 {
            // Exact and fast for the integers the format uses.
            var value: Int64 = 0
            var negative = false
            for b in slice {
                if b == 0x2D { negative = true } else { value = value * 10 + Int64(b - 0x30) }
            }
            return Double(negative ? -value : value)
        }
        guard let value = Double(String(decoding: slice, as: UTF8.self)) else { throw fail("number out of range", at: start) }
        return value
    }

    /// Past a number in the JSON grammar (no space before it); true when it has neither
    /// fraction nor exponent.
    @inline(__always)
    private mutating func scanNumber() throws(JSONError) -> Bool {
        let start = position
        if position < bytes.count && bytes[position] == 0x2D { position += 1 }
        guard position < bytes.count, (0x30...0x39).contains(bytes[position]) else { throw fail("expected a number", at: start) }
        if bytes[position] == 0x30 {
            position += 1
        } else {
            while position < bytes.count && (0x30...0x39).contains(bytes[position]) { position += 1 }
        }
        var integral = true
        if position < bytes.count && bytes[position] == 0x2E {
            integral = false
            position += 1
            guard position < bytes.count, (0x30...0x39).contains(bytes[position]) else { throw fail("expected a digit after '.'") }
            while position < bytes.count && (0x30...0x39).contains(bytes[position]) { position += 1 }
        }
        if position < bytes.count && (bytes[position] == 0x65 || bytes[position] == 0x45) {
            integral = false
            position += 1
            if position < bytes.count && (bytes[position] == 0x2B || bytes[position] == 0x2D) { position += 1 }
            guard position < bytes.count, (0x30...0x39).contains(bytes[position]) else { throw fail("expected a digit in the exponent") }
            while position < bytes.count && (0x30...0x39).contains(bytes[position]) { position += 1 }
        }
        return integral
    }

    /// An integer (a number without fraction that fits 64 bits).
    mutating func integer() throws(JSONError) -> Int64 {
        skipSpace()
        let start = position
        let value = try number()
        guard value == value.rounded(), abs(value) < 9.2e18 else { throw fail("expected a whole number", at: start) }
        return Int64(value)
    }

    /// `null`, consumed, if that is what comes next.
    mutating func takeNull() -> Bool {
        skipSpace()
        if position + 4 <= bytes.count && bytes[position] == 0x6E && bytes[position + 1] == 0x75
            && bytes[position + 2] == 0x6C && bytes[position + 3] == 0x6C
        {
            position += 4
            return true
        }
        return false
    }

    public mutating func literal(_ word: StaticString) throws(JSONError) {
        let start = position
        let n = word.utf8CodeUnitCount
        guard position + n <= bytes.count else { throw fail("unexpected \(endName)") }
        for i in 0..<n where bytes[position + i] != word.utf8Start[i] { throw fail("invalid value", at: start) }
        position += n
    }

    /// Skips any value, nested up to ``maxDepth``.
    mutating func skipValue(depth: Int = 0) throws(JSONError) {
        guard depth < Self.maxDepth else { throw fail("nested too deeply") }
        guard let b = peek() else { throw fail("expected a value, found \(endName)") }
        switch b {
        case 0x22: _ = try string()
        case 0x7B:
            position += 1
            if take(0x7D) { return }
            repeat {
                _ = try string()
                try expect(0x3A, "':'")
                try skipValue(depth: depth + 1)
            } while take(0x2C)
            try expect(0x7D, "',' or '}'")
        case 0x5B:
            position += 1
            if take(0x5D) { return }
            repeat { try skipValue(depth: depth + 1) } while take(0x2C)
            try expect(0x5D, "',' or ']'")
        case 0x74: try literal("true")
        case 0x66: try literal("false")
        case 0x6E: try literal("null")
        default: _ = try number()
        }
    }

    /// Walks an object's fields: `field` gets each key (raw bytes, or decoded when escaped)
    /// and must consume its value (or call `skipValue`).
    mutating func object(_ field: (inout JSONScanner, Key) throws(JSONError) -> Void) throws(JSONError) {
        var first = true
        while let key = try nextKey(first: first) {
            first = false
            try field(&self, key)
        }
    }

    /// An object's fields one at a time, for a caller that walks them in a loop (as the
    /// recording reader does: no closure per field to call, see DECISIONS.md 2026-12-02).
    /// `first` is true on the first call; each key's value must be consumed before the next
    /// call. Nil after the closing brace. The same steps and messages as ``object(_:)``.
    @inline(__always)
    mutating func nextKey(first: Bool) throws(JSONError) -> Key? {
        if first {
            try expect(0x7B, "'{' (each line must be a JSON object)")
            if take(0x7D) { return nil }
        } else if !take(0x2C) {
            try expect(0x7D, "',' or '}'")
            return nil
        }
        skipSpace()
        let keyStart = position
        let key: Key
        if let raw = try rawString() {
            key = .raw(raw)
        } else {
            position = keyStart
            key = .decoded(try string())
        }
        try expect(0x3A, "':' after a field name")
        return key
    }

    enum Key {
        case raw(Range<Int>)
        case decoded(String)
    }

    func keyIs(_ key: Key, _ name: StaticString) -> Bool {
        switch key {
        case .raw(let range):
            let n = name.utf8CodeUnitCount
            guard range.count == n else { return false }
            for i in 0..<n where bytes[range.lowerBound + i] != name.utf8Start[i] { return false }
            return true
        case .decoded(let s):
            return s.utf8.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        }
    }

    func keyText(_ key: Key) -> String {
        switch key {
        case .raw(let range): return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        case .decoded(let s): return s
        }
    }

    /// After the top-level value: only spaces may follow.
    mutating func expectEnd() throws(JSONError) {
        skipSpace()
        if !atEnd { throw fail("unexpected characters after the object") }
    }
}
