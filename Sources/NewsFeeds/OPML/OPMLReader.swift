import CLibxml2
import Foundation
import NewsCore
#if canImport(Glibc)
import Glibc
#endif

/// What an OPML file holds for newsdesk.
public struct OPMLDocument: Sendable, Equatable {
    /// `head/title`, if any.
    public var title: String?
    /// The feeds, in document order, each once (a feed listed in two folders gets both
    /// folders' tags), names made unique (`news`, `news-2`).
    public var subscriptions: [Subscription]
    /// What was skipped or changed, as `FILE:LINE: what` (terminal-safe): outlines without
    /// a usable `xmlUrl`, a feed listed twice, mended entities.
    public var notes: [String]
}

/// Reads OPML 1.0, 1.1 and 2.0 subscription lists, as feed readers export them, through
/// libxml2's SAX2 push parser (no tree; no DTD or external entity is ever loaded, no
/// network), after ``XMLPrepass`` and ``FeedEncoding`` as for feeds.
///
/// - A feed is an `outline` with an `xmlUrl` (any case: `xmlurl`, `xmlURL`), or with
///   `type="rss"` (one without a URL is skipped with a note).
/// - Any other `outline` is a folder: its `text` (or `title`) becomes a tag of every feed
///   inside it, at any depth, outermost first. Tags from the `category` attribute
///   (comma-separated, `/`-separated paths split into their parts) follow.
/// - The name is the feed's `text`, else its `title`, made into a source name
///   (``SourceName/make(from:)``); none when that text is a URL.
/// - `newsdesk:every` (namespace ``OPML/namespace``) is the poll interval newsdesk writes.
/// - A file that is not well-formed XML, or whose root is not `opml`, is an error at its line.
public enum OPML {
    /// The namespace of newsdesk's own attributes (`newsdesk:every`).
    public static let namespace = "https://newsdesk.invalid/ns/opml"

    /// Files larger than this are refused.
    public static let maxBytes = 32 << 20

    /// Reads the OPML file at `path`.
    public static func read(path: String) throws(SubscriptionError) -> OPMLDocument {
        let path = SubscriptionsFile.absolute(path)
        guard let bytes = try SubscriptionsFile.readIfExists(path, limit: maxBytes) else {
            throw SubscriptionError(.unreadable, path: path, line: 0, "no such file")
        }
        return try parse(bytes, path: path)
    }

    /// Parses an OPML document; `path` names it in errors and notes.
    public static func parse(_ bytes: [UInt8], path: String) throws(SubscriptionError) -> OPMLDocument {
        guard bytes.count <= maxBytes else {
            throw SubscriptionError(.unreadable, path: path, line: 0, "larger than \(maxBytes >> 20) MiB")
        }
        if let why = FeedParser.xmlUnavailable { throw SubscriptionError(.unreadable, path: path, line: 0, why) }
        return try bytes.withUnsafeBufferPointer { (input) throws(SubscriptionError) -> OPMLDocument in
            let decoded = FeedEncoding.decode(input)
            return try decoded.withUTF8(input) { (utf8) throws(SubscriptionError) -> OPMLDocument in
                var prepass = XMLPrepass(utf8)
                let reader = OPMLReader(path: path, lineOffset: prepass.skippedLines)
                // An OPML file is small: its mended text is gathered, then read.
                var mended: [UInt8] = []
                mended.reserveCapacity(utf8.count)
                prepass.run(utf8) { mended.append(contentsOf: $0) }
                reader.notes = (decoded.problems + prepass.problems).map { "\(TerminalSafe.sanitize(path)): \($0)" }
                mended.withUnsafeBufferPointer { reader.run($0) }
                if let error = reader.fatal { throw error }
                if !reader.rootSeen {
                    throw SubscriptionError(.malformed, path: path, line: 0, "not an OPML file: no XML element in it")
                }
                return OPMLDocument(title: reader.title, subscriptions: reader.finish(), notes: reader.notes)
            }
        }
    }
}

/// The SAX state machine: a stack of open outlines (a folder's tag, or nil for a feed or
/// an outline that is neither), the element depth, and the feeds found so far.
final class OPMLReader {
    let path: String
    let lineOffset: Int
    var ctxt: xmlParserCtxtPtr?
    var fatal: SubscriptionError?
    var stopped = false
    var rootSeen = false
    var notes: [String] = []
    var title: String?

    enum Place { case outside, opml, head, headTitle, body, skipped }
    var places: [Place] = [.outside]
    /// For each open outline: the tag it adds to what is inside it (a folder), or nil.
    var folders: [String?] = []
    var text: [UInt8] = []

    struct Found { var sub: Subscription; var line: Int }
    var found: [Found] = []
    var indexByKey: [String: Int] = [:]

    init(path: String, lineOffset: Int) {
        self.path = path
        self.lineOffset = lineOffset
    }

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        var handler = xmlSAXHandler()
        handler.initialized = 0xDEED_BEAF  // XML_SAX2_MAGIC
        ndxml_set_sax2_defaults(&handler)
        handler.startElementNs = { ctx, local, _, uri, _, _, count, _, attributes in
            guard let local else { return }
            OPMLReader.of(ctx)?.start(local, uri, Int(count), attributes)
        }
        handler.endElementNs = { ctx, _, _, _ in OPMLReader.of(ctx)?.end() }
        handler.characters = { ctx, ch, len in OPMLReader.of(ctx)?.characters(ch, Int(len)) }
        handler.cdataBlock = handler.characters
        handler.serror = { ctx, error in
            guard let ctx, let error else { return }
            OPMLReader.of(ctx)?.error(error.pointee)
        }
        guard let ctxt = ndxml_CreatePushParserCtxt(&handler, nil, nil, 0, nil) else {
            fatal = SubscriptionError(.malformed, path: path, line: 0, "libxml2 could not start")
            return
        }
        self.ctxt = ctxt
        let options = XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue
        ndxml_CtxtUseOptions(ctxt, Int32(options))
        ctxt.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        _ = ndxml_SwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8)
        let chunk = 64 << 10
        var offset = 0
        let base = UnsafeRawPointer(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
        while offset < bytes.count && !stopped {
            let count = min(chunk, bytes.count - offset)
            ndxml_ParseChunk(ctxt, base + offset, Int32(count), 0)
            offset += count
        }
        if !stopped { ndxml_ParseChunk(ctxt, base, 0, 1) }
        if let myDoc = ctxt.pointee.myDoc {
            ctxt.pointee.myDoc = nil
            ndxml_FreeDoc(myDoc)
        }
        ndxml_FreeParserCtxt(ctxt)
        self.ctxt = nil
    }

    @inline(__always)
    static func of(_ ctx: UnsafeMutableRawPointer?) -> OPMLReader? {
        guard let ctx, let reader = ctx.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return nil }
        return Unmanaged<OPMLReader>.fromOpaque(reader).takeUnretainedValue()
    }

    var line: Int { ctxt.map { Int(ndxml_SAX2GetLineNumber(UnsafeMutableRawPointer($0))) + lineOffset } ?? 0 }

    func stop(_ error: SubscriptionError) {
        if fatal == nil { fatal = error }
        stopped = true
        if let ctxt { ndxml_StopParser(ctxt) }
    }

    func note(_ line: Int, _ what: String) {
        if notes.count < 200 { notes.append("\(TerminalSafe.sanitize(path)):\(line): \(what)") }
    }

    func error(_ e: xmlError) {
        let message = e.message.map { String(cString: $0) }?.trimmingTrailingNewlines() ?? "XML error \(e.code)"
        let line = Int(e.line) + lineOffset
        if e.level == XML_ERR_FATAL || e.code == Int32(XML_ERR_ENTITY_LOOP.rawValue) {
            stop(SubscriptionError(.malformed, path: path, line: line, TerminalSafe.sanitize(message)))
        } else {
            note(line, TerminalSafe.sanitize(message))
        }
    }

    // MARK: Events

    func start(_ local: UnsafePointer<xmlChar>, _ uri: UnsafePointer<xmlChar>?, _ count: Int,
               _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        if stopped { return }
        let name = String(cString: local)
        let place = places[places.count - 1]
        switch place {
        case .outside:
            rootSeen = true
            guard name == "opml" else {
                stop(SubscriptionError(.malformed, path: path, line: line, "not an OPML file: the root element is \(quoted("<" + name + ">"))"))
                return
            }
            places.append(.opml)
        case .opml:
            places.append(name == "head" ? .head : name == "body" ? .body : .skipped)
        case .head:
            if name == "title" && title == nil {
                text.removeAll(keepingCapacity: true)
                places.append(.headTitle)
            } else {
                places.append(.skipped)
            }
        case .headTitle, .skipped:
            places.append(.skipped)
        case .body:
            guard name == "outline" else { places.append(.skipped); return }
            places.append(.body)
            outline(Attributes(pointer: attributes, count: count))
        }
    }

    func end() {
        if stopped { return }
        let place = places.removeLast()
        if place == .headTitle {
            let t = text.withUnsafeBufferPointer { FeedText.clean($0, html: false) }
            title = t.isEmpty ? nil : t
        }
        if place == .body && places.last == .body { folders.removeLast() }
    }

    func characters(_ ch: UnsafePointer<xmlChar>?, _ len: Int) {
        guard let ch, places.last == .headTitle, text.count < 4096 else { return }
        text.append(contentsOf: UnsafeBufferPointer(start: ch, count: min(len, 4096 - text.count)))
    }

    // MARK: Outlines

    func outline(_ attrs: Attributes) {
        let line = self.line
        let xmlUrl = attrs.valueIgnoringCase(local: "xmlurl")?.trimmed
        let type = attrs.valueIgnoringCase(local: "type")?.trimmed.lowercased()
        let label = attrs.valueIgnoringCase(local: "text").map(clean).flatMap(nonEmpty)
            ?? attrs.valueIgnoringCase(local: "title").map(clean).flatMap(nonEmpty)
        let hasURL = xmlUrl.map { !$0.isEmpty } ?? false
        guard hasURL || type == "rss" else {
            // A folder (or a link, a note: a tag for whatever is inside it, if anything).
            folders.append(label.flatMap(SourceName.make(from:)))
            return
        }
        folders.append(nil)
        if let type, !["", "rss", "atom", "feed"].contains(type) {
            // FreshRSS's scraped pages (HTML+XPath, JSON+DotNotation) have an xmlUrl but are no feed.
            let raw = attrs.valueIgnoringCase(local: "type") ?? type
            note(line, "\(label.map { quoted($0) } ?? "an outline") is skipped: its type \(quoted(raw)) is not a feed")
            return
        }
        guard let xmlUrl, !xmlUrl.isEmpty else {
            note(line, "an rss outline \(label.map { quoted($0) + " " } ?? "")without an xmlUrl is skipped")
            return
        }
        if let entity = unexpandedEntity(xmlUrl) {
            note(line, "the feed \(quoted(unmarked(xmlUrl))) is skipped: the entity \(quoted(entity)) of the file's doctype is not expanded in attributes")
            return
        }
        guard FeedLocation.scheme(of: xmlUrl) != nil else {
            note(line, "the feed \(quoted(xmlUrl)) is skipped: not a URL")
            return
        }
        let location: FeedLocation
        switch FeedLocation.parse(xmlUrl, relativeTo: nil, home: nil) {
        case .success(let l): location = l
        case .failure(let problem):
            note(line, "the feed \(quoted(xmlUrl)) is skipped: \(problem)")
            return
        }
        var tags = folders.compactMap { $0 }
        if let category = attrs.valueIgnoringCase(local: "category") {
            for item in category.split(separator: ",") {
                for part in item.split(separator: "/") {
                    let t = clean(String(part))
                    if let tag = SourceName.make(from: t) { tags.append(tag) }
                }
            }
        }
        tags = SubscriptionsFile.unique(tags)
        var name: String?
        if let label, !label.contains("://") { name = SourceName.make(from: label) }
        var every: Duration?
        if let value = attrs.value(local: "every", uri: OPML.namespace) ?? attrs.value(local: "every", prefix: "newsdesk") {
            switch SubscriptionsFile.parseEvery(value.trimmed) {
            case .success(let d): every = d
            case .failure(let problem): note(line, "\(problem): ignored")
            }
        }
        if let index = indexByKey[location.key] {
            // The same feed in another folder (Feedly, Inoreader list it in each).
            found[index].sub.tags = SubscriptionsFile.unique(found[index].sub.tags + tags)
            note(line, "\(quoted(xmlUrl)) is listed again (line \(found[index].line)): its tags are added to the first")
            return
        }
        indexByKey[location.key] = found.count
        found.append(Found(sub: Subscription(location: location, name: name, every: every, tags: tags), line: line))
    }

    /// A reference to an entity of the doctype (`&site;`) that libxml2 left in an
    /// attribute (see `Attributes.decoded`), or nil.
    func unexpandedEntity(_ s: String) -> String? {
        guard let mark = s.firstIndex(of: "\u{FFFF}") else { return nil }
        let rest = s[s.index(after: mark)...]
        return String(rest.prefix { $0 != ";" }) + ";"
    }

    /// `s` without the marks of unexpanded entities.
    func unmarked(_ s: String) -> String { s.contains("\u{FFFF}") ? String(s.filter { $0 != "\u{FFFF}" }) : s }

    func clean(_ s: String) -> String {
        Array(unmarked(s).utf8).withUnsafeBufferPointer { FeedText.clean($0, html: false) }
    }

    func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

    /// The feeds, with a name given twice made unique (`news`, `news-2`, ...).
    func finish() -> [Subscription] {
        // Compared as source: matches them, ignoring case.
        var used = Set(found.compactMap { $0.sub.name?.lowercased() })
        var seen = Set<String>()
        var out: [Subscription] = []
        for var f in found {
            if let name = f.sub.name, !seen.insert(name.lowercased()).inserted {
                var n = 2
                var candidate = "\(name.prefix(SourceName.maxLength - 4))-\(n)"
                while used.contains(candidate.lowercased()) { n += 1; candidate = "\(name.prefix(SourceName.maxLength - 4))-\(n)" }
                used.insert(candidate.lowercased())
                seen.insert(candidate.lowercased())
                note(f.line, "the name \(quoted(name)) is used twice: this one is \(quoted(candidate))")
                f.sub.name = candidate
            }
            out.append(f.sub)
        }
        return out
    }
}

extension Attributes {
    /// The first attribute whose local name is `name` in any case (`xmlUrl`, `xmlurl`, `XMLURL`), with no namespace.
    func valueIgnoringCase(local name: String) -> String? {
        guard let pointer, count > 0 else { return nil }
        let lower = Array(name.lowercased().utf8)
        for i in 0..<count {
            let base = pointer + i * 5
            guard let local = base[0], base[2] == nil else { continue }
            var k = 0
            var same = true
            while true {
                let c = local[k]
                if c == 0 { same = k == lower.count; break }
                if k >= lower.count || (c >= 0x41 && c <= 0x5A ? c | 0x20 : c) != lower[k] { same = false; break }
                k += 1
            }
            if same { return decoded(base) }
        }
        return nil
    }

    /// An attribute's value (see ``XMLAttributeValue``); an entity of the doctype left in it
    /// is marked with U+FFFF (not a character XML allows, so never in the data) for
    /// `OPMLReader.unexpandedEntity`.
    private func decoded(_ base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>) -> String? {
        XMLAttributeValue.decode(base, unexpandedMark: [0xEF, 0xBF, 0xBF])
    }
}
