/// Mends, before libxml2 sees it, what real feeds get wrong about XML but mean clearly,
/// so that one stray character does not end the feed there:
///
/// - `&` that starts no reference (`AT&T`, `?a=1&b=2`) becomes `&amp;`;
/// - HTML's named references (`&nbsp;`, `&mdash;`), which XML does not define, become
///   numeric ones (`&#160;`);
/// - a named reference that neither XML, HTML nor the document's own doctype defines is
///   kept as text (`&foo;` reads as "&foo;");
/// - a numeric reference to a character XML forbids (`&#27;`, `&#0;`) and the raw control
///   characters XML forbids become U+FFFD;
/// - `<` that cannot start a tag (`1 < 2`, `a <= b`: followed by blank space, a digit or
///   `=`) becomes `&lt;`;
/// - blank space before the XML declaration is skipped.
///
/// Comments, CDATA sections, processing instructions and the doctype are copied as they
/// are (control characters aside). Entities declared in the doctype's internal subset
/// are left to libxml2, which expands them with its own loop and amplification checks.
/// The mended document is never assembled: ``run(_:emit:)`` hands it on in pieces as it
/// scans (unchanged stretches of the input as they are, without a copy; replacements
/// between them), so the parser takes it chunk by chunk and no second copy of the whole
/// document exists.
struct XMLPrepass {
    /// Where parsing starts in the input (past blank space before the declaration).
    var start = 0
    /// Lines skipped before `start` (added to libxml2's line numbers).
    var skippedLines = 0
    /// How many references and characters were mended, by kind.
    var bareAmpersands = 0, bareLess = 0, htmlEntities = 0, unknownEntities = 0, badCharacters = 0
    /// Names of the entities the internal subset declares.
    var declared: Set<String> = []
    var hasInternalSubset = false

    var problems: [String] {
        var out: [String] = []
        if bareAmpersands > 0 { out.append("\(bareAmpersands) bare '&' read as text") }
        if bareLess > 0 { out.append("\(bareLess) '<' that start\(bareLess == 1 ? "s" : "") no tag read as text") }
        if htmlEntities > 0 { out.append("\(htmlEntities) HTML entit\(htmlEntities == 1 ? "y" : "ies") that XML does not define read as characters") }
        if unknownEntities > 0 { out.append("\(unknownEntities) unknown entit\(unknownEntities == 1 ? "y" : "ies") kept as text") }
        if badCharacters > 0 { out.append("\(badCharacters) character\(badCharacters == 1 ? "" : "s") that XML forbids became U+FFFD") }
        return out
    }

    /// Bytes that may need attention: `<`, `&`, control characters, and 0xEF (U+FFFE/FFFF).
    static let special: [Bool] = (0..<256).map { b in
        b == 0x3C || b == 0x26 || b == 0xEF || (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D)
    }

    /// True when `b` may follow a `<` that starts markup: a name's first character, `/`, `!`, `?`.
    static func mayFollowLess(_ b: UInt8) -> Bool {
        FeedDate.isLetter(b) || b == 0x5F || b == 0x3A || b >= 0x80 || b == 0x2F || b == 0x21 || b == 0x3F
    }

    /// True when one of the eight bytes may be special (no false negatives): a byte below
    /// 0x20, `<`, `&` or 0xEF (the classic "has a zero byte" test on XORed words).
    @inline(__always)
    static func maySpecial(_ v: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let below20 = (v &- ones &* 0x20) & ~v & highs != 0
        return below20 || hasZero(v ^ (ones &* 0x3C)) || hasZero(v ^ (ones &* 0x26)) || hasZero(v ^ (ones &* 0xEF))
    }

    /// Finds where parsing starts (``start``, ``skippedLines``); ``run(_:emit:)`` mends.
    init(_ s: UnsafeBufferPointer<UInt8>) {
        let n = s.count
        var i = 0
        while i < n && FeedDate.isSpace(s[i]) { if s[i] == 0x0A { skippedLines += 1 }; i += 1 }
        // Blank space before anything but the XML declaration is harmless; skip it only then.
        if i > 0 && i + 5 <= n && s[i] == 0x3C && s[i + 1] == 0x3F && s[i + 2] == 0x78 && s[i + 3] == 0x6D && s[i + 4] == 0x6C {
            start = i
        } else {
            skippedLines = 0
        }
    }

    /// Scans `s` (the input given to `init`) from ``start`` to its end and hands the mended
    /// document to `emit` in order, in pieces: stretches of `s` that need no change (large
    /// ones, often the whole document, pointing into `s`) and the replacements between
    /// them. The counts of what was mended are complete when it returns.
    mutating func run(_ s: UnsafeBufferPointer<UInt8>, emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        let n = s.count
        var i = start
        var copied = i  // input before this has been emitted
        func mend(_ from: Int, _ to: Int, _ replacement: [UInt8]) {
            if from > copied { emit(UnsafeBufferPointer(rebasing: s[copied..<from])) }
            replacement.withUnsafeBufferPointer { emit($0) }
            copied = to
        }
        let fffd: [UInt8] = [0xEF, 0xBF, 0xBD]
        /// A forbidden character at `i`: the number of its bytes, or 0.
        @inline(__always) func forbidden(_ i: Int) -> Int {
            let b = s[i]
            if b < 0x20 { return b == 0x09 || b == 0x0A || b == 0x0D ? 0 : 1 }
            if b == 0xEF && i + 2 < n && s[i + 1] == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF) { return 3 }
            return 0
        }
        /// Copies a construct ending with `end` (comment, CDATA, PI), mending control characters.
        func pass(to end: [UInt8]) {
            while i < n {
                let b = s[i]
                if b == end[0] && i + end.count <= n {
                    var same = true
                    for k in 1..<end.count where s[i + k] != end[k] { same = false; break }
                    if same { i += end.count; return }
                }
                let bad = forbidden(i)
                if bad > 0 { badCharacters += 1; mend(i, i + bad, fffd); i += bad } else { i += 1 }
            }
        }
        func startsWith(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard i + count <= n else { return false }
            let p = text.utf8Start
            for k in 0..<count where s[i + k] != p[k] { return false }
            return true
        }
        let special = XMLPrepass.special
        let raw = UnsafeRawPointer(s.baseAddress)
        while i < n {
            // Fast scan to the next byte that may need attention: eight bytes at a time
            // while none of them may, then byte by byte.
            if let raw {
                while i + 8 <= n && !XMLPrepass.maySpecial(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
            }
            let stop = min(n, i + 8)
            special.withUnsafeBufferPointer { special in
                while i < stop && !special[Int(s[i])] { i += 1 }
            }
            guard i < n else { break }
            if i == stop && !special[Int(s[i])] { continue }
            let b = s[i]
            if b == 0x3C {
                if startsWith("<!--") { i += 4; pass(to: Array("-->".utf8)) }
                else if startsWith("<![CDATA[") { i += 9; pass(to: Array("]]>".utf8)) }
                else if startsWith("<?") { i += 2; pass(to: Array("?>".utf8)) }
                else if startsWith("<!DOCTYPE") { doctype(s, &i) }
                else if i + 1 < n, !XMLPrepass.mayFollowLess(s[i + 1]) {
                    // `1 < 2`, `a <= b`: a `<` that starts no tag is text.
                    bareLess += 1
                    mend(i, i + 1, Array("&lt;".utf8))
                    i += 1
                } else { i += 1 }
                continue
            }
            if b == 0x26 {
                let (end, replacement) = reference(s, at: i)
                if let replacement { mend(i, end, replacement) }
                i = end
                continue
            }
            let bad = forbidden(i)
            if bad > 0 { badCharacters += 1; mend(i, i + bad, fffd); i += bad } else { i += 1 }
        }
        if n > copied { emit(UnsafeBufferPointer(rebasing: s[copied..<n])) }
    }

    /// Past the doctype at `i`, noting the general entities its internal subset declares.
    mutating func doctype(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        let n = s.count
        var depth = 0
        var quote: UInt8 = 0
        i += 9
        while i < n {
            let b = s[i]
            if quote != 0 {
                if b == quote { quote = 0 }
                i += 1
                continue
            }
            switch b {
            case 0x22, 0x27: quote = b
            case 0x5B: depth += 1; hasInternalSubset = true
            case 0x5D: depth -= 1
            case 0x3E where depth <= 0:
                i += 1
                return
            case 0x3C where depth > 0:
                // `<!ENTITY name` (a general entity; `<!ENTITY % name` is a parameter one)
                let word = Array("<!ENTITY".utf8)
                if i + word.count < n && Array(s[i..<i + word.count]) == word {
                    var j = i + word.count
                    while j < n && FeedDate.isSpace(s[j]) { j += 1 }
                    if j < n && s[j] != 0x25 {
                        let nameStart = j
                        while j < n && !FeedDate.isSpace(s[j]) && s[j] != 0x22 && s[j] != 0x27 && s[j] != 0x3E { j += 1 }
                        declared.insert(String(decoding: s[nameStart..<j], as: UTF8.self))
                    }
                    i = j
                    continue
                }
                if i + 4 <= n && s[i + 1] == 0x21 && s[i + 2] == 0x2D && s[i + 3] == 0x2D {
                    // a comment inside the subset: skip it whole (it may hold quotes)
                    var j = i + 4
                    while j + 2 < n && !(s[j] == 0x2D && s[j + 1] == 0x2D && s[j + 2] == 0x3E) { j += 1 }
                    i = min(n, j + 3)
                    continue
                }
            default: break
            }
            i += 1
        }
    }

    /// The reference at `i` (`&`): where it ends, and what replaces it (nil: keep it).
    mutating func reference(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> (Int, [UInt8]?) {
        let n = s.count
        var j = i + 1
        let amp = Array("&amp;".utf8)
        if j < n && s[j] == 0x23 {  // &#
            j += 1
            var hex = false
            if j < n && s[j] == 0x78 { hex = true; j += 1 }
            var v: UInt32 = 0
            let digitsStart = j
            while j < n && j - digitsStart < 9 {
                let d = s[j]
                if FeedDate.isDigit(d) { v = v &* (hex ? 16 : 10) &+ UInt32(d - 0x30) }
                else if hex && (d | 0x20) >= 0x61 && (d | 0x20) <= 0x66 { v = v &* 16 &+ UInt32((d | 0x20) - 0x61 + 10) }
                else { break }
                j += 1
            }
            guard j > digitsStart, j < n, s[j] == 0x3B else {
                bareAmpersands += 1
                return (i + 1, amp)
            }
            let allowed = v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF)
            if allowed && j - digitsStart < 8 { return (j + 1, nil) }
            badCharacters += 1
            return (j + 1, Array("&#xFFFD;".utf8))
        }
        let nameStart = j
        while j < n && j - nameStart <= 64 {
            let c = s[j]
            if FeedDate.isLetter(c) || FeedDate.isDigit(c) || c == 0x5F || c == 0x2D || c == 0x2E || c == 0x3A || c >= 0x80 { j += 1 } else { break }
        }
        guard j > nameStart, j < n, s[j] == 0x3B, !FeedDate.isDigit(s[nameStart]) else {
            bareAmpersands += 1
            return (i + 1, amp)
        }
        let name = UnsafeBufferPointer(rebasing: s[nameStart..<j])
        if FeedText.xmlEntity(name) != nil { return (j + 1, nil) }
        if hasInternalSubset && declared.contains(String(decoding: name, as: UTF8.self)) { return (j + 1, nil) }
        if let v = HTMLEntities.codePoint(name) {
            htmlEntities += 1
            return (j + 1, Array("&#\(v);".utf8))
        }
        unknownEntities += 1
        return (i + 1, amp)
    }
}
