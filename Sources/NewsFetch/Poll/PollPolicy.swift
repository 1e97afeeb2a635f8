import NewsCore
import NewsFeeds

/// How often feeds are polled: the same for every feed unless the subscription says
/// otherwise (`--every`, `every=10m`).
public struct PollPolicy: Sendable {
    /// The wait between two polls of a healthy feed (15 minutes by default, 1 s at least).
    public var interval: Duration
    /// At most this fraction of the wait is added at random to each wait (not to the first
    /// poll, nor to a retry), so that feeds started together drift apart.
    public var jitter: Double
    /// Retries after failures: 1 s, 2 s, 4 s... as for failing simulated sources, but up
    /// to the larger of `backoff.maximum` and `interval` (a failing feed is never asked more
    /// often than a healthy one once the backoff has grown).
    public var backoff: RestartPolicy
    /// The longest a feed's hints (`<ttl>`, `sy:`, `max-age`) or a `Retry-After` may put
    /// off the next poll: a hostile or mistaken feed cannot silence itself for a year.
    public var longestWait: Duration

    public static let defaultInterval: Duration = .seconds(15 * 60)
    public static let shortestInterval: Duration = .seconds(1)

    public init(interval: Duration = PollPolicy.defaultInterval, jitter: Double = 0.1,
                backoff: RestartPolicy = RestartPolicy(), longestWait: Duration = .seconds(24 * 3600)) {
        self.interval = max(interval, Self.shortestInterval)
        self.jitter = min(max(jitter, 0), 1)
        self.backoff = backoff
        self.longestWait = max(longestWait, self.interval)
    }
}

/// A feed's own hints of how often it changes. Each is a floor for the wait: a feed that
/// changes hourly is not asked every minute, but one that says "every minute" is not asked
/// more often than the policy's interval.
public struct FeedHints: Sendable, Equatable {
    /// RSS `<ttl>` (minutes).
    public var ttl: Duration?
    /// `sy:updatePeriod` divided by `sy:updateFrequency`.
    public var syndication: Duration?
    /// `Cache-Control: max-age`.
    public var maxAge: Duration?

    public init(ttl: Duration? = nil, syndication: Duration? = nil, maxAge: Duration? = nil) {
        self.ttl = ttl
        self.syndication = syndication
        self.maxAge = maxAge
    }

    /// The hints in a parsed feed, with the response's `max-age`.
    public init(document: FeedDocument, maxAge: Duration?) {
        self.init(ttl: document.ttlMinutes.map { .seconds(Int64($0) * 60) },
                  syndication: Self.syndication(period: document.updatePeriod, frequency: document.updateFrequency),
                  maxAge: maxAge)
    }

    /// `sy:updatePeriod` (default `daily`) over `sy:updateFrequency` (default 1); nil when
    /// the feed gives neither, or a period that is not one of the module's five.
    static func syndication(period: String?, frequency: Int?) -> Duration? {
        guard period != nil || frequency != nil else { return nil }
        let seconds: Int64
        switch (period ?? "daily").lowercased() {
        case "hourly": seconds = 3600
        case "daily": seconds = 86_400
        case "weekly": seconds = 7 * 86_400
        case "monthly": seconds = 30 * 86_400
        case "yearly": seconds = 365 * 86_400
        default: return nil
        }
        return .seconds(seconds / Int64(max(1, frequency ?? 1)))
    }

    /// The longest of the hints: the least wait they ask for.
    public var floor: Duration? { [ttl, syndication, maxAge].compactMap { $0 }.max() }
}
