import CLibxml2
import Foundation
import NewsCore
#if canImport(Glibc)
import Glibc
#endif

/// RSS, RDF and Atom through libxml2's SAX2 push parser: a state machine over element
/// events, never a tree of the document. Elements are keyed on namespace URI and local
/// name (an undeclared `dc:` or `content:` prefix is read as the usual namespace).
///
/// The machine: a stack of contexts (document, the RSS or RDF root, the channel or Atom
/// feed, an item or entry, an Atom author), each opened by its element and closed by its
/// end; inside a context, a known field starts a capture of its text (nested markup
/// included, as in Atom's `type="xhtml"`) and every other element is skipped whole.
/// An item becomes a headline at its end tag, so a document that breaks mid-way keeps
/// every item completed before the break.
final class XMLFeedReader {
    enum Context { case document, rssRoot, rdfRoot, feed, item, author }

    enum Tag: UInt8 {
        case unknown, rss, rdf, feed, channel, item, entry, title, link, description, guid
        case pubDate, dcDate, published, issued, created, updated, modified
        case id, summary, content, contentEncoded, author, creator, name, image, textinput
        case ttl, updatePeriod, updateFrequency
    }

    enum Field: Equatable {
        case none, feedTitle, feedLink, title, link, guid, id, description, content, date(Int), author
        case ttl, updatePeriod, updateFrequency
    }

    struct Item {
        var title: String?
        var link: String?
        var linkBase: String?
        var guid: String?
        var guidIsPermaLink = true
        var id: String?
        var about: String?
        var summary: String?
        var content: String?
        /// The parsed date of the highest priority seen (0 first: pubDate, dc:date, published,
        /// issued, created, updated, modified).
        var date: Timestamp?
        var datePriority = Int.max
        var badDate: String?
        var authors: [String] = []
    }

    struct TagKey: Hashable {
        var local: UnsafeRawPointer
        var uri: UnsafeRawPointer?
        var prefix: UnsafeRawPointer?
    }

    // Settings
    let fileBase: String?
    let readTime: Timestamp
    let limits: FeedLimits
    let lineOffset: Int
    let textBudget: Int

    // Results
    var doc: FeedDocument
    var fatal: FeedError?
    var rootSeen = false
    var ctxt: xmlParserCtxtPtr?
    var stopped = false
    /// The size of the chunks libxml2 is given (a parameter for the tests: any size parses the same).
    var chunkSize = 64 << 10
    /// Small pieces gathered into the next chunk (see ``push(_:)``).
    var gathered: [UInt8] = []

    // State
    var depth = 0
    var contexts: [(Context, Int)] = [(.document, 0)]
    var skipDepth = 0
    var captureDepth = 0
    var capture: Field = .none
    var captureHTML = false
    var text: [UInt8] = []
    var delivered = 0
    var bases: [(depth: Int, base: String)] = []
    var item = Item()
    var feedLinkRaw: String?
    var feedLinkBase: String?
    var tagCache: [TagKey: Tag] = [:]
    /// When set, each item goes here as it completes and is not kept (see `FeedParser.parse(each:)`).
    var sink: ((FeedItem) -> Void)?
    var sourceName: String?
    var streamed = 0
    var streamSource: String?
    var streamSourceTitle = ""
    /// Items whose link is relative or whose id is to be derived from the link: resolved at the end.
    var pending: [(index: Int, link: String?, base: String?, deriveID: Bool)] = []

    init(fileBase: String?, readTime: Timestamp, limits: FeedLimits, format: FeedFormat, version: String?,
         encoding: String, lineOffset: Int, inputSize: Int) {
        self.fileBase = fileBase
        self.readTime = readTime
        self.limits = limits
        self.lineOffset = lineOffset
        self.textBudget = inputSize + limits.maxExpansion
        self.doc = FeedDocument(format: format, version: version, encoding: encoding)
        text.reserveCapacity(4096)
    }

    // MARK: Running libxml2

    /// Starts the push parser: ``push(_:)`` then gives it the document, ``endPush()`` ends it.
    func begin() {
        var handler = xmlSAXHandler()
        handler.initialized = 0xDEED_BEAF  // XML_SAX2_MAGIC
        ndxml_set_sax2_defaults(&handler)
        handler.startElementNs = { ctx, local, prefix, uri, _, _, count, _, attributes in
            guard let local else { return }
            XMLFeedReader.of(ctx)?.start(local, prefix, uri, Int(count), attributes)
        }
        handler.endElementNs = { ctx, _, _, _ in XMLFeedReader.of(ctx)?.end() }
        handler.characters = { ctx, ch, len in XMLFeedReader.of(ctx)?.characters(ch, Int(len)) }
        handler.cdataBlock = handler.characters
        handler.serror = { ctx, error in
            guard let ctx, let error else { return }
            // serror's first argument is the context's userData: the parser context itself.
            XMLFeedReader.of(ctx)?.error(error.pointee)
        }
        guard let ctxt = ndxml_CreatePushParserCtxt(&handler, nil, nil, 0, nil) else { stopped = true; return }
        self.ctxt = ctxt
        let options = XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue
        ndxml_CtxtUseOptions(ctxt, Int32(options))
        let unmanaged = Unmanaged.passUnretained(self)
        ctxt.pointee._private = unmanaged.toOpaque()
        _ = ndxml_SwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8)
        gathered.reserveCapacity(chunkSize)
    }

    /// Gives the parser the next piece of the document. Small pieces (the prepass's
    /// replacements and the text between them) are gathered into chunks of ``chunkSize``;
    /// a large one goes to libxml2 in place, a chunk at a time. Nothing after a stop.
    func push(_ piece: UnsafeBufferPointer<UInt8>) {
        guard !stopped, let base = piece.baseAddress else { return }
        if piece.count < chunkSize / 4 {
            if gathered.count + piece.count > chunkSize { flush() }
            gathered.append(contentsOf: piece)
            return
        }
        flush()
        var offset = 0
        while offset < piece.count && !stopped {
            let count = min(chunkSize, piece.count - offset)
            parseChunk(UnsafeRawPointer(base + offset).assumingMemoryBound(to: CChar.self), count)
            offset += count
        }
    }

    /// Ends the document (unless the parse stopped) and frees the parser.
    func endPush() {
        flush()
        guard let ctxt else { return }
        if !stopped { ndxml_ParseChunk(ctxt, nil, 0, 1) }
        if let myDoc = ctxt.pointee.myDoc {
            ctxt.pointee.myDoc = nil
            ndxml_FreeDoc(myDoc)
        }
        ndxml_FreeParserCtxt(ctxt)
        self.ctxt = nil
    }

    private func flush() {
        guard !gathered.isEmpty else { return }
        if !stopped {
            gathered.withUnsafeBufferPointer { b in
                parseChunk(UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), b.count)
            }
        }
        gathered.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private func parseChunk(_ p: UnsafePointer<CChar>, _ count: Int) {
        guard let ctxt, !stopped else { return }
        ndxml_ParseChunk(ctxt, p, Int32(count), 0)
    }

    @inline(__always)
    static func of(_ ctx: UnsafeMutableRawPointer?) -> XMLFeedReader? {
        guard let ctx, let reader = ctx.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return nil }
        return Unmanaged<XMLFeedReader>.fromOpaque(reader).takeUnretainedValue()
    }

    func stop(_ error: FeedError) {
        if fatal == nil { fatal = error }
        stopped = true
        if let ctxt { ndxml_StopParser(ctxt) }
    }

    func error(_ e: xmlError) {
        let message = e.message.map { String(cString: $0) }?.trimmingTrailingNewlines() ?? "XML error \(e.code)"
        let problem = FeedProblem(line: Int(e.line) + lineOffset, column: Int(e.int2), message: message)
        if e.code == Int32(XML_ERR_ENTITY_LOOP.rawValue) {
            stop(.entityExpansion("an entity reference loop or excessive amplification, \(problem)"))
            return
        }
        if e.level == XML_ERR_FATAL {
            if doc.brokenAt == nil && fatal == nil { doc.brokenAt = problem }
            stopped = true
            if let ctxt { ndxml_StopParser(ctxt) }
        } else if doc.problems.count < 100 {
            doc.problems.append(problem)
        }
    }

    var line: Int { ctxt.map { Int(ndxml_SAX2GetLineNumber(UnsafeMutableRawPointer($0))) + lineOffset } ?? 0 }

    // MARK: Events

    func start(_ local: UnsafePointer<xmlChar>, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?,
               _ attributeCount: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        depth += 1
        delivered += 3  // an element is at least `<a/>`: its own source never exceeds the budget
        if depth > limits.maxDepth { stop(.tooDeep(limit: limits.maxDepth, line: line)); return }
        if delivered > textBudget { stop(budgetError); return }
        if skipDepth > 0 { skipDepth += 1; return }
        if captureDepth > 0 {
            // Markup inside a field (Atom xhtml, stray HTML in RSS): block elements separate words.
            if FeedText.isBlock(UnsafeBufferPointer(start: local, count: strlen(local))) { text.append(0x20) }
            return
        }
        let attrs = Attributes(pointer: attributes, count: attributeCount)
        if attributeCount > 0, let base = attrs.value(local: "base", prefix: "xml") {
            bases.append((depth, FeedLinks.resolve(base, against: currentBase ?? fileBase)))
        }
        let tag = classify(local, prefix, uri)
        let context = contexts[contexts.count - 1].0
        switch context {
        case .document:
            rootSeen = true
            switch tag {
            case .rss: contexts.append((.rssRoot, depth)); if doc.version == nil { doc.version = attrs.value(local: "version") }
            case .rdf: contexts.append((.rdfRoot, depth))
            case .feed: contexts.append((.feed, depth)); if doc.version == nil { doc.version = attrs.value(local: "version") }
            default: skipDepth = 1
            }
        case .rssRoot, .rdfRoot:
            switch tag {
            case .channel: contexts.append((.feed, depth))
            case .item: beginItem(attrs)
            default: skipDepth = 1
            }
        case .feed:
            switch tag {
            case .item, .entry: beginItem(attrs)
            case .title: startCapture(.feedTitle, html: isHTML(attrs))
            case .link:
                if doc.format == .atom {
                    if feedLinkRaw == nil, isAlternate(attrs), let href = attrs.value(local: "href") {
                        feedLinkRaw = href
                        feedLinkBase = currentBase
                    }
                    skipDepth = 1
                } else if feedLinkRaw == nil {
                    startCapture(.feedLink, html: false)
                } else {
                    skipDepth = 1
                }
            case .ttl: startCapture(.ttl, html: false)
            case .updatePeriod: startCapture(.updatePeriod, html: false)
            case .updateFrequency: startCapture(.updateFrequency, html: false)
            default: skipDepth = 1
            }
        case .item:
            switch tag {
            case .title: startCapture(.title, html: isHTML(attrs))
            case .link:
                if doc.format == .atom || attrs.value(local: "href") != nil {
                    if item.link == nil, isAlternate(attrs), let href = attrs.value(local: "href") {
                        item.link = href.trimmed
                        item.linkBase = currentBase
                    }
                    skipDepth = 1
                } else {
                    startCapture(.link, html: false)
                }
            case .guid:
                item.guidIsPermaLink = attrs.value(local: "isPermaLink")?.lowercased() != "false"
                startCapture(.guid, html: false)
            case .id: startCapture(.id, html: false)
            case .description, .summary: startCapture(.description, html: isHTML(attrs))
            case .content, .contentEncoded:
                if attrs.value(local: "src") != nil { skipDepth = 1 } else { startCapture(.content, html: isHTML(attrs)) }
            case .pubDate: startCapture(.date(0), html: false)
            case .dcDate: startCapture(.date(1), html: false)
            case .published: startCapture(.date(2), html: false)
            case .issued: startCapture(.date(3), html: false)
            case .created: startCapture(.date(4), html: false)
            case .updated: startCapture(.date(5), html: false)
            case .modified: startCapture(.date(6), html: false)
            case .author where doc.format == .atom: contexts.append((.author, depth))
            case .author, .creator: startCapture(.author, html: false)
            default: skipDepth = 1
            }
        case .author:
            if tag == .name { startCapture(.author, html: false) } else { skipDepth = 1 }
        }
    }

    func end() {
        if stopped { return }
        defer { depth -= 1 }
        if skipDepth > 0 {
            skipDepth -= 1
            if skipDepth == 0 { popBase() }
            return
        }
        if captureDepth > 0 {
            if depth == captureDepth { finishCapture(); popBase() }
            return
        }
        popBase()
        if contexts.count > 1, contexts[contexts.count - 1].1 == depth {
            let (context, _) = contexts.removeLast()
            if context == .item { finishItem() }
        }
    }

    func characters(_ ch: UnsafePointer<xmlChar>?, _ len: Int) {
        delivered += len
        if delivered > textBudget {
            stop(budgetError)
            return
        }
        guard captureDepth > 0, let ch else { return }
        text.append(contentsOf: UnsafeBufferPointer(start: ch, count: len))
    }

    var budgetError: FeedError {
        .entityExpansion("the document grew past \(mebibytes(textBudget)) (its size and \(mebibytes(limits.maxExpansion)) of expansion) at line \(line)")
    }

    // MARK: Fields and items

    var currentBase: String? { bases.last?.base }

    /// The `xml:base` of the element ending now goes out of scope.
    func popBase() { if let last = bases.last, last.depth == depth { bases.removeLast() } }

    func startCapture(_ field: Field, html: Bool) {
        capture = field
        captureHTML = html
        captureDepth = depth
        text.removeAll(keepingCapacity: true)
    }

    func finishCapture() {
        let field = capture
        captureDepth = 0
        capture = .none
        switch field {
        case .none: break
        case .feedTitle: doc.title = cleaned()
        case .feedLink: feedLinkRaw = trimmedText(); feedLinkBase = currentBase
        case .ttl: doc.ttlMinutes = trimmedText().flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
        case .updatePeriod: doc.updatePeriod = trimmedText()
        case .updateFrequency: doc.updateFrequency = trimmedText().flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        case .title: item.title = cleaned()
        case .link: if item.link == nil || item.link!.isEmpty { item.link = trimmedText(); item.linkBase = currentBase }
        case .guid: item.guid = trimmedText()
        case .id: item.id = trimmedText()
        case .description: item.summary = cleaned()
        case .content: item.content = cleaned()
        case .author: let name = cleaned(); if !name.isEmpty { item.authors.append(name) }
        case .date(let priority):
            let parsed = text.withUnsafeBufferPointer { FeedDate.parse($0) }
            if let parsed { if priority < item.datePriority { item.date = parsed; item.datePriority = priority } }
            else if item.badDate == nil { item.badDate = String(decoding: text, as: UTF8.self).trimmed }
        }
    }

    func cleaned() -> String { text.withUnsafeBufferPointer { FeedText.clean($0, html: captureHTML) } }

    func trimmedText() -> String? {
        let s = text.withUnsafeBufferPointer { FeedText.clean($0, html: false) }
        return s.isEmpty ? nil : s
    }

    func beginItem(_ attrs: Attributes) {
        contexts.append((.item, depth))
        item = Item()
        item.about = attrs.value(local: "about", uri: "http://www.w3.org/1999/02/22-rdf-syntax-ns#")?.trimmed
    }

    func finishItem() {
        let index = sink == nil ? doc.items.count : streamed
        var notes: [FeedItemNote] = []
        let summary = nonEmpty(item.summary) ?? nonEmpty(item.content)
        var link = nonEmpty(item.link)
        if link == nil, item.guidIsPermaLink, let guid = item.guid, guid.hasPrefix("http://") || guid.hasPrefix("https://") { link = guid }
        var title = nonEmpty(item.title)
        if title == nil {
            if let summary {
                title = FeedText.firstWords(summary, maxCharacters: 160)
                notes.append(FeedItemNote(item: index, kind: .titleDerived, message: "no title: the first words of the summary are shown"))
            } else if let link {
                title = link
                notes.append(FeedItemNote(item: index, kind: .titleDerived, message: "no title: the link is shown"))
            } else {
                if doc.problems.count < 100 {
                    doc.problems.append(FeedProblem(line: line, column: 0, message: "an item with no title, summary or link was skipped"))
                }
                return
            }
        }
        var published = readTime
        if let date = item.date {
            published = date
        } else {
            let message = item.badDate.map { "the date \"\($0.prefix(60))\" could not be read: the time it was read is shown" }
                ?? "no date: the time it was read is shown"
            notes.append(FeedItemNote(item: index, kind: .dateIsReadTime, message: message))
        }
        let id = nonEmpty(item.guid) ?? nonEmpty(item.id) ?? nonEmpty(item.about)
        if let sink {
            // Streaming: resolved with what the feed has said so far (its link and title
            // come before its items in practice).
            let feedLink = feedLinkRaw.map { FeedLinks.resolve($0, against: feedLinkBase ?? fileBase) }
            if let l = link, !FeedLinks.hasScheme(l) { link = FeedLinks.resolve(l, against: item.linkBase ?? feedLink ?? fileBase) }
            if streamSource == nil || streamSourceTitle != doc.title {
                streamSource = sourceName ?? shortSourceName(fromTitle: doc.title)
                streamSourceTitle = doc.title
            }
            let source = streamSource!
            let headline = Headline(id: id ?? link.map(FeedLinks.normalised) ?? "title:" + title!, source: source, title: title!,
                                    published: published, outlet: doc.title.isEmpty ? nil : doc.title, summary: summary, url: link)
            streamed += 1
            sink(FeedItem(headline: headline, authors: item.authors, notes: notes))
            return
        }
        let needsResolving = link.map { !FeedLinks.hasScheme($0) } ?? false
        if id == nil || needsResolving {
            pending.append((index, link, item.linkBase, id == nil))
        }
        doc.items.append(Headline(id: id ?? "", source: "", title: title!, published: published, summary: summary, url: link))
        doc.authors.append(item.authors)
        doc.notes.append(contentsOf: notes)
    }

    func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }

    /// After the parse: links resolved, derived ids, outlet and source.
    func finish(name: String?) {
        let feedLink = feedLinkRaw.map { FeedLinks.resolve($0, against: feedLinkBase ?? fileBase) }
        doc.link = feedLink
        for p in pending {
            var url = p.link
            if let link = p.link, !FeedLinks.hasScheme(link) {
                url = FeedLinks.resolve(link, against: p.base ?? feedLink ?? fileBase)
                doc.items[p.index].url = url
            }
            if p.deriveID {
                doc.items[p.index].id = url.map { FeedLinks.normalised($0) } ?? "title:" + doc.items[p.index].title
            }
        }
        let source = name ?? shortSourceName(fromTitle: doc.title)
        let outlet: String? = doc.title.isEmpty ? nil : doc.title
        for i in doc.items.indices {
            doc.items[i].source = source
            doc.items[i].outlet = outlet
        }
    }

    // MARK: Names

    func isHTML(_ attrs: Attributes) -> Bool {
        guard doc.format == .atom else { return true }  // RSS and RDF text fields hold HTML
        if let mode = attrs.value(local: "mode"), mode == "escaped" { return true }
        guard let type = attrs.value(local: "type")?.lowercased() else { return false }
        return type == "html" || type == "text/html"
    }

    func isAlternate(_ attrs: Attributes) -> Bool {
        guard let rel = attrs.value(local: "rel") else { return true }
        return rel == "alternate" || rel == "http://www.iana.org/assignments/relation/alternate"
    }

    func classify(_ local: UnsafePointer<xmlChar>, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?) -> Tag {
        let key = TagKey(local: UnsafeRawPointer(local), uri: uri.map(UnsafeRawPointer.init), prefix: uri == nil ? prefix.map(UnsafeRawPointer.init) : nil)
        if let tag = tagCache[key] { return tag }
        let name = String(cString: local)
        var namespace = uri.map { String(cString: $0) } ?? ""
        if uri == nil, let prefix {
            // An undeclared prefix: read the usual ones as their usual namespaces.
            switch String(cString: prefix) {
            case "dc": namespace = Namespace.dc
            case "dcterms": namespace = Namespace.dcterms
            case "content": namespace = Namespace.content
            case "rdf": namespace = Namespace.rdf
            case "sy": namespace = Namespace.sy
            default: namespace = "undeclared:"
            }
        }
        let tag = Self.tag(name, namespace, format: doc.format)
        tagCache[key] = tag
        return tag
    }

    enum Namespace {
        static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
        static let rss10 = "http://purl.org/rss/1.0/"
        static let atom10 = "http://www.w3.org/2005/Atom"
        static let atom03 = "http://purl.org/atom/ns#"
        static let dc = "http://purl.org/dc/elements/1.1/"
        static let dcterms = "http://purl.org/dc/terms/"
        static let content = "http://purl.org/rss/1.0/modules/content/"
        static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        static let sy = "http://purl.org/rss/1.0/modules/syndication/"
    }

    static func tag(_ name: String, _ ns: String, format: FeedFormat) -> Tag {
        switch ns {
        case "", Namespace.rss090, Namespace.rss10, Namespace.atom10, Namespace.atom03:
            if format == .rss && (ns == Namespace.atom10 || ns == Namespace.atom03) { return .unknown }
            switch name {
            case "rss": return .rss
            case "feed": return .feed
            case "channel": return .channel
            case "item": return .item
            case "entry": return .entry
            case "title": return .title
            case "link": return .link
            case "description": return .description
            case "guid": return .guid
            case "pubDate", "pubdate": return .pubDate
            case "published": return .published
            case "issued": return .issued
            case "created": return .created
            case "updated": return .updated
            case "modified": return .modified
            case "id": return .id
            case "summary": return .summary
            case "content": return .content
            case "author": return .author
            case "name": return .name
            case "image": return .image
            case "textinput", "textInput": return .textinput
            case "ttl": return .ttl
            case "RDF" where ns == "": return .rdf
            default: return .unknown
            }
        case Namespace.rdf: return name == "RDF" ? .rdf : .unknown
        case Namespace.dc:
            switch name {
            case "date": return .dcDate
            case "creator": return .creator
            default: return .unknown
            }
        case Namespace.dcterms:
            switch name {
            case "issued": return .issued
            case "created": return .created
            case "modified": return .modified
            default: return .unknown
            }
        case Namespace.content: return name == "encoded" ? .contentEncoded : .unknown
        case Namespace.sy:
            switch name {
            case "updatePeriod": return .updatePeriod
            case "updateFrequency": return .updateFrequency
            default: return .unknown
            }
        default: return .unknown
        }
    }
}

/// A start tag's attributes as libxml2 passes them: five pointers each (local name,
/// prefix, URI, value start, value end).
struct Attributes {
    let pointer: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int

    func value(local name: String, prefix: String? = nil, uri: String? = nil) -> String? {
        guard let pointer, count > 0 else { return nil }
        for i in 0..<count {
            let base = pointer + i * 5
            guard let local = base[0], strcmp(local, name) == 0 else { continue }
            if let prefix {
                guard let p = base[1], strcmp(p, prefix) == 0 else { continue }
            }
            if let uri {
                guard let u = base[2], strcmp(u, uri) == 0 else {
                    // RDF's about without the namespace: accept `about` only when unqualified too
                    if base[2] != nil { continue }
                    return string(base)
                }
            }
            return string(base)
        }
        return nil
    }

    private func string(_ base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>) -> String? {
        XMLAttributeValue.decode(base)
    }
}

@inline(__always)
private func strcmp(_ a: UnsafePointer<xmlChar>, _ b: String) -> Int32 {
    var i = 0
    for c in b.utf8 {
        if a[i] != c { return 1 }
        i += 1
    }
    return a[i] == 0 ? 0 : 1
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let l = s.last, l == "\n" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
