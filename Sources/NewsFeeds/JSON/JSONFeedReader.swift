import NewsCore

/// A JSON value, as the JSON Feed reader needs it (read by NewsCore's ``JSONScanner``,
/// lenient).
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

extension JSONScanner {
    /// Why ``value(depth:maxDepth:)`` refused a value nested too deeply.
    static let tooDeepMessage = "values nested deeper than the limit"

    /// The value that comes next, as a tree (a JSON Feed's item is small; the feed itself
    /// is walked field by field), nested at most `maxDepth` deep.
    mutating func value(depth: Int, maxDepth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maxDepth else { throw fail(Self.tooDeepMessage) }
        guard let b = peek() else { throw fail("expected a value, found \(endName)") }
        switch b {
        case 0x7B:
            position += 1
            var fields: [(String, JSONValue)] = []
            if take(0x7D) { return .object(fields) }
            repeat {
                let key = try string()
                try expect(0x3A, "':' after a field name")
                fields.append((key, try value(depth: depth + 1, maxDepth: maxDepth)))
            } while take(0x2C)
            try expect(0x7D, "',' or '}'")
            return .object(fields)
        case 0x5B:
            position += 1
            var items: [JSONValue] = []
            if take(0x5D) { return .array(items) }
            repeat { items.append(try value(depth: depth + 1, maxDepth: maxDepth)) } while take(0x2C)
            try expect(0x5D, "',' or ']'")
            return .array(items)
        case 0x22: return .string(try string())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        default:
            let range = try numberText()
            return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        }
    }

    /// Line and column (1-based, bytes) of `offset`.
    func lineAndColumn(_ offset: Int) -> (Int, Int) {
        var line = 1, lineStart = 0
        for k in 0..<min(offset, bytes.count) where bytes[k] == 0x0A { line += 1; lineStart = k + 1 }
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
        var r = JSONScanner(s, lenient: true)
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
                let (line, column) = r.lineAndColumn(end)
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
                let (line, column) = r.lineAndColumn(end)
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

        do throws(JSONError) {
            try r.expect(0x7B, "'{' (a JSON Feed is an object)")
            if !r.take(0x7D) {
                repeat {
                    let key = try r.string()
                    try r.expect(0x3A, "':' after a field name")
                    if key == "items" {
                        try r.expect(0x5B, "'[' (items is an array)")
                        if !r.take(0x5D) {
                            repeat {
                                let value = try r.value(depth: 2, maxDepth: limits.maxDepth)
                                take(value, end: r.position)
                            } while r.take(0x2C)
                            try r.expect(0x5D, "',' or ']'")
                        }
                    } else {
                        let v = try r.value(depth: 1, maxDepth: limits.maxDepth)
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
                try r.expect(0x7D, "',' or '}'")
            }
        } catch {
            let (line, column) = r.lineAndColumn(error.column - 1)
            if error.message == JSONScanner.tooDeepMessage { throw .tooDeep(limit: limits.maxDepth, line: line) }
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
