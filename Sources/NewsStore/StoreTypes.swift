import NewsCore

/// A stored headline's key: its feed's name and its id within the feed.
public struct ItemKey: Hashable, Sendable, CustomStringConvertible {
    public var feed: String
    public var id: String

    public init(feed: String, id: String) {
        self.feed = feed
        self.id = id
    }

    public var description: String { "\(feed)/\(id)" }
}

/// A headline as the store holds it: the headline, the feed it is stored under, the
/// reader's marks and when the store first saw it.
public struct StoredHeadline: Hashable, Sendable {
    public var headline: Headline
    public var feed: String
    public var read: Bool
    public var starred: Bool
    public var firstSeen: Timestamp

    public init(headline: Headline, feed: String, read: Bool, starred: Bool, firstSeen: Timestamp) {
        self.headline = headline
        self.feed = feed
        self.read = read
        self.starred = starred
        self.firstSeen = firstSeen
    }

    public var key: ItemKey { ItemKey(feed: feed, id: headline.id) }

    /// The reader's marks, as the view takes them.
    public var marks: HeadlineMarks {
        var marks: HeadlineMarks = []
        if read { marks.insert(.read) }
        if starred { marks.insert(.starred) }
        return marks
    }
}

/// What the store remembers of a feed between runs, so that the first poll after a start
/// is conditional and respects a pending `Retry-After`. Every field is optional: `nil`
/// means "not known" (and saving `nil` clears it).
public struct FeedRecord: Hashable, Sendable {
    public var name: String
    public var etag: String?
    public var lastModified: String?
    /// A permanent redirect's target, to poll instead of the configured URL.
    public var movedTo: String?
    /// The last request, whatever came of it.
    public var lastAttempt: Timestamp?
    /// The last request that got a feed (or a 304).
    public var lastSuccess: Timestamp?
    public var lastError: String?
    /// Not before this time (a `Retry-After`).
    public var retryAfter: Timestamp?

    public init(
        name: String, etag: String? = nil, lastModified: String? = nil, movedTo: String? = nil,
        lastAttempt: Timestamp? = nil, lastSuccess: Timestamp? = nil, lastError: String? = nil,
        retryAfter: Timestamp? = nil
    ) {
        self.name = name
        self.etag = etag
        self.lastModified = lastModified
        self.movedTo = movedTo
        self.lastAttempt = lastAttempt
        self.lastSuccess = lastSuccess
        self.lastError = lastError
        self.retryAfter = retryAfter
    }
}

/// What storing one headline came to: whether the store had not seen it, and the marks it
/// holds for it when it had.
public struct InsertOutcome: Hashable, Sendable {
    public var isNew: Bool
    public var marks: HeadlineMarks

    public init(isNew: Bool, marks: HeadlineMarks) {
        self.isNew = isNew
        self.marks = marks
    }
}
