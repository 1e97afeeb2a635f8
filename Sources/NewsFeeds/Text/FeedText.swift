/// Feed text made plain: markup stripped (for fields that hold HTML), character references
/// decoded (XML's, numeric, HTML 4's named ones), whitespace collapsed to single spaces
/// and trimmed. `U+00A0` counts as whitespace; the text of `<script>` and `<style>` is
/// dropped; block elements (`<p>`, `<br>`, `<li>`...) separate words, inline ones do not.
public enum FeedText {
    /// Plain text of a field holding HTML (an RSS title or description, Atom `type="html"`).
    public static func fromHTML(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { clean($0, html: true) }
    }

    /// Plain text of a field holding text: whitespace collapsed, nothing else changed.
    public static func fromText(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { clean($0, html: false) }
    }

    static func clean(_ s: UnsafeBufferPointer<UInt8>, html: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var pendingSpace = false
        @inline(__always) func emit(_ b: UInt8) {
            if pendingSpace && !out.isEmpty { out.append(0x20) }
            pendingSpace = false
            out.append(b)
        }
        func emitScalar(_ v: UInt32) {
            let v = (v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) ? 0xFFFD : v
            if v == 0xA0 || v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D { pendingSpace = true; return }
            if v < 0x80 { emit(UInt8(v)); return }
            if pendingSpace && !out.isEmpty { out.append(0x20) }
            pendingSpace = false
            if v < 0x800 {
                out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
            } else if v < 0x10000 {
                out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
            } else {
                out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
            }
        }
        var i = 0
        let n = s.count
        let table = html ? specialInHTML : specialInText
        while i < n {
            // A run of bytes that need nothing, copied at once.
            let run = i
            table.withUnsafeBufferPointer { table in
                while i < n {
                    let b = s[i]
                    if !table[Int(b)] { i += 1; continue }
                    // A single space between two words stays in the run.
                    if b == 0x20 && i > run && i + 1 < n && !table[Int(s[i + 1])] { i += 1; continue }
                    break
                }
            }
            if i > run {
                if pendingSpace && !out.isEmpty { out.append(0x20) }
                pendingSpace = false
                out.append(contentsOf: UnsafeBufferPointer(rebasing: s[run..<i]))
                if i >= n { break }
            }
            let b = s[i]
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B:
                pendingSpace = true
                i += 1
            case 0xC2 where i + 1 < n && s[i + 1] == 0xA0:
                pendingSpace = true
                i += 2
            case 0x3C where html:  // <
                if let end = skipTag(s, at: i, pendingSpace: &pendingSpace) { i = end } else { emit(b); i += 1 }
            case 0x26 where html:  // &
                if let (v, end) = reference(s, at: i) { emitScalar(v); i = end } else { emit(b); i += 1 }
            default:
                emit(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes that may need work: white space, the lead byte of U+00A0, and (in HTML) `<` and `&`.
    static let specialInText: [Bool] = (0..<256).map { b in b == 0x20 || (b >= 0x09 && b <= 0x0D) || b == 0xC2 }
    static let specialInHTML: [Bool] = (0..<256).map { b in b == 0x20 || (b >= 0x09 && b <= 0x0D) || b == 0xC2 || b == 0x3C || b == 0x26 }

    static let blockTags: Set<String> = [
        "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
        "blockquote", "pre", "hr", "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "dl", "img",
    ]

    /// True for an element name (any case) that starts a block: it separates words.
    static func isBlock(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        switch name.count {
        case 0: return false
        case 1: return name[0] | 0x20 == 0x70  // p
        case 2:
            let a = name[0] | 0x20, b = name[1] | 0x20
            switch a {
            case 0x62: return b == 0x72  // br
            case 0x6C, 0x75, 0x6F: return b == 0x69 || b == 0x6C  // li ul ol
            case 0x68: return (b >= 0x31 && b <= 0x36) || b == 0x72  // h1-h6 hr
            case 0x74: return b == 0x72 || b == 0x64 || b == 0x68  // tr td th
            case 0x64: return b == 0x64 || b == 0x74 || b == 0x6C  // dd dt dl
            default: return false
            }
        default:
            guard name.count <= 10 else { return false }
            return blockTags.contains(String(decoding: name.map { $0 | 0x20 }, as: UTF8.self))
        }
    }

    /// The end of the tag, comment or declaration at `i` (which is `<`), nil when `<` is text.
    static func skipTag(_ s: UnsafeBufferPointer<UInt8>, at i: Int, pendingSpace: inout Bool) -> Int? {
        let n = s.count
        guard i + 1 < n else { return nil }
        let c = s[i + 1]
        if c == 0x21 {  // <!-- ... --> or <!...>
            if i + 3 < n && s[i + 2] == 0x2D && s[i + 3] == 0x2D {
                var j = i + 4
                while j + 2 < n && !(s[j] == 0x2D && s[j + 1] == 0x2D && s[j + 2] == 0x3E) { j += 1 }
                return min(n, j + 3)
            }
            return endOfTag(s, from: i + 2)
        }
        if c == 0x3F { return endOfTag(s, from: i + 2) }
        let closing = c == 0x2F
        var j = closing ? i + 2 : i + 1
        let nameStart = j
        while j < n, FeedDate.isLetter(s[j]) || FeedDate.isDigit(s[j]) || s[j] == 0x3A || s[j] == 0x2D { j += 1 }
        guard j > nameStart, FeedDate.isLetter(s[nameStart]) else { return nil }
        let nameBytes = UnsafeBufferPointer(rebasing: s[nameStart..<j])
        let end = endOfTag(s, from: j)
        if isBlock(nameBytes) { pendingSpace = true }
        let first = nameBytes[0] | 0x20
        if !closing && first == 0x73 && (nameBytes.count == 5 || nameBytes.count == 6),
           case let name = String(decoding: nameBytes.map { $0 | 0x20 }, as: UTF8.self), name == "script" || name == "style" {
            // Skip to the matching close tag.
            var k = end
            let close = Array("</\(name)".utf8)
            while k + close.count <= n {
                if s[k] == 0x3C {
                    var same = true
                    for m in 0..<close.count where (s[k + m] | 0x20) != (close[m] | 0x20) { same = false; break }
                    if same { return endOfTag(s, from: k + close.count) }
                }
                k += 1
            }
            return n
        }
        return end
    }

    /// Just past the `>` that ends a tag starting before `from`, quotes respected.
    static func endOfTag(_ s: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var j = from
        var quote: UInt8 = 0
        while j < s.count {
            let b = s[j]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == 0x22 || b == 0x27 {
                quote = b
            } else if b == 0x3E {
                return j + 1
            }
            j += 1
        }
        return s.count
    }

    /// The character reference at `i` (`&`): its code point and the index past its `;`.
    static func reference(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
        let n = s.count
        var j = i + 1
        if j < n && s[j] == 0x23 {  // &#
            j += 1
            var hex = false
            if j < n && (s[j] | 0x20) == 0x78 { hex = true; j += 1 }
            var v: UInt32 = 0
            let start = j
            while j < n && j - start < 8 {
                let d = s[j]
                if FeedDate.isDigit(d) { v = v * (hex ? 16 : 10) + UInt32(d - 0x30) }
                else if hex && (d | 0x20) >= 0x61 && (d | 0x20) <= 0x66 { v = v * 16 + UInt32((d | 0x20) - 0x61 + 10) }
                else { break }
                j += 1
            }
            guard j > start, j < n, s[j] == 0x3B else { return nil }
            return (v, j + 1)
        }
        let start = j
        while j < n && j - start <= 8 && (FeedDate.isLetter(s[j]) || FeedDate.isDigit(s[j])) { j += 1 }
        guard j > start, j < n, s[j] == 0x3B else { return nil }
        let name = UnsafeBufferPointer(rebasing: s[start..<j])
        if let v = xmlEntity(name) ?? HTMLEntities.codePoint(name) { return (v, j + 1) }
        return nil
    }

    static func xmlEntity(_ name: UnsafeBufferPointer<UInt8>) -> UInt32? {
        switch name.count {
        case 2 where name[1] == 0x74 && name[0] == 0x6C: return 0x3C  // lt
        case 2 where name[1] == 0x74 && name[0] == 0x67: return 0x3E  // gt
        case 3 where name[0] == 0x61 && name[1] == 0x6D && name[2] == 0x70: return 0x26  // amp
        case 4 where name[0] == 0x71 && name[1] == 0x75 && name[2] == 0x6F && name[3] == 0x74: return 0x22  // quot
        case 4 where name[0] == 0x61 && name[1] == 0x70 && name[2] == 0x6F && name[3] == 0x73: return 0x27  // apos
        default: return nil
        }
    }

    /// The first `words` words of `text` (at most `maxCharacters`), with `…` when there were more.
    public static func firstWords(_ text: String, _ words: Int = 12, maxCharacters: Int) -> String {
        let cut = firstWords(text, words)
        guard cut.count > maxCharacters else { return cut }
        return String(cut.prefix(maxCharacters)) + "…"
    }

    /// The first `words` words of `text`, with `…` when there were more.
    public static func firstWords(_ text: String, _ words: Int = 12) -> String {
        var count = 0
        var end = text.endIndex
        var inWord = false
        for i in text.indices {
            if text[i] == " " {
                if inWord { count += 1; if count == words { end = i; break } }
                inWord = false
            } else {
                inWord = true
            }
        }
        return end == text.endIndex ? text : String(text[..<end]) + "…"
    }
}
