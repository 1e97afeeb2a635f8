import CLibxml2
import NewsCore

/// Reads a feed (RSS 0.90-2.0, RSS 1.0, Atom 0.3 and 1.0, JSON Feed 1.0 and 1.1) into
/// headlines. The format is recognised from the content; the encoding from the bytes and
/// the declaration (see ``FeedEncoding``); XML goes through libxml2's SAX2 push parser
/// (no tree, no external entity or DTD ever read, no network), after ``XMLPrepass``
/// mends stray `&` and HTML entities.
///
/// Lenient per field: a field that cannot be read is dropped (a date that cannot be read
/// becomes `readTime`, with a note), not the item; a document that breaks keeps every
/// item completed before the break and says where (`brokenAt`). What makes the whole feed
/// unreadable (too large, not a feed, an entity bomb, too deep) is a ``FeedError``.
public enum FeedParser {
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - baseURL: where the file is (`file:///path/feed.xml` or its URL): relative links
    ///     with neither `xml:base` nor a feed link are resolved against it.
    ///   - name: the source name for the headlines; nil takes a short name from the feed's title.
    ///   - readTime: the time the feed was read (from the caller's clock): the date of an
    ///     item whose own date is missing or unreadable.
    ///   - format: read as this format whatever the content looks like (for the fuzzer);
    ///     nil (the rule) recognises it from the content.
    ///   - charset: the encoding named outside the document (an HTTP `Content-Type`'s
    ///     `charset`): used for an XML document without a byte order mark or an `encoding`
    ///     declaration of its own, and checked against the bytes as a declaration is.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>, baseURL: String? = nil, name: String? = nil,
                             readTime: Timestamp, limits: FeedLimits = FeedLimits(),
                             format forced: FeedFormat? = nil, charset: String? = nil) throws(FeedError) -> FeedDocument {
        try parse(bytes: bytes, baseURL: baseURL, name: name, readTime: readTime, limits: limits, format: forced, charset: charset,
                  sink: nil)
    }

    /// The same parse, streaming: each item goes to `each` as it completes and is not kept
    /// (the document returned has no items), so memory does not grow with the feed. A
    /// relative link is resolved, and the outlet and source named, with what the feed said
    /// before the item (a feed's title and link come first in practice).
    public static func parse(bytes: UnsafeBufferPointer<UInt8>, baseURL: String? = nil, name: String? = nil,
                             readTime: Timestamp, limits: FeedLimits = FeedLimits(), format forced: FeedFormat? = nil,
                             charset: String? = nil, each: (FeedItem) -> Void) throws(FeedError) -> FeedDocument {
        try withoutActuallyEscaping(each) { (sink) throws(FeedError) -> FeedDocument in
            try parse(bytes: bytes, baseURL: baseURL, name: name, readTime: readTime, limits: limits, format: forced, charset: charset,
                      sink: sink)
        }
    }

    /// `chunkSize`: the size of the chunks libxml2 is given (nil: 64 KiB), for the tests.
    static func parse(bytes: UnsafeBufferPointer<UInt8>, baseURL: String?, name: String?, readTime: Timestamp,
                      limits: FeedLimits, format forced: FeedFormat?, charset: String? = nil,
                      sink: ((FeedItem) -> Void)?, chunkSize: Int? = nil) throws(FeedError) -> FeedDocument {
        guard bytes.count <= limits.maxBytes else { throw .tooLarge(bytes: bytes.count, limit: limits.maxBytes) }
        let format: FeedFormat, version: String?
        if let forced {
            format = forced
            version = nil
        } else {
            let kind = FeedSniffer.sniff(bytes)
            guard case .feed(let f, let v) = kind else { throw .notAFeed(kind.description) }
            format = f
            version = v
        }
        // JSON is UTF-8 whatever a header says (RFC 8259); the hint is for XML only.
        let decoded = FeedEncoding.decode(bytes, hint: format == .jsonFeed ? nil : charset)
        let problems = decoded.problems.map { FeedProblem(line: 0, column: 0, message: $0) }
        var doc: FeedDocument
        if format == .jsonFeed {
            doc = try decoded.withUTF8(bytes) { (s) throws(FeedError) -> FeedDocument in
                try JSONFeedReader.parse(s, fileBase: baseURL, name: name, readTime: readTime, limits: limits, encoding: decoded.encoding,
                                         sink: sink)
            }
            if doc.version == nil { doc.version = version }
        } else {
            doc = try parseXML(decoded, bytes, format: format, version: version, baseURL: baseURL, name: name, readTime: readTime,
                               limits: limits, sink: sink, chunkSize: chunkSize)
        }
        doc.problems.insert(contentsOf: problems, at: 0)
        return doc
    }

    public static func parse(bytes: [UInt8], baseURL: String? = nil, name: String? = nil,
                             readTime: Timestamp, limits: FeedLimits = FeedLimits(),
                             format: FeedFormat? = nil, charset: String? = nil) throws(FeedError) -> FeedDocument {
        try bytes.withUnsafeBufferPointer { b throws(FeedError) in
            try parse(bytes: b, baseURL: baseURL, name: name, readTime: readTime, limits: limits, format: format, charset: charset)
        }
    }

    /// Why libxml2 cannot be used, or nil once it is loaded (see CLibxml2.h: it is loaded
    /// on the first XML document, not with every start of newsdesk).
    static var xmlUnavailable: String? { ndxml_load() == 1 ? nil : ndxml_load_error().map { String(cString: $0) } ?? "libxml2 could not be loaded" }

    static func parseXML(_ decoded: FeedEncoding.Decoded, _ bytes: UnsafeBufferPointer<UInt8>, format: FeedFormat, version: String?, baseURL: String?,
                         name: String?, readTime: Timestamp, limits: FeedLimits, sink: ((FeedItem) -> Void)?,
                         chunkSize: Int? = nil) throws(FeedError) -> FeedDocument {
        if let why = xmlUnavailable { throw .unreadable(why) }
        return try decoded.withUTF8(bytes) { (utf8) throws(FeedError) -> FeedDocument in
            var prepass = XMLPrepass(utf8)
            let reader = XMLFeedReader(fileBase: baseURL, readTime: readTime, limits: limits, format: format, version: version,
                                       encoding: decoded.encoding, lineOffset: prepass.skippedLines, inputSize: utf8.count)
            reader.sink = sink
            reader.sourceName = name
            if let chunkSize { reader.chunkSize = chunkSize }
            // The prepass mends as libxml2 reads: no mended copy of the whole document.
            reader.begin()
            prepass.run(utf8) { reader.push($0) }
            reader.endPush()
            if let fatal = reader.fatal { throw fatal }
            reader.finish(name: name)
            var doc = reader.doc
            doc.problems.insert(contentsOf: prepass.problems.map { FeedProblem(line: 0, column: 0, message: $0) }, at: 0)
            return doc
        }
    }
}
