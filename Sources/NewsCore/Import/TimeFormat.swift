import Foundation

/// How to read times in imported data.
public enum TimeFormat: Sendable, Equatable {
    /// ISO 8601, with or without a zone (without one: UTC).
    case iso8601
    /// Seconds since 1970 (fractions allowed).
    case epoch
    /// Milliseconds since 1970.
    case epochMilliseconds
    /// A strftime-style pattern: %Y %y %m %d %H %I %M %S %f %p %b %B %z %%, other text literal.
    case pattern(String)
    /// Try ISO 8601, then a number (seconds, or milliseconds when it is that large).
    case automatic

    public init(_ text: String) {
        switch text.lowercased() {
        case "iso8601", "iso": self = .iso8601
        case "epoch", "unix", "epoch-s": self = .epoch
        case "epoch-ms", "epoch_ms", "ms": self = .epochMilliseconds
        case "auto": self = .automatic
        default: self = .pattern(text)
        }
    }

    /// The time in `text`, or nil.
    public func parse(_ text: String) -> Timestamp? {
        var copy = text
        return copy.withUTF8 { bytes in
            guard case .pattern(let pattern) = self else { return parse(bytes, pattern: UnsafeBufferPointer(start: nil, count: 0)) }
            var p = pattern
            return p.withUTF8 { parse(bytes, pattern: $0) }
        }
    }

    /// The time in valid UTF-8 `raw` (spaces around it ignored), or nil; `pattern` is the
    /// UTF-8 of a `.pattern`'s text, given once by a caller that reads many times (the
    /// importer), so that no row makes a `String` to read its time (issue 16).
    public func parse(_ raw: UnsafeBufferPointer<UInt8>, pattern: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        let s = UnsafeBufferPointer(rebasing: raw[UTF8Bytes.trimmed(raw, newlines: false)])
        switch self {
        case .iso8601: return ISOTime.parse(s)
        case .epoch:
            return Self.number(s).flatMap { TimeFormat.timestamp(milliseconds: $0 * 1000) }
        case .epochMilliseconds:
            return Self.number(s).flatMap { TimeFormat.timestamp(milliseconds: $0) }
        case .pattern: return TimeFormat.parse(s, pattern: pattern)
        case .automatic:
            if let t = ISOTime.parse(s) { return t }
            guard let v = Self.number(s) else { return nil }
            return TimeFormat.timestamp(milliseconds: abs(v) >= 1e11 ? v : v * 1000)
        }
    }

    /// `Double(text)` of the bytes (a short text is a small string: nothing allocated).
    @inline(__always)
    private static func number(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: s, as: UTF8.self))
    }

    /// Why `pattern` cannot be a time pattern (nil when it can): it must hold at least one
    /// directive, and only known ones, so that a mistyped format (`bogus`) is refused before
    /// any row is read instead of failing every row.
    public static func problem(in pattern: String) -> String? {
        let p = Array(pattern.utf8)
        var k = 0, directives = 0
        while k < p.count {
            guard p[k] == 0x25 else { k += 1; continue }
            guard k + 1 < p.count else { return "'%' at the end is not a directive" }
            let d = p[k + 1]
            guard Self.directives.contains(d) else { return "'%\(Character(Unicode.Scalar(d)))' is not a directive this reader knows" }
            if d != 0x25 { directives += 1 }
            k += 2
        }
        return directives == 0 ? "it has no directive like %Y or %H" : nil
    }

    /// The directives ``parse(_:pattern:)`` knows.
    private static let directives = Set("YymdeHIMSfpbBz%".utf8)

    /// Times from year 0 to 9999 (a number outside is not a time: nil, never a trap).
    static let range: ClosedRange<Double> = -62_167_219_200_000...253_402_300_799_999

    static func timestamp(milliseconds v: Double) -> Timestamp? {
        guard v.isFinite, range.contains(v) else { return nil }
        return Timestamp(milliseconds: Int64(v.rounded()))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ s: UnsafeBufferPointer<UInt8>, pattern p: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var i = 0, k = 0
        var year: Int64 = 1970, month: Int64 = 1, day: Int64 = 1, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        var millis: Int64 = 0, offset: Int64 = 0
        var pm: Bool?
        func number(_ maxDigits: Int) -> Int64? {
            var v: Int64 = 0, n = 0
            while n < maxDigits, i < s.count, s[i] >= 0x30, s[i] <= 0x39 {
                v = v * 10 + Int64(s[i] - 0x30)
                i += 1
                n += 1
            }
            return n > 0 ? v : nil
        }
        while k < p.count {
            let c = p[k]
            if c == 0x25, k + 1 < p.count {  // %
                let d = p[k + 1]
                k += 2
                switch d {
                case UInt8(ascii: "Y"): guard let v = number(4) else { return nil }; year = v
                case UInt8(ascii: "y"): guard let v = number(2) else { return nil }; year = v < 69 ? 2000 + v : 1900 + v
                case UInt8(ascii: "m"): guard let v = number(2), (1...12).contains(v) else { return nil }; month = v
                case UInt8(ascii: "d"), UInt8(ascii: "e"):
                    while i < s.count && s[i] == 0x20 { i += 1 }
                    guard let v = number(2), (1...31).contains(v) else { return nil }; day = v
                case UInt8(ascii: "H"), UInt8(ascii: "I"): guard let v = number(2), v < 24 else { return nil }; hour = v
                case UInt8(ascii: "M"): guard let v = number(2), v < 60 else { return nil }; minute = v
                case UInt8(ascii: "S"): guard let v = number(2), v < 61 else { return nil }; second = min(v, 59)
                case UInt8(ascii: "f"):
                    var scale: Int64 = 100
                    guard i < s.count, s[i] >= 0x30, s[i] <= 0x39 else { return nil }
                    while i < s.count, s[i] >= 0x30, s[i] <= 0x39 {
                        millis += Int64(s[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                    }
                case UInt8(ascii: "p"):
                    guard i + 2 <= s.count else { return nil }
                    let word = String(decoding: UnsafeBufferPointer(rebasing: s[i..<(i + 2)]), as: UTF8.self).lowercased()
                    guard word == "am" || word == "pm" else { return nil }
                    pm = word == "pm"
                    i += 2
                case UInt8(ascii: "b"), UInt8(ascii: "B"):
                    var j = i
                    while j < s.count, (0x41...0x5A).contains(s[j]) || (0x61...0x7A).contains(s[j]) { j += 1 }
                    let word = String(decoding: UnsafeBufferPointer(rebasing: s[i..<j]), as: UTF8.self).lowercased()
                    guard word.count >= 3, let m = months.firstIndex(of: String(word.prefix(3))) else { return nil }
                    month = Int64(m + 1)
                    i = j
                case UInt8(ascii: "z"):
                    if i < s.count && (s[i] == 0x5A || s[i] == 0x7A) { i += 1; offset = 0; break }
                    guard i < s.count, s[i] == 0x2B || s[i] == 0x2D else { return nil }
                    let sign: Int64 = s[i] == 0x2D ? -1 : 1
                    i += 1
                    guard let hh = number(2) else { return nil }
                    if i < s.count && s[i] == 0x3A { i += 1 }
                    let mm = number(2) ?? 0
                    offset = sign * (hh * 3600 + mm * 60)
                case 0x25:
                    guard i < s.count, s[i] == 0x25 else { return nil }
                    i += 1
                default:
                    return nil  // an unknown directive
                }
                continue
            }
            if c == 0x20 {
                // Any run of spaces matches any run of spaces.
                while i < s.count && s[i] == 0x20 { i += 1 }
                k += 1
                continue
            }
            guard i < s.count, s[i] == c else { return nil }
            i += 1
            k += 1
        }
        guard i == s.count else { return nil }
        if let pm {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        let seconds = ISOTime.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Timestamp(milliseconds: seconds * 1000 + millis)
    }
}
