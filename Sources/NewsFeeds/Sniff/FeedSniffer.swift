/// What a file holds, from its content alone (never its name): a feed of some format, an
/// HTML page, another XML document, JSON that is not a JSON Feed, CSV...
public enum SniffedKind: Sendable, Equatable, CustomStringConvertible {
    case feed(FeedFormat, version: String?)
    case html
    /// XML whose root element is not a feed's.
    case otherXML(root: String)
    /// One JSON object per line (a recording, or headlines to import).
    case jsonLines
    /// JSON that is not a JSON Feed.
    case json
    case csv
    case empty
    case unknown

    /// What it is, said to someone who expected a feed: "an HTML page, not a feed".
    public var description: String {
        switch self {
        case .feed(let format, let version): "a \(format.name)\(version.map { " \($0)" } ?? "") feed"
        case .html: "an HTML page, not a feed"
        case .otherXML(let root): "an XML document with root element <\(root)>, not a feed"
        case .jsonLines: "JSON Lines, not a feed"
        case .json: "JSON that is not a JSON Feed (no \"version\": \"https://jsonfeed.org/version/...\")"
        case .csv: "CSV, not a feed"
        case .empty: "an empty file, not a feed"
        case .unknown: "not a feed (neither XML nor JSON)"
        }
    }

    public var isFeed: Bool { if case .feed = self { true } else { false } }
}

public enum FeedSniffer {
    /// Looks at the start of `bytes` (at most 64 KiB of it, after transcoding a UTF-16 or
    /// other declared encoding) past a byte order mark, blank space, the XML declaration,
    /// comments, processing instructions and a doctype, to the root element.
    public static func sniff(_ bytes: UnsafeBufferPointer<UInt8>) -> SniffedKind {
        let head = UnsafeBufferPointer(rebasing: bytes[..<min(bytes.count, 64 << 10)])
        let decoded = FeedEncoding.decode(head)
        return decoded.withUTF8(head) { (s: UnsafeBufferPointer<UInt8>) -> SniffedKind in sniffUTF8(s, whole: bytes.count <= head.count ? nil : bytes) }
    }

    public static func sniff(_ bytes: [UInt8]) -> SniffedKind { bytes.withUnsafeBufferPointer { sniff($0) } }

    static func sniffUTF8(_ s: UnsafeBufferPointer<UInt8>, whole: UnsafeBufferPointer<UInt8>?) -> SniffedKind {
        var i = 0
        let n = s.count
        func skipSpace() { while i < n && (FeedDate.isSpace(s[i]) || s[i] == 0x0C) { i += 1 } }
        func starts(_ text: String, caseInsensitive: Bool = false) -> Bool {
            var k = i
            for c in text.utf8 {
                guard k < n else { return false }
                if caseInsensitive ? (s[k] | 0x20) != (c | 0x20) : s[k] != c { return false }
                k += 1
            }
            return true
        }
        func skip(past end: String) {
            let e = Array(end.utf8)
            while i < n {
                if s[i] == e[0] && i + e.count <= n && Array(s[i..<i + e.count]) == e { i += e.count; return }
                i += 1
            }
        }
        skipSpace()
        if i >= n { return .empty }
        if s[i] == 0x7B || s[i] == 0x5B { return sniffJSON(s, from: i, whole: whole) }  // { or [
        guard s[i] == 0x3C else { return looksLikeCSV(s, from: i) ? .csv : .unknown }
        while i < n {
            skipSpace()
            guard i < n, s[i] == 0x3C else { return i >= n ? .unknown : .unknown }
            if starts("<?") { skip(past: "?>"); continue }
            if starts("<!--") { skip(past: "-->"); continue }
            if starts("<!DOCTYPE", caseInsensitive: true) {
                i += 9
                skipSpace()
                if starts("html", caseInsensitive: true) { return .html }
                // Past the doctype, internal subset included.
                var depth = 0
                var quote: UInt8 = 0
                while i < n {
                    let b = s[i]
                    i += 1
                    if quote != 0 { if b == quote { quote = 0 }; continue }
                    if b == 0x22 || b == 0x27 { quote = b } else if b == 0x5B { depth += 1 } else if b == 0x5D { depth -= 1 }
                    else if b == 0x3E && depth <= 0 { break }
                }
                continue
            }
            // The root element.
            i += 1
            let start = i
            while i < n && !FeedDate.isSpace(s[i]) && s[i] != 0x3E && s[i] != 0x2F { i += 1 }
            let qname = String(decoding: s[start..<i], as: UTF8.self)
            let local = qname.split(separator: ":").last.map(String.init) ?? qname
            var tagEnd = i
            while tagEnd < n && s[tagEnd] != 0x3E { tagEnd += 1 }
            let tag = String(decoding: s[start..<tagEnd], as: UTF8.self)
            switch local.lowercased() {
            case "rss": return .feed(.rss, version: attribute("version", in: tag))
            case "rdf":
                if tag.contains("http://my.netscape.com/rdf/simple/0.9/") { return .feed(.rdf, version: "0.90") }
                return .feed(.rdf, version: "1.0")
            case "feed":
                if tag.contains("http://purl.org/atom/ns#") || attribute("version", in: tag) == "0.3" { return .feed(.atom, version: "0.3") }
                return .feed(.atom, version: "1.0")
            case "html", "head", "body": return .html
            default: return .otherXML(root: qname)
            }
        }
        return .unknown
    }

    /// The value of attribute `name` in a start tag's text.
    static func attribute(_ name: String, in tag: String) -> String? {
        var rest = Substring(tag)
        while let r = rest.range(of: name) {
            let before = r.lowerBound == rest.startIndex ? " " : rest[rest.index(before: r.lowerBound)]
            var after = rest[r.upperBound...].drop { $0 == " " }
            rest = rest[r.upperBound...]
            guard before == " " || before == "\n" || before == "\t", after.first == "=" else { continue }
            after = after.dropFirst().drop { $0 == " " }
            guard let q = after.first, q == "\"" || q == "'" else { continue }
            return String(after.dropFirst().prefix { $0 != q })
        }
        return nil
    }

    static func sniffJSON(_ s: UnsafeBufferPointer<UInt8>, from i: Int, whole: UnsafeBufferPointer<UInt8>?) -> SniffedKind {
        let marker = Array("jsonfeed.org/version/".utf8)
        /// Where the marker ends in `hay`, if it is there; a `/` may be written `\/`, as
        /// JSON allows and PHP's json_encode and Foundation's JSONSerialization write it.
        func find(_ hay: UnsafeBufferPointer<UInt8>) -> Int? {
            guard hay.count >= marker.count else { return nil }
            var k = 0
            while k + marker.count <= hay.count {
                if hay[k] == marker[0] {
                    var j = k, m = 0
                    while m < marker.count && j < hay.count {
                        if marker[m] == 0x2F && hay[j] == 0x5C && j + 1 < hay.count && hay[j + 1] == 0x2F { j += 1 }
                        guard hay[j] == marker[m] else { break }
                        j += 1
                        m += 1
                    }
                    if m == marker.count { return j }
                }
                k += 1
            }
            return nil
        }
        if s[i] == 0x7B {
            let inWhole = find(s) == nil
            if let end = find(s) ?? whole.flatMap(find) {
                let hay = inWhole ? whole! : s
                var j = end
                var version = ""
                while j < hay.count, FeedDate.isDigit(hay[j]) || hay[j] == 0x2E { version.append(Character(UnicodeScalar(hay[j]))); j += 1 }
                return .feed(.jsonFeed, version: version.isEmpty ? nil : version == "1" ? "1.0" : version)
            }
            // One object per line: a newline, then another object.
            var j = i
            while j < s.count && s[j] != 0x0A { j += 1 }
            while j < s.count && FeedDate.isSpace(s[j]) { j += 1 }
            if j < s.count && s[j] == 0x7B { return .jsonLines }
        }
        return .json
    }

    static func looksLikeCSV(_ s: UnsafeBufferPointer<UInt8>, from i: Int) -> Bool {
        var j = i
        var commas = 0
        while j < s.count && s[j] != 0x0A { if s[j] == 0x2C { commas += 1 }; j += 1 }
        return commas > 0
    }
}
