import NewsCore
import NewsFetch
import NewsStore

/// The HTTP feeds' state in the store (issue 13), so that the first poll after a start is
/// conditional (the validators), asks where a feed moved to (the remembered redirect), and
/// waits out a `Retry-After` that is not over. Each poll's outcome is saved as it comes
/// (a feed is polled every few minutes: a write each is nothing).
///
/// A redirect is kept as `FROM TO` (URLs hold no raw space): it is followed only while the
/// subscription still names `FROM`, so that a subscription changed by hand is not
/// overridden by an old move.
public final class StoreFeedState: Sendable {
    public let store: HeadlineStore

    public init(store: HeadlineStore) { self.store = store }

    /// What the first poll of feed `name`, subscribed at `url`, starts from.
    public func start(_ name: String, url: String) -> FeedStart {
        guard let record = try? store.feedState(feed: name) else { return FeedStart(url: url) }
        var start = FeedStart(url: url, validators: Validators(etag: record.etag, lastModified: record.lastModified),
                              notBefore: record.retryAfter)
        if let moved = record.movedTo, let space = moved.firstIndex(of: " "), moved[..<space] == url {
            start.url = String(moved[moved.index(after: space)...])
        }
        return start
    }

    /// Saves what the poll of feed `name` came to at `time` (a failure to write is only not remembered).
    public func record(_ name: String, _ event: HTTPFeedEvent, at time: Timestamp) {
        var record = ((try? store.feedState(feed: name)) ?? nil) ?? FeedRecord(name: name)
        switch event {
        case .fetched(_, _, let validators, _), .notModified(let validators, _):
            record.etag = validators.etag
            record.lastModified = validators.lastModified
            record.lastAttempt = time
            record.lastSuccess = time
            record.retryAfter = nil
        case .movedPermanently(let from, let to):
            // The first URL of a chain of moves stays the one the subscription names.
            if let kept = record.movedTo, let space = kept.firstIndex(of: " "), kept[kept.index(after: space)...] == from {
                record.movedTo = String(kept[..<space]) + " " + to
            } else {
                record.movedTo = from + " " + to
            }
        case .rateLimited(let status, let until):
            record.lastAttempt = time
            record.lastError = "HTTP \(status)"
            record.retryAfter = until
        case .failed(let reason, _):
            record.lastAttempt = time
            record.lastError = reason
        }
        try? store.saveFeedState(record)
    }
}

/// Where and how a feed's first poll of a run starts.
public struct FeedStart: Sendable, Equatable {
    public var url: String
    public var validators = Validators()
    public var notBefore: Timestamp?

    public init(url: String, validators: Validators = Validators(), notBefore: Timestamp? = nil) {
        self.url = url
        self.validators = validators
        self.notBefore = notBefore
    }
}
