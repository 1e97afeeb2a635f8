import NewsCore

/// The kinds of feed the parser reads.
public enum FeedFormat: String, Sendable, Equatable, CaseIterable {
    /// RSS 0.91-0.94 and 2.0 (`<rss>`).
    case rss
    /// RSS 0.90 and 1.0 (`<rdf:RDF>`).
    case rdf
    /// Atom 0.3 and 1.0 (`<feed>`).
    case atom
    /// JSON Feed 1.0 and 1.1.
    case jsonFeed

    public var name: String {
        switch self {
        case .rss: "RSS"
        case .rdf: "RSS (RDF)"
        case .atom: "Atom"
        case .jsonFeed: "JSON Feed"
        }
    }
}

/// Where something went wrong in a feed: 1-based line and column (in UTF-8 bytes of the
/// feed as read, after any transcoding).
public struct FeedProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { line > 0 ? "line \(line), column \(column): \(message)" : message }
}

/// Something about one item that the reader should know: "the date could not be read".
public struct FeedItemNote: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The item's date was missing or not readable: `published` is the time it was read.
        case dateIsReadTime
        /// The item had no title: it was taken from its summary or its link.
        case titleDerived
    }

    /// The item's index in `FeedDocument.items`.
    public var item: Int
    public var kind: Kind
    public var message: String
}

/// One item as it completes, for a caller that streams the feed (see `FeedParser.parse(each:)`).
public struct FeedItem: Sendable {
    public var headline: Headline
    /// The item's authors by name.
    public var authors: [String]
    /// Notes about this item; their `item` is its index among the items streamed.
    public var notes: [FeedItemNote]
}

/// A parsed feed: its headlines, what was wrong, and where it broke if it did.
public struct FeedDocument: Sendable {
    public var format: FeedFormat
    /// `2.0`, `0.91`, `1.0` (RDF or Atom), `0.3`, `1.1` (JSON Feed); nil when not stated.
    public var version: String?
    /// The feed's own title, plain text (empty when it has none).
    public var title: String
    /// The feed's web page, resolved against the file's location.
    public var link: String?
    /// What the bytes were read as: `UTF-8`, `windows-1252`, `UTF-16LE`...
    public var encoding: String
    /// Every item read, in document order.
    public var items: [Headline]
    /// Each item's authors by name (as many entries as `items`; mostly empty).
    public var authors: [[String]]
    /// Per-item notes, in item order.
    public var notes: [FeedItemNote]
    /// What was wrong but did not stop the parse (a wrong encoding declaration, an unknown
    /// entity, a field dropped).
    public var problems: [FeedProblem]
    /// Set when the document broke before its end: every item completed before it is kept.
    public var brokenAt: FeedProblem?
    /// The feed's own hints of how often it changes, for a poller (nil when absent or not a
    /// number): RSS `<ttl>` in minutes, and the syndication module's `sy:updatePeriod`
    /// (`hourly`, `daily`...) and `sy:updateFrequency` (times per period).
    public var ttlMinutes: Int?
    public var updatePeriod: String?
    public var updateFrequency: Int?

    public init(format: FeedFormat, version: String? = nil, title: String = "", link: String? = nil, encoding: String = "UTF-8") {
        self.format = format
        self.version = version
        self.title = title
        self.link = link
        self.encoding = encoding
        self.items = []
        self.authors = []
        self.notes = []
        self.problems = []
        self.brokenAt = nil
    }

    /// The notes about item `index`.
    public func notes(forItem index: Int) -> [FeedItemNote] { notes.filter { $0.item == index } }
}

/// Bounds on what one feed may cost. Each one exceeded is a ``FeedError`` for that feed.
public struct FeedLimits: Sendable, Equatable {
    /// The largest feed read, in bytes (32 MiB).
    public var maxBytes: Int = 32 << 20
    /// The deepest nesting of elements (XML) or values (JSON).
    public var maxDepth: Int = 100
    /// How much text entity expansion may add beyond the document's own size, in bytes
    /// (a "billion laughs" document stops here, or at libxml2's own loop detection).
    public var maxExpansion: Int = 1 << 20

    public init(maxBytes: Int = 32 << 20, maxDepth: Int = 100, maxExpansion: Int = 1 << 20) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxExpansion = maxExpansion
    }
}

/// Why a feed could not be read at all.
public enum FeedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Larger than `FeedLimits.maxBytes`.
    case tooLarge(bytes: Int, limit: Int)
    /// Not a feed; says what it looked like ("an HTML page, not a feed").
    case notAFeed(String)
    /// Entities expanded past the limit (a "billion laughs" document), or in a loop.
    case entityExpansion(String)
    /// Elements or values nested deeper than `FeedLimits.maxDepth`.
    case tooDeep(limit: Int, line: Int)
    /// The file could not be read (``FeedFile``): missing, a directory, an I/O error.
    case unreadable(String)

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit):
            "the feed is \(mebibytes(bytes)), more than the limit of \(mebibytes(limit))"
        case .notAFeed(let what): what
        case .entityExpansion(let detail): "entity expansion refused: \(detail)"
        case .tooDeep(let limit, let line): "elements nested deeper than \(limit) levels at line \(line)"
        case .unreadable(let why): why
        }
    }
}

func mebibytes(_ n: Int) -> String {
    if n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
    let tenths = (n * 10 + (1 << 19)) >> 20
    return "\(tenths / 10).\(tenths % 10) MiB"
}
