import NewsCore

/// What happened to a feed fetched over HTTP, as the view is told of it (the session
/// turns each of the source's events into one; NewsUI does not know HTTP).
public enum FeedHealthUpdate: Sendable, Equatable {
    /// A 200 read at `at`: the feed has `items` items; the next poll is due at `nextDue`.
    case fetched(items: Int, at: Timestamp, nextDue: Timestamp)
    /// A 304 at `at`.
    case notModified(at: Timestamp, nextDue: Timestamp)
    /// A 301 or 308: the feed is at `to` from now on.
    case moved(to: String)
    /// A 429 or 503 with `Retry-After`: not asked before `until`.
    case rateLimited(status: Int, at: Timestamp, until: Timestamp)
    /// Anything else that went wrong, in words.
    case failed(reason: String, at: Timestamp, nextDue: Timestamp)
}

/// The health of one HTTP feed, for the sources screen (`S`).
public struct SourceHealth: Sendable, Equatable, Codable {
    public enum Status: Sendable, Equatable, Codable {
        /// Not fetched yet.
        case waiting
        case ok
        case failed(reason: String)
        case rateLimited(status: Int, until: Timestamp)
    }

    public var status: Status = .waiting
    /// The last answer from the server (a 200 or a 304).
    public var lastFetch: Timestamp?
    /// The last poll of any outcome.
    public var lastPoll: Timestamp?
    public var nextDue: Timestamp?
    /// Items in the feed at its last 200.
    public var items: Int?
    /// Where a 301 or 308 moved it (the subscription should say so).
    public var movedTo: String?
    /// What went wrong last, kept once the feed is well again (`feeds list` shows it).
    public var lastError: String?

    public init() {}

    public mutating func apply(_ update: FeedHealthUpdate) {
        switch update {
        case .fetched(let items, let at, let nextDue):
            status = .ok
            self.items = items
            lastFetch = at
            lastPoll = at
            self.nextDue = nextDue
        case .notModified(let at, let nextDue):
            status = .ok
            lastFetch = at
            lastPoll = at
            self.nextDue = nextDue
        case .moved(let to):
            movedTo = to
        case .rateLimited(let code, let at, let until):
            status = .rateLimited(status: code, until: until)
            lastError = "HTTP \(code)"
            lastPoll = at
            nextDue = until
        case .failed(let reason, let at, let nextDue):
            status = .failed(reason: reason)
            lastError = reason
            lastPoll = at
            self.nextDue = nextDue
        }
    }

    /// The `Retry-After` instant, while it is ahead of `now`.
    public func rateLimitedUntil(now: Timestamp) -> Timestamp? {
        if case .rateLimited(_, let until) = status, until > now { return until }
        return nil
    }
}
