import NewsCore
import NewsFeeds

/// Something that happened to an HTTP feed, for whoever shows feeds' health (the sources
/// screen, `feeds list`) or keeps their state (the subscriptions: a moved feed's new URL,
/// the validators).
public enum HTTPFeedEvent: Sendable, Equatable {
    /// A 200 read: how many items were new, how many the feed has, when the next poll is.
    case fetched(newItems: Int, items: Int, validators: Validators, nextPoll: Timestamp)
    /// A 304.
    case notModified(validators: Validators, nextPoll: Timestamp)
    /// A 301 or 308: the feed is at `to` from now on (the source asks there from now on).
    case movedPermanently(from: String, to: String)
    /// A 429 or 503 with `Retry-After`.
    case rateLimited(status: Int, until: Timestamp)
    /// Anything else that went wrong, in words, and when it is tried again.
    case failed(reason: String, nextPoll: Timestamp)
}

/// Why an HTTP feed produced nothing this time, and when it tries again: the message the
/// merge reports (`HTTP 500, retrying in 4s`).
public struct HTTPFeedError: SelfPacedSourceError, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var retryIn: Duration

    public init(reason: String, retryIn: Duration) {
        self.reason = reason
        self.retryIn = retryIn
    }

    public var description: String { "\(reason), retrying in \(DurationWords.format(retryIn))" }
}

/// One feed URL polled as a live source (`--feed URL`): first every item in it, in
/// publication order, then at each poll only the items whose id it has not shown, and
/// those whose title changed since it showed them, marked as updates (``Arrival/isUpdate``).
///
/// Each source polls on its own ``PollSchedule`` and takes a permit from the shared
/// ``FetchLimiter`` for each fetch; it waits with its injected `sleep`, so a slow or
/// hanging feed holds up only its own lane of the merge (and at most its permit, for at
/// most the fetcher's timeout). A poll that fails throws ``HTTPFeedError``; the merge
/// reports it and asks again, and the source waits out its own backoff before the next
/// fetch. A 301 or 308 moves the source to the new URL for its later polls (reported once,
/// as `onEvent`'s `movedPermanently`). A ``FeedRefresh`` cuts the wait for the next poll
/// short, except a 429/503's `Retry-After`, which a refresh never shortens.
public struct HTTPFeedSource: HeadlineSource {
    public let name: String
    public let url: String
    public var timing: SourceTiming { .live }

    let fetcher: any FeedFetching
    let limiter: FetchLimiter
    let policy: PollPolicy
    let validators: Validators
    let seed: UInt64
    let now: @Sendable () -> Timestamp
    let sleep: @Sendable (Duration) async throws -> Void
    let limits: FeedLimits
    let onEvent: (@Sendable (String, HTTPFeedEvent) -> Void)?
    let refresh: FeedRefresh?
    /// A `Retry-After` from an earlier run that is not over: the first poll waits for it.
    let notBefore: Timestamp?

    /// - Parameters:
    ///   - name: the source name for its headlines.
    ///   - validators: from the last run (the subscriptions' saved state), if any.
    ///   - seed: for the jitter; nil (the rule) derives one from the URL, so that feeds
    ///     started together drift apart, and the same feed keeps its rhythm from run to run.
    ///   - now: the wall clock (a test clock in tests).
    ///   - sleep: waits until a poll is due (a test clock's sleep in tests).
    ///   - onEvent: told of every poll's outcome, with the source's name.
    ///   - refresh: cuts the wait for the next poll short (`R` in the view), never a
    ///     rate-limited feed's wait before its `Retry-After`.
    ///   - notBefore: a `Retry-After` from the last run (the store's feed state): no poll before it.
    public init(name: String, url: String, fetcher: any FeedFetching, limiter: FetchLimiter,
                policy: PollPolicy = PollPolicy(), validators: Validators = Validators(), seed: UInt64? = nil,
                now: @escaping @Sendable () -> Timestamp = WallClock.now,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                limits: FeedLimits = FeedLimits(),
                onEvent: (@Sendable (String, HTTPFeedEvent) -> Void)? = nil, refresh: FeedRefresh? = nil,
                notBefore: Timestamp? = nil) {
        self.notBefore = notBefore
        self.name = name
        self.url = url
        self.fetcher = fetcher
        self.limiter = limiter
        self.policy = policy
        self.validators = validators
        self.seed = seed ?? StableHash.fnv1a(url)
        self.now = now
        self.sleep = sleep
        self.limits = limits
        self.onEvent = onEvent
        self.refresh = refresh
    }

    public func makeAsyncIterator() -> Iterator { Iterator(self) }

    public struct Iterator: AsyncIteratorProtocol {
        let source: HTTPFeedSource
        var url: String
        var validators: Validators
        var schedule: PollSchedule
        var seen = SeenIDs()
        /// The last 429 or 503's `Retry-After`: no request before it, refreshed or not.
        var rateLimitedUntil: Timestamp?

        init(_ source: HTTPFeedSource) {
            self.source = source
            self.url = source.url
            self.validators = source.validators
            self.schedule = PollSchedule(policy: source.policy, start: source.now(), seed: source.seed)
            if let until = source.notBefore, until > source.now() {
                schedule.notBefore(until, now: source.now())
                rateLimitedUntil = until
            }
        }

        public mutating func next() async throws -> [Arrival]? {
            while true {
                let wait = schedule.wait(at: source.now())
                if wait > .zero {
                    if let refresh = source.refresh {
                        // Refreshed: poll now, unless the server asked for a wait that is not over.
                        if try await refresh.sleep(source.name, for: wait, using: source.sleep),
                           let until = rateLimitedUntil, until > source.now() { continue }
                    } else {
                        try await source.sleep(wait)
                    }
                }
                try Task.checkCancellation()
                if let batch = try await poll(), !batch.isEmpty { return batch }
            }
        }

        /// One poll: the new items (maybe none), or a thrown ``HTTPFeedError``.
        mutating func poll() async throws -> [Arrival]? {
            let request = FeedRequest(url: url, validators: validators)
            let host = FeedURL.host(of: url) ?? url
            let fetcher = source.fetcher
            let result = try await source.limiter.withPermit(host: host) { await fetcher.fetch(request) }
            try Task.checkCancellation()
            switch result {
            case .ok(let fetched):
                move(to: fetched.permanentRedirect)
                let document: FeedDocument
                do {
                    document = try await Self.parse(fetched, name: source.name, readTime: source.now(), limits: source.limits)
                } catch {
                    throw fail(reason: "\(error)")
                }
                validators = fetched.validators  // only once read: a broken body is fetched whole again
                schedule.record(.fetched(FeedHints(document: document, maxAge: fetched.maxAge)), at: source.now())
                let fresh = newItems(document)
                source.onEvent?(source.name, .fetched(newItems: fresh.count, items: document.items.count,
                                                      validators: validators, nextPoll: schedule.due))
                return fresh
            case .notModified(let nm):
                move(to: nm.permanentRedirect)
                validators = nm.validators
                schedule.record(.notModified(maxAge: nm.maxAge), at: source.now())
                source.onEvent?(source.name, .notModified(validators: validators, nextPoll: schedule.due))
                return nil
            case .rateLimited(let until, let status):
                rateLimitedUntil = until
                let wait = schedule.record(.rateLimited(until: until), at: source.now())
                source.onEvent?(source.name, .rateLimited(status: status, until: schedule.due))
                throw HTTPFeedError(reason: "HTTP \(status)", retryIn: wait)
            case .failed(let failure):
                // Cancelled by the merge (quitting): stop. A request cancelled for any other
                // reason is a failure like another, retried; never a silent end of the source.
                if failure == .cancelled && Task.isCancelled { throw CancellationError() }
                throw fail(reason: failure.description)
            }
        }

        mutating func fail(reason: String) -> HTTPFeedError {
            let wait = schedule.record(.failed, at: source.now())
            source.onEvent?(source.name, .failed(reason: reason, nextPoll: schedule.due))
            return HTTPFeedError(reason: reason, retryIn: wait)
        }

        mutating func move(to newURL: String?) {
            guard let newURL, newURL != url else { return }
            source.onEvent?(source.name, .movedPermanently(from: url, to: newURL))
            url = newURL
        }

        /// The items not shown before, and those shown before under another title (as
        /// updates), in publication order (the document's order for equal times). An item
        /// whose id comes twice in one document is taken once, as it first comes.
        mutating func newItems(_ document: FeedDocument) -> [Arrival] {
            seen.reserve(forDocumentOf: document.items.count)
            var fresh: [(Int, Headline, Bool)] = []
            var inDocument = Set<String>()
            for (i, item) in document.items.enumerated() where inDocument.insert(item.id).inserted {
                let outcome = seen.insert(item.id, title: item.title)
                guard outcome != .same else { continue }
                var headline = item
                headline.source = source.name
                fresh.append((i, headline, outcome == .changed))
            }
            fresh.sort { ($0.1.published.milliseconds, $0.0) < ($1.1.published.milliseconds, $1.0) }
            return fresh.map { Arrival(offset: 0, headline: $0.1, isUpdate: $0.2) }
        }

        /// Parsing is CPU work of up to a second for a huge feed: done on the global
        /// executor, not on the merge's sources thread, so other sources go on meanwhile.
        static func parse(_ fetched: FetchedFeed, name: String, readTime: Timestamp, limits: FeedLimits) async throws -> FeedDocument {
            try await withTaskExecutorPreference(globalConcurrentExecutor) {
                try FeedParser.parse(bytes: fetched.bytes, baseURL: fetched.finalURL, name: name, readTime: readTime,
                                     limits: limits, charset: fetched.charset)
            }
        }
    }
}
