#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a feed's bytes into UTF-8, whatever they were written in, without ever losing
/// the feed: bytes that are not valid in the encoding become U+FFFD.
///
/// The encoding is, in order: a byte order mark (UTF-8, UTF-16 LE/BE); UTF-16 without one
/// (`<` next to a zero byte); the XML declaration's `encoding`; UTF-8. Then the guess is
/// checked against the bytes: a declared UTF-8 (or no declaration) whose bytes are not UTF-8
/// and hold no multi-byte sequence at all is windows-1252 mislabelled; a declared single-
/// byte encoding whose bytes are valid UTF-8 with some multi-byte sequence is UTF-8
/// mislabelled. ISO-8859-1 and US-ASCII are read as windows-1252 (as browsers do: the
/// C1 range is never meant). Other labels go through iconv.
public enum FeedEncoding {
    public struct Decoded: Sendable {
        /// The text in UTF-8, when it had to be converted or mended; nil when the input
        /// already is valid UTF-8 from `start` (past a byte order mark): nothing is copied.
        public var converted: [UInt8]?
        /// Where the text starts in the input when `converted` is nil.
        public var start = 0
        /// What the bytes were read as: `UTF-8`, `UTF-16LE`, `windows-1252`, an iconv name.
        public var encoding: String
        /// What was wrong: a wrong declaration, invalid bytes replaced.
        public var problems: [String]

        init(utf8: [UInt8]?, encoding: String, problems: [String], start: Int = 0) {
            self.converted = utf8
            self.encoding = encoding
            self.problems = problems
            self.start = start
        }

        /// Calls `body` with the text in UTF-8: the converted bytes, or `input` itself.
        public func withUTF8<R, E: Error>(_ input: UnsafeBufferPointer<UInt8>,
                                          _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
            if let converted {
                return try converted.withUnsafeBufferPointer { (b) throws(E) -> R in try body(b) }
            }
            return try body(UnsafeBufferPointer(rebasing: input[start...]))
        }
    }

    /// `hint` is an encoding named outside the document (an HTTP `charset`): it stands in
    /// for a missing declaration (a byte order mark or a declaration wins over it).
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, hint: String? = nil) -> Decoded {
        var problems: [String] = []
        let n = bytes.count
        if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            return utf8(bytes, from: 3, check: utf8Check(UnsafeBufferPointer(rebasing: bytes[3...])), problems: problems)
        }
        if n >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF { return utf16(UnsafeBufferPointer(rebasing: bytes[2...]), bigEndian: true) }
        if n >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE { return utf16(UnsafeBufferPointer(rebasing: bytes[2...]), bigEndian: false) }
        if n >= 4 && bytes[0] == 0 && bytes[1] == 0x3C && bytes[2] == 0 { return utf16(bytes, bigEndian: true) }
        if n >= 4 && bytes[0] == 0x3C && bytes[1] == 0 && bytes[3] == 0 { return utf16(bytes, bigEndian: false) }

        let declared = declaredEncoding(bytes) ?? hint.flatMap { $0.isEmpty ? nil : $0 }
        let label = declared.map(canonical) ?? "UTF-8"
        let check = utf8Check(bytes)
        switch label {
        case "UTF-8":
            if !check.valid && check.multiByte == 0 {
                problems.append(declared == nil
                    ? "no encoding declared and the bytes are not UTF-8: read as windows-1252"
                    : "declared \(declared!) but the bytes are not UTF-8: read as windows-1252")
                return windows1252(bytes, problems: problems)
            }
            return utf8(bytes, from: 0, check: check, problems: problems)
        case "UTF-16", "UTF-16LE", "UTF-16BE":
            // The declaration was readable as ASCII, so the bytes are not UTF-16.
            problems.append("declared \(declared!) but the bytes are not UTF-16: read as UTF-8")
            return utf8(bytes, from: 0, check: check, problems: problems)
        default:
            if check.valid && check.multiByte > 0 {
                problems.append("declared \(declared!) but the bytes are UTF-8: read as UTF-8")
                return utf8(bytes, from: 0, check: check, problems: problems)
            }
            if label == "windows-1252" { return windows1252(bytes, problems: problems) }
            if let out = iconv(bytes, from: label) {
                return Decoded(utf8: out.bytes, encoding: label, problems: problems + out.problems)
            }
            problems.append("unknown encoding \(declared!): read as UTF-8")
            return utf8(bytes, from: 0, check: check, problems: problems)
        }
    }

    /// The `encoding` of an XML declaration at the start (after blank space), if any.
    static func declaredEncoding(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        var i = 0
        while i < b.count && i < 1024 && FeedDate.isSpace(b[i]) { i += 1 }
        guard i + 5 < b.count, b[i] == 0x3C, b[i + 1] == 0x3F, b[i + 2] | 0x20 == 0x78, b[i + 3] | 0x20 == 0x6D, b[i + 4] | 0x20 == 0x6C
        else { return nil }
        var end = i
        while end < b.count && end < i + 512 && b[end] != 0x3E { end += 1 }
        let decl = String(decoding: b[i..<end], as: UTF8.self)
        guard let r = decl.range(of: "encoding") else { return nil }
        var rest = decl[r.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let q = rest.first, q == "\"" || q == "'" else { return nil }
        rest = rest.dropFirst()
        let value = rest.prefix { $0 != q }
        return value.isEmpty ? nil : String(value)
    }

    static func canonical(_ label: String) -> String {
        let l = label.lowercased().filter { $0 != "_" }
        switch l {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return "UTF-8"
        case "utf-16", "utf16", "unicode": return "UTF-16"
        case "utf-16le": return "UTF-16LE"
        case "utf-16be": return "UTF-16BE"
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso-ir-100", "cp819", "ibm819",
             "us-ascii", "ascii", "iso646-us", "windows-1252", "cp1252", "x-cp1252", "ansix3.4-1968":
            return "windows-1252"
        default: return label.uppercased()
        }
    }

    struct Check { var valid: Bool; var multiByte: Int }

    static func utf8Check(_ b: UnsafeBufferPointer<UInt8>) -> Check {
        var i = 0, multi = 0
        let n = b.count
        let raw = UnsafeRawPointer(b.baseAddress)
        while i < n {
            // Eight ASCII bytes at a time.
            if let raw {
                while i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
                if i >= n { break }
            }
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let len = sequenceLength(b, at: i)
            if len == 0 { return Check(valid: false, multiByte: multi) }
            multi += 1
            i += len
        }
        return Check(valid: true, multiByte: multi)
    }

    /// The length of the valid UTF-8 sequence at `i` (a non-ASCII lead byte), 0 if invalid.
    @inline(__always)
    static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let c = b[i], n = b.count
        @inline(__always) func cont(_ k: Int) -> Bool { i + k < n && b[i + k] & 0xC0 == 0x80 }
        switch c {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1) && b[i + 1] >= 0xA0 && cont(2) ? 3 : 0
        case 0xED: return cont(1) && b[i + 1] < 0xA0 && cont(2) ? 3 : 0
        case 0xE1...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xF0: return cont(1) && b[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1) && b[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// UTF-8 from `from`: not copied when valid, else copied with U+FFFD for each bad byte.
    static func utf8(_ input: UnsafeBufferPointer<UInt8>, from: Int, check: Check, problems: [String]) -> Decoded {
        if check.valid { return Decoded(utf8: nil, encoding: "UTF-8", problems: problems, start: from) }
        let b = UnsafeBufferPointer(rebasing: input[from...])
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var bad = 0
        var i = 0, runStart = 0
        let n = b.count
        while i < n {
            if b[i] < 0x80 { i += 1; continue }
            let len = sequenceLength(b, at: i)
            if len > 0 { i += len; continue }
            out.append(contentsOf: b[runStart..<i])
            out.append(contentsOf: replacement)
            bad += 1
            i += 1
            runStart = i
        }
        out.append(contentsOf: b[runStart..<n])
        var problems = problems
        if bad > 0 { problems.append("\(bad) byte\(bad == 1 ? " is" : "s are") not UTF-8 and became U+FFFD") }
        return Decoded(utf8: out, encoding: "UTF-8", problems: problems)
    }

    static func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 { out.append(UInt8(v)) }
        else if v < 0x800 { out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F))) }
        else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    static func utf16(_ b: UnsafeBufferPointer<UInt8>, bigEndian: Bool) -> Decoded {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var bad = 0
        var i = 0
        func unit(_ k: Int) -> UInt32 { bigEndian ? UInt32(b[k]) << 8 | UInt32(b[k + 1]) : UInt32(b[k + 1]) << 8 | UInt32(b[k]) }
        while i + 1 < b.count {
            let u = unit(i)
            i += 2
            if u >= 0xD800 && u <= 0xDBFF {
                if i + 1 < b.count {
                    let l = unit(i)
                    if l >= 0xDC00 && l <= 0xDFFF {
                        i += 2
                        appendScalar(0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00), to: &out)
                        continue
                    }
                }
                bad += 1
                out.append(contentsOf: replacement)
            } else if u >= 0xDC00 && u <= 0xDFFF {
                bad += 1
                out.append(contentsOf: replacement)
            } else {
                appendScalar(u, to: &out)
            }
        }
        if i < b.count { bad += 1; out.append(contentsOf: replacement) }
        var problems: [String] = []
        if bad > 0 { problems.append("\(bad) UTF-16 unit\(bad == 1 ? " is" : "s are") invalid and became U+FFFD") }
        return Decoded(utf8: out, encoding: bigEndian ? "UTF-16BE" : "UTF-16LE", problems: problems)
    }

    /// windows-1252's 0x80-0x9F (the rest is ISO-8859-1); 0 where it has no character.
    static let cp1252: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    static func windows1252(_ b: UnsafeBufferPointer<UInt8>, problems: [String]) -> Decoded {
        var out: [UInt8] = []
        out.reserveCapacity(b.count + b.count / 8)
        for c in b {
            if c < 0x80 { out.append(c); continue }
            var v = UInt32(c)
            if c < 0xA0 { v = cp1252[Int(c - 0x80)]; if v == 0 { v = 0xFFFD } }
            appendScalar(v, to: &out)
        }
        return Decoded(utf8: out, encoding: "windows-1252", problems: problems)
    }

    /// Through iconv, invalid bytes replaced one by one; nil when iconv does not know `label`.
    static func iconv(_ b: UnsafeBufferPointer<UInt8>, from label: String) -> (bytes: [UInt8], problems: [String])? {
        let cd = iconv_open("UTF-8", label)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: max(64, b.count * 4 + 16))
        var bad = 0
        var inLeft = b.count
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer<CChar>(mutating: UnsafeRawPointer(b.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self))
        var written = 0
        out.withUnsafeMutableBufferPointer { o in
            while inLeft > 0 {
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress! + written).assumingMemoryBound(to: CChar.self)
                var outLeft = o.count - written - 4
                let r = Glibc.iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                written = o.count - 4 - outLeft
                if r == -1 {
                    if errno == E2BIG { break }  // cannot happen: 4 bytes out per byte in
                    // EILSEQ or EINVAL (a truncated sequence): one byte becomes U+FFFD.
                    bad += 1
                    for k in 0..<3 { o[written + k] = replacement[k] }
                    written += 3
                    inPtr = inPtr.map { $0 + 1 }
                    inLeft -= 1
                    _ = Glibc.iconv(cd, nil, nil, nil, nil)
                }
            }
        }
        out.removeSubrange(written...)
        return (out, bad > 0 ? ["\(bad) byte\(bad == 1 ? " is" : "s are") not \(label) and became U+FFFD"] : [])
    }
}
