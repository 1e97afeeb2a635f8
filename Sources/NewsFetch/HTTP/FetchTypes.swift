import Foundation
import NewsCore

/// What a server said about a version of a feed, sent back verbatim on the next request
/// (`If-None-Match`, `If-Modified-Since`) so that an unchanged feed costs a 304.
public struct Validators: Sendable, Hashable, Codable {
    /// The `ETag` header, quotes and `W/` included.
    public var etag: String?
    /// The `Last-Modified` header, as the server wrote it.
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    public var isEmpty: Bool { etag == nil && lastModified == nil }

    /// These validators updated by a response's headers: a header present replaces the
    /// old value, one absent keeps it (a 304 may send only what changed).
    package func updated(etag newETag: String?, lastModified newLastModified: String?) -> Validators {
        Validators(etag: newETag ?? etag, lastModified: newLastModified ?? lastModified)
    }
}

/// One fetch of one feed.
public struct FeedRequest: Sendable, Equatable, Codable {
    /// `http://` or `https://`.
    public var url: String
    /// From the last response for this feed (empty on the first fetch).
    public var validators: Validators

    public init(url: String, validators: Validators = Validators()) {
        self.url = url
        self.validators = validators
    }
}

/// A feed's body, fetched whole (at most the size limit).
public struct FetchedFeed: Sendable, Equatable, Codable {
    /// The body, decompressed.
    public var bytes: [UInt8]
    /// To send back next time.
    public var validators: Validators
    /// Where the body came from, after every redirect: the base for relative links.
    public var finalURL: String
    /// Set when the feed has moved for good (301 or 308 from the URL asked): the URL to ask
    /// from now on, and to tell the person so they can update the subscription.
    public var permanentRedirect: String?
    /// The `Content-Type` header's media type, lower-cased (`application/rss+xml`).
    public var mediaType: String?
    /// The `Content-Type` header's `charset`, for a document that does not say its own.
    public var charset: String?
    /// `Cache-Control: max-age`: the server's hint of how long the feed stays fresh.
    public var maxAge: Duration?

    public init(bytes: [UInt8], validators: Validators, finalURL: String, permanentRedirect: String? = nil,
                mediaType: String? = nil, charset: String? = nil, maxAge: Duration? = nil) {
        self.bytes = bytes
        self.validators = validators
        self.finalURL = finalURL
        self.permanentRedirect = permanentRedirect
        self.mediaType = mediaType
        self.charset = charset
        self.maxAge = maxAge
    }
}

/// A 304: the feed has not changed since the validators sent.
public struct NotModified: Sendable, Equatable, Codable {
    /// The validators sent, updated by the 304's own headers.
    public var validators: Validators
    public var finalURL: String
    public var permanentRedirect: String?
    public var maxAge: Duration?

    public init(validators: Validators, finalURL: String, permanentRedirect: String? = nil, maxAge: Duration? = nil) {
        self.validators = validators
        self.finalURL = finalURL
        self.permanentRedirect = permanentRedirect
        self.maxAge = maxAge
    }
}

/// What fetches a feed: NewsHTTP's `FeedFetcher` (in tests), ``PluginFetcher`` (the app:
/// the same fetcher in the HTTP plugin, see HTTP/PluginFetcher.swift), or a stand-in in
/// tests of the poller.
public protocol FeedFetching: Sendable {
    func fetch(_ request: FeedRequest) async -> FetchResult
}

/// How one fetch ended. A value, never a thrown error: every outcome is something the
/// poller decides on.
public enum FetchResult: Sendable, Equatable, Codable {
    case ok(FetchedFeed)
    case notModified(NotModified)
    /// 429 or 503 with `Retry-After`: no request to this feed before `until`.
    case rateLimited(until: Timestamp, status: Int)
    case failed(FetchFailure)
}

/// Why a fetch failed, said so that a person understands it.
public enum FetchFailure: Error, Sendable, Equatable, CustomStringConvertible, Codable {
    /// An HTTP status that is neither a feed, a 304 nor a redirect: "HTTP 500".
    case status(Int)
    /// Connecting, the headers or the whole body took longer than the timeout.
    case timedOut(Duration)
    /// The body (decompressed) grew past the limit, in bytes.
    case tooLarge(limit: Int)
    /// A redirect led back to a URL already visited in this fetch.
    case redirectLoop
    /// More redirects than the limit.
    case tooManyRedirects(limit: Int)
    /// A redirect without a `Location` that can be followed.
    case badRedirect(String)
    /// The body is not a feed: "an HTML page, not a feed".
    case notAFeed(String)
    /// The URL cannot be fetched (not http or https, no host).
    case invalidURL(String)
    /// The connection failed: refused, reset, a name that does not resolve, TLS.
    case connection(String)
    /// The fetch was cancelled (the app is quitting).
    case cancelled

    public var description: String {
        switch self {
        case .status(let code): "HTTP \(code)"
        case .timedOut(let limit): "timed out after \(DurationWords.format(limit))"
        case .tooLarge(let limit): "body over \(DurationWords.size(limit))"
        case .redirectLoop: "redirect loop"
        case .tooManyRedirects(let limit): "more than \(limit) redirects"
        case .badRedirect(let why): why
        case .notAFeed(let what): what
        case .invalidURL(let url): "not an http or https URL: \(url)"
        case .connection(let why): why
        case .cancelled: "cancelled"
        }
    }
}

/// Short human forms of durations and sizes for messages: `4s`, `2m`, `1m30s`, `1h`,
/// `0.5s`; `32 MiB`, `64 KiB`, `300 bytes`.
public enum DurationWords {
    public static func format(_ d: Duration) -> String {
        let ms = d.wholeMilliseconds
        if ms < 1000 && ms > 0 {
            let tenths = (ms + 50) / 100
            return tenths >= 10 ? "1s" : "0.\(tenths)s"
        }
        let s = (ms + 999) / 1000  // a wait is rounded up: "retrying in 1s", never "in 0s"
        if s < 60 { return "\(s)s" }
        if s < 3600 { return s % 60 == 0 ? "\(s / 60)m" : "\(s / 60)m\(s % 60)s" }
        let m = (s + 59) / 60
        return m % 60 == 0 ? "\(m / 60)h" : "\(m / 60)h\(m % 60)m"
    }

    public static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}

extension Duration {
    /// Whole milliseconds, rounded down (negative durations are 0).
    package var wholeMilliseconds: Int64 {
        let (s, atto) = components
        return max(0, s * 1000 + atto / 1_000_000_000_000_000)
    }
}

/// What the poller needs to know of a feed's URL.
public enum FeedURL {
    /// The host of an http or https URL, lower-cased (for the per-host limit), nil for anything else.
    public static func host(of url: String) -> String? {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = u.host, !host.isEmpty else { return nil }
        return host.lowercased()
    }
}
