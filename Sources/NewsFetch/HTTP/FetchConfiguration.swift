import Foundation
import NewsCore

/// How the fetcher behaves: one value for every feed it fetches.
public struct FetchConfiguration: Sendable, Codable {
    /// The app's version, for the `User-Agent`: the executable passes its own
    /// (`Newsdesk.version`), so that there is one place it is written.
    public var version: String
    /// Bounds connecting, the headers and the whole body, redirects included (`--timeout`).
    public var timeout: Duration
    /// The largest body, decompressed (32 MiB, as `FeedLimits.maxBytes`).
    public var maxBodyBytes: Int
    /// Redirects followed in one fetch; one more is an error.
    public var maxRedirects: Int
    /// `http_proxy`, `https_proxy`, `no_proxy`.
    public var proxies: ProxySettings
    /// PEM files of certificates trusted for https besides the system's: for tests (a
    /// loopback server with a certificate made at run time). The app sets none.
    public var extraTrustRoots: [String]

    public static let projectURL = "https://github.com/newsdesk/newsdesk"

    public init(version: String, timeout: Duration = .seconds(20), maxBodyBytes: Int = 32 << 20, maxRedirects: Int = 5,
                proxies: ProxySettings = .fromEnvironment(), extraTrustRoots: [String] = []) {
        self.version = version
        self.timeout = max(timeout, .milliseconds(1))
        self.maxBodyBytes = max(1, maxBodyBytes)
        self.maxRedirects = max(0, maxRedirects)
        self.proxies = proxies
        self.extraTrustRoots = extraTrustRoots
    }

    /// `newsdesk/0.2.0 (+https://github.com/newsdesk/newsdesk)`.
    public var userAgent: String { "newsdesk/\(version) (+\(Self.projectURL))" }
}

/// The wall clock as a ``Timestamp``: the default `now` of the fetcher and the sources.
public enum WallClock {
    @Sendable public static func now() -> Timestamp { Timestamp(seconds: Date().timeIntervalSince1970) }
}
