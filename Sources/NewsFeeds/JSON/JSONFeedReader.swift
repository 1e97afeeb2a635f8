import NewsCore

/// A JSON value, as the JSON Feed reader needs it.
enum JSONValue {
    case null
    case bool(Bool)
    /// A number, kept as its text (an `id` of 123 is the id "123").
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields.first { $0.0 == key }?.1 }
        return nil
    }

    var string: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n
        default: nil
        }
    }
}

struct JSONSyntaxError: Error {
    var offset: Int
    var message: String
}

/// A small JSON reader over UTF-8 bytes, depth-bounded; errors say at which byte.
struct JSONReader {
    let s: UnsafeBufferPointer<UInt8>
    var i = 0
    let maxDepth: Int

    init(_ s: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.s = s
        self.maxDepth = maxDepth
    }

    mutating func space() { while i < s.count, FeedDate.isSpace(s[i]) { i += 1 } }

    func fail(_ message: String) -> JSONSyntaxError { JSONSyntaxError(offset: i, message: message) }

    mutating func take(_ b: UInt8) -> Bool {
        space()
        if i < s.count && s[i] == b { i += 1; return true }
        return false
    }

    mutating func expect(_ b: UInt8) throws(JSONSyntaxError) {
        guard take(b) else { throw fail(i >= s.count ? "the JSON ends early" : "expected '\(Character(UnicodeScalar(b)))'") }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONSyntaxError(offset: i, message: "values nested deeper than \(maxDepth)") }
        space()
        guard i < s.count else { throw fail("the JSON ends early") }
        switch s[i] {
        case 0x7B:
            i += 1
            var fields: [(String, JSONValue)] = []
            if take(0x7D) { return .object(fields) }
            repeat {
                space()
                let key = try string()
                try expect(0x3A)
                fields.append((key, try value(depth: depth + 1)))
            } while take(0x2C)
            try expect(0x7D)
            return .object(fields)
        case 0x5B:
            i += 1
            var items: [JSONValue] = []
            if take(0x5D) { return .array(items) }
            repeat { items.append(try value(depth: depth + 1)) } while take(0x2C)
            try expect(0x5D)
            return .array(items)
        case 0x22: return .string(try string())
        case 0x74: try word("true"); return .bool(true)
        case 0x66: try word("false"); return .bool(false)
        case 0x6E: try word("null"); return .null
        default:
            let start = i
            while i < s.count, FeedDate.isDigit(s[i]) || s[i] == 0x2D || s[i] == 0x2B || s[i] == 0x2E || s[i] | 0x20 == 0x65 { i += 1 }
            guard i > start else { throw fail("expected a JSON value") }
            return .number(String(decoding: s[start..<i], as: UTF8.self))
        }
    }

    mutating func word(_ w: StaticString) throws(JSONSyntaxError) {
        let n = w.utf8CodeUnitCount
        guard i + n <= s.count else { throw fail("the JSON ends early") }
        for k in 0..<n where s[i + k] != w.utf8Start[k] { throw fail("expected a JSON value") }
        i += n
    }

    mutating func string() throws(JSONSyntaxError) -> String {
        guard i < s.count, s[i] == 0x22 else { throw fail("expected a string") }
        i += 1
        var out: [UInt8] = []
        var run = i
        while i < s.count {
            let b = s[i]
            if b == 0x22 {
                out.append(contentsOf: s[run..<i])
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == 0x5C {
                out.append(contentsOf: s[run..<i])
                i += 1
                guard i < s.count else { break }
                let e = s[i]
                i += 1
                switch e {
                case 0x22, 0x5C, 0x2F: out.append(e)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    var v = try hex4()
                    if v >= 0xD800 && v <= 0xDBFF, i + 1 < s.count, s[i] == 0x5C, s[i + 1] == 0x75 {
                        i += 2
                        let low = try hex4()
                        v = low >= 0xDC00 && low <= 0xDFFF ? 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
                    }
                    if v >= 0xD800 && v <= 0xDFFF { v = 0xFFFD }
                    FeedEncoding.appendScalar(v, to: &out)
                default: throw fail("a bad escape in a string")
                }
                run = i
                continue
            }
            i += 1
        }
        throw fail("a string is not closed")
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= s.count else { throw fail("the JSON ends early") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = s[i] | 0x20
            if FeedDate.isDigit(s[i]) { v = v * 16 + UInt32(s[i] - 0x30) }
            else if c >= 0x61 && c <= 0x66 { v = v * 16 + UInt32(c - 0x61 + 10) }
            else { throw fail("a bad \\u escape") }
            i += 1
        }
        return v
    }

    /// Line and column (1-based, bytes) of `offset`.
    func position(_ offset: Int) -> (Int, Int) {
        var line = 1, lineStart = 0
        for k in 0..<min(offset, s.count) where s[k] == 0x0A { line += 1; lineStart = k + 1 }
        return (line, offset - lineStart + 1)
    }
}

/// JSON Feed 1.0 and 1.1. The top-level object is read field by field and `items` item by
/// item, so a document that breaks keeps the items before the break. 1.0's `author`
/// (one object) and 1.1's `authors` (an array) are both read.
enum JSONFeedReader {
    static func parse(_ s: UnsafeBufferPointer<UInt8>, fileBase: String?, name: String?, readTime: Timestamp,
                      limits: FeedLimits, encoding: String, sink: ((FeedItem) -> Void)? = nil) throws(FeedError) -> FeedDocument {
        var doc = FeedDocument(format: .jsonFeed, encoding: encoding)
        var r = JSONReader(s, maxDepth: limits.maxDepth)
        var streamed = 0
        // Items whose url was relative or whose id came from it, with the url as written:
        // fixed once the whole feed is read (its home_page_url may come after them).
        var pending: [(index: Int, url: String, idFromURL: Bool)] = []
        var titleAtItems: String?
        var linkAtItems: String??
        var sourceCache: (title: String, source: String)?

        /// One item, converted as soon as it is read (its JSON tree is not kept).
        func take(_ value: JSONValue, end: Int) {
            guard case .object = value else {
                let (line, column) = r.position(end)
                doc.problems.append(FeedProblem(line: line, column: column, message: "an item that is not an object was skipped"))
                return
            }
            if titleAtItems == nil { titleAtItems = doc.title; linkAtItems = .some(doc.link) }
            let index = sink == nil ? doc.items.count : streamed
            var notes: [FeedItemNote] = []
            let summaryText = value["summary"]?.string.map(FeedText.fromText)
                ?? value["content_text"]?.string.map(FeedText.fromText)
                ?? value["content_html"]?.string.map(FeedText.fromHTML)
            let summary = summaryText.flatMap { $0.isEmpty ? nil : $0 }
            let written = (value["url"]?.string ?? value["external_url"]?.string).map { $0.trimmed }.flatMap { $0.isEmpty ? nil : $0 }
            let feedLink = doc.link.map { FeedLinks.resolve($0, against: fileBase) }
            let url = written.map { FeedLinks.resolve($0, against: feedLink ?? fileBase) }
            var title = value["title"]?.string.map(FeedText.fromText).flatMap { $0.isEmpty ? nil : $0 }
            if title == nil {
                if let summary { title = FeedText.firstWords(summary, maxCharacters: 160) } else if let url { title = url }
                if title != nil {
                    notes.append(FeedItemNote(item: index, kind: .titleDerived,
                                              message: summary != nil ? "no title: the first words of the summary are shown" : "no title: the link is shown"))
                }
            }
            guard let title else {
                let (line, column) = r.position(end)
                doc.problems.append(FeedProblem(line: line, column: column, message: "an item with no title, summary or link was skipped"))
                return
            }
            var published = readTime
            let dates = [value["date_published"]?.string, value["date_modified"]?.string].compactMap { $0 }
            if let t = dates.lazy.compactMap(FeedDate.parse).first {
                published = t
            } else {
                notes.append(FeedItemNote(item: index, kind: .dateIsReadTime, message: dates.first.map {
                    "the date \"\($0.prefix(60))\" could not be read: the time it was read is shown"
                } ?? "no date: the time it was read is shown"))
            }
            let givenID = value["id"]?.string.map { $0.trimmed }.flatMap { $0.isEmpty ? nil : $0 }
            let id = givenID ?? url.map(FeedLinks.normalised) ?? "title:" + title
            var authors: [String] = []
            if case .array(let list)? = value["authors"] {
                authors = list.compactMap { $0["name"]?.string }
            } else if let one = value["author"]?["name"]?.string {
                authors = [one]
            }
            if sourceCache?.title != doc.title { sourceCache = (doc.title, name ?? shortSourceName(fromTitle: doc.title)) }
            let headline = Headline(id: id, source: sourceCache!.source, title: title, published: published,
                                    outlet: doc.title.isEmpty ? nil : doc.title, summary: summary, url: url)
            if let sink {
                streamed += 1
                sink(FeedItem(headline: headline, authors: authors, notes: notes))
            } else {
                if let written, !FeedLinks.hasScheme(written) { pending.append((index, written, givenID == nil)) }
                doc.items.append(headline)
                doc.authors.append(authors)
                doc.notes.append(contentsOf: notes)
            }
        }

        do {
            try r.expect(0x7B)
            if !r.take(0x7D) {
                repeat {
                    r.space()
                    let key = try r.string()
                    try r.expect(0x3A)
                    if key == "items" {
                        try r.expect(0x5B)
                        if !r.take(0x5D) {
                            repeat {
                                let value = try r.value(depth: 2)
                                take(value, end: r.i)
                            } while r.take(0x2C)
                            try r.expect(0x5D)
                        }
                    } else {
                        let v = try r.value(depth: 1)
                        switch key {
                        case "version":
                            if let v = v.string, let slash = v.lastIndex(of: "/") {
                                let n = String(v[v.index(after: slash)...])
                                doc.version = n == "1" ? "1.0" : n
                            }
                        case "title": doc.title = FeedText.fromText(v.string ?? "")
                        case "home_page_url": doc.link = v.string
                        default: break
                        }
                    }
                } while r.take(0x2C)
                try r.expect(0x7D)
            }
        } catch {
            if error.message.hasPrefix("values nested deeper") {
                throw .tooDeep(limit: limits.maxDepth, line: r.position(error.offset).0)
            }
            let (line, column) = r.position(error.offset)
            doc.brokenAt = FeedProblem(line: line, column: column, message: error.message)
        }
        let feedLink = doc.link.map { FeedLinks.resolve($0, against: fileBase) }
        // What the feed said after its items: the collected items take it too.
        if sink == nil, let titleAtItems, titleAtItems != doc.title || linkAtItems! != doc.link {
            let source = name ?? shortSourceName(fromTitle: doc.title)
            for i in doc.items.indices {
                doc.items[i].source = source
                doc.items[i].outlet = doc.title.isEmpty ? nil : doc.title
            }
            for p in pending {
                let url = FeedLinks.resolve(p.url, against: feedLink ?? fileBase)
                doc.items[p.index].url = url
                if p.idFromURL { doc.items[p.index].id = FeedLinks.normalised(url) }
            }
        }
        doc.link = feedLink
        return doc
    }
}
