import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import NewsCore
import NewsFeeds
import NewsFetch

/// Fetches feeds over HTTP(S) with one shared `HTTPClient` (per proxy route: direct,
/// through `http_proxy`, through `https_proxy`), so that connections are pooled across
/// every feed and every poll.
///
/// Made only by ``withFetcher(_:now:sleep:isolation:_:)``, which shuts every client down
/// when its body ends, returning or throwing: no caller can forget (AHC traps when an
/// `HTTPClient` is freed without `shutdown()`).
///
/// One fetch (``fetch(_:)``): a conditional GET (`If-None-Match`, `If-Modified-Since` from
/// the validators, verbatim), `Accept-Encoding: gzip, deflate`, redirects followed here
/// (the client's own are off): 301 and 308 reported as permanent, 302, 303 and 307 not;
/// a loop or more than `maxRedirects` is an error. The body is streamed and counted, and
/// cut off past `maxBodyBytes`; the whole fetch is cut off at `timeout`.
public final class FeedFetcher: FeedFetching {
    public let configuration: FetchConfiguration
    private let direct: HTTPClient
    private let viaHTTPProxy: HTTPClient?
    private let viaHTTPSProxy: HTTPClient?
    private let now: @Sendable () -> Timestamp
    private let sleep: @Sendable (Duration) async throws -> Void

    private init(configuration: FetchConfiguration, now: @escaping @Sendable () -> Timestamp,
                 sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.configuration = configuration
        self.now = now
        self.sleep = sleep
        func client(_ proxy: ProxySettings.Server?) -> HTTPClient {
            let amount = TimeAmount.milliseconds(max(1, configuration.timeout.wholeMilliseconds))
            var proxyConfiguration: HTTPClient.Configuration.Proxy?
            if let p = proxy {
                let authorization = p.username.map { HTTPClient.Authorization.basic(username: $0, password: p.password ?? "") }
                proxyConfiguration = HTTPClient.Configuration.Proxy.server(host: p.host, port: p.port, authorization: authorization)
            }
            // A failed connection is the poller's to retry (with its backoff, reported):
            // AHC's own retrying would hide it until the timeout.
            var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60))
            pool.retryConnectionEstablishment = false
            // The system's roots (nil: AHC's default), plus any extra (tests).
            var tls: TLSConfiguration?
            if !configuration.extraTrustRoots.isEmpty {
                var t = TLSConfiguration.makeClientConfiguration()
                t.additionalTrustRoots = configuration.extraTrustRoots.map { .file($0) }
                tls = t
            }
            let c = HTTPClient.Configuration(
                tlsConfiguration: tls,
                redirectConfiguration: .disallow,
                timeout: HTTPClient.Configuration.Timeout(connect: amount, read: amount),
                connectionPool: pool,
                proxy: proxyConfiguration,
                ignoreUncleanSSLShutdown: false,
                decompression: .enabled(limit: .size(configuration.maxBodyBytes)))
            return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: c)
        }
        direct = client(nil)
        viaHTTPProxy = configuration.proxies.http.map { client($0) }
        viaHTTPSProxy = configuration.proxies.https.map { client($0) }
    }

    /// Runs `body` with a fetcher, and shuts its clients down when `body` returns or
    /// throws (also when the task is cancelled), before returning.
    ///
    /// - Parameters:
    ///   - now: the wall clock, for `Retry-After` (a test's clock in tests).
    ///   - sleep: waits out the timeout (a test's clock in tests).
    public static func withFetcher<R>(
        _ configuration: FetchConfiguration,
        now: @escaping @Sendable () -> Timestamp = WallClock.now,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        isolation: isolated (any Actor)? = #isolation,
        _ body: (FeedFetcher) async throws -> R
    ) async throws -> R {
        let fetcher = FeedFetcher(configuration: configuration, now: now, sleep: sleep)
        let result: R
        do {
            result = try await body(fetcher)
        } catch {
            await fetcher.shutdown()
            throw error
        }
        await fetcher.shutdown()
        return result
    }

    private func shutdown() async {
        for client in [direct, viaHTTPProxy, viaHTTPSProxy].compactMap({ $0 }) {
            try? await client.shutdown()
        }
    }

    // MARK: One fetch

    /// Fetches `request` once. Never throws: every outcome is a ``FetchResult``.
    public func fetch(_ request: FeedRequest) async -> FetchResult {
        let timeout = configuration.timeout
        do {
            return try await withThrowingTaskGroup(of: FetchResult?.self) { group in
                group.addTask { try await self.follow(request) }
                group.addTask {
                    try await self.sleep(timeout)
                    return nil  // the timeout
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else {
                    throw FetchFailure.timedOut(timeout)
                }
                return result
            }
        } catch {
            if Task.isCancelled { return .failed(.cancelled) }
            return .failed(Self.failure(for: error, timeout: timeout, limit: configuration.maxBodyBytes))
        }
    }

    /// The request and its redirects, until a response that is not a redirect.
    private func follow(_ request: FeedRequest) async throws -> FetchResult {
        var url = request.url
        var visited: Set<String> = [Self.loopKey(url)]
        var permanent: String?
        var permanentSoFar = true  // every hop so far was 301 or 308
        var hops = 0
        let deadline = NIODeadline.now() + .milliseconds(configuration.timeout.wholeMilliseconds)
        while true {
            guard let target = Target(url) else { throw FetchFailure.invalidURL(url) }
            let response = try await client(for: target).execute(self.request(target, request.validators), deadline: deadline)
            let status = Int(response.status.code)
            let headers = response.headers
            switch status {
            case 301, 302, 303, 307, 308:
                await Self.discard(response.body)
                guard let location = headers.first(name: "location"), !location.isEmpty else {
                    throw FetchFailure.badRedirect("HTTP \(status) without a Location")
                }
                guard let next = Self.resolve(location, against: url), Target(next) != nil else {
                    // The server's text, shown to a person: made terminal-safe and kept short.
                    let shown = TerminalSafe.sanitize(String(location.prefix(200)))
                    throw FetchFailure.badRedirect("HTTP \(status) to a URL that cannot be fetched: \(shown)")
                }
                hops += 1
                guard visited.insert(Self.loopKey(next)).inserted else { throw FetchFailure.redirectLoop }
                guard hops <= configuration.maxRedirects else { throw FetchFailure.tooManyRedirects(limit: configuration.maxRedirects) }
                if permanentSoFar && (status == 301 || status == 308) { permanent = next } else { permanentSoFar = false }
                url = next
            case 304:
                await Self.discard(response.body)
                return .notModified(NotModified(
                    validators: request.validators.updated(etag: headers.first(name: "etag"),
                                                           lastModified: headers.first(name: "last-modified")),
                    finalURL: url, permanentRedirect: permanent, maxAge: HeaderValues.maxAge(headers.first(name: "cache-control"))))
            case 200, 203:
                let bytes = try await readBody(response)
                let kind = FeedSniffer.sniff(bytes)
                guard kind.isFeed else {
                    throw FetchFailure.notAFeed(kind == .empty ? "an empty response, not a feed" : kind.description)
                }
                let (media, charset) = HeaderValues.contentType(headers.first(name: "content-type"))
                return .ok(FetchedFeed(
                    bytes: bytes,
                    validators: Validators(etag: headers.first(name: "etag"), lastModified: headers.first(name: "last-modified")),
                    finalURL: url, permanentRedirect: permanent, mediaType: media, charset: charset,
                    maxAge: HeaderValues.maxAge(headers.first(name: "cache-control"))))
            case 429, 503:
                await Self.discard(response.body)
                guard let until = HeaderValues.retryAfter(headers.first(name: "retry-after"), now: now()) else {
                    throw FetchFailure.status(status)
                }
                return .rateLimited(until: until, status: status)
            default:
                await Self.discard(response.body)
                throw FetchFailure.status(status)
            }
        }
    }

    private func request(_ target: Target, _ validators: Validators) -> HTTPClientRequest {
        var r = HTTPClientRequest(url: target.url)
        r.method = .GET
        r.headers.add(name: "User-Agent", value: configuration.userAgent)
        r.headers.add(name: "Accept", value: "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8")
        r.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        if let etag = validators.etag { r.headers.add(name: "If-None-Match", value: etag) }
        if let lastModified = validators.lastModified { r.headers.add(name: "If-Modified-Since", value: lastModified) }
        return r
    }

    private func client(for target: Target) -> HTTPClient {
        guard configuration.proxies.server(scheme: target.scheme, host: target.host) != nil else { return direct }
        return (target.scheme == "https" ? viaHTTPSProxy : viaHTTPProxy) ?? direct
    }

    /// The body, counted as it streams: past the limit the stream is dropped (the
    /// connection closed) and the fetch fails.
    private func readBody(_ response: HTTPClientResponse) async throws -> [UInt8] {
        let limit = configuration.maxBodyBytes
        if let length = response.headers.first(name: "content-length").flatMap({ Int($0) }), length > limit,
           response.headers.first(name: "content-encoding") == nil {
            throw FetchFailure.tooLarge(limit: limit)
        }
        var bytes: [UInt8] = []
        for try await chunk in response.body {
            guard bytes.count + chunk.readableBytes <= limit else { throw FetchFailure.tooLarge(limit: limit) }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }

    /// Reads and drops a body that is not wanted (a redirect's, an error page), up to 64 KiB;
    /// a longer one is dropped unread (its connection closed).
    private static func discard(_ body: HTTPClientResponse.Body) async {
        var n = 0
        do {
            for try await chunk in body {
                n += chunk.readableBytes
                if n > 64 << 10 { break }
            }
        } catch {}
    }

    // MARK: URLs

    struct Target: Equatable {
        var url: String
        var scheme: String
        var host: String

        init?(_ url: String) {
            guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = u.host, !host.isEmpty else { return nil }
            self.url = url
            self.scheme = scheme
            self.host = host
        }
    }

    /// The host of an http or https URL, nil for anything else (see ``FeedURL/host(of:)``).
    public static func host(of url: String) -> String? { FeedURL.host(of: url) }

    static func resolve(_ location: String, against base: String) -> String? {
        guard let baseURL = URL(string: base) else { return nil }
        return URL(string: location.trimmingBlanks, relativeTo: baseURL)?.absoluteURL.absoluteString
    }

    /// Two URLs that are the same resource for loop detection: without the fragment,
    /// scheme and host lower-cased.
    static func loopKey(_ url: String) -> String {
        var s = Substring(url)
        if let hash = s.firstIndex(of: "#") { s = s[..<hash] }
        guard var c = URLComponents(string: String(s)) else { return String(s) }
        c.scheme = c.scheme?.lowercased()
        c.host = c.host?.lowercased()
        if c.path.isEmpty { c.path = "/" }
        return c.string ?? String(s)
    }

    // MARK: Errors in words

    /// A TLS failure in words: an untrusted or wrong certificate says so first.
    static func certificateProblem(_ error: NIOSSLError) -> String {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
            return "certificate not trusted (TLS handshake failed)"
        }
        if case .unableToValidateCertificate = error { return "certificate not valid for this host" }
        return "TLS handshake failed: \(text)"
    }

    static func failure(for error: any Error, timeout: Duration, limit: Int) -> FetchFailure {
        if let f = error as? FetchFailure { return f }
        if error is CancellationError { return .cancelled }
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .tlsHandshakeTimeout,
                 .httpProxyHandshakeTimeout, .socksHandshakeTimeout, .getConnectionFromPoolTimeout:
                return .timedOut(timeout)
            case .remoteConnectionClosed: return .connection("the server closed the connection")
            case .cancelled: return .cancelled
            case .invalidURL, .emptyHost, .emptyScheme: return .invalidURL("\(e)")
            case .invalidProxyResponse, .proxyAuthenticationRequired: return .connection("the proxy refused the request")
            default: return .connection(e.shortDescription)
            }
        }
        if let io = error as? IOError { return .connection(String(cString: strerror(io.errnoCode)).lowercased()) }
        if let tls = error as? NIOSSLError { return .connection(certificateProblem(tls)) }
        let text = String(describing: error)
        if String(reflecting: type(of: error)).contains("Decompression") {
            return text.lowercased().contains("limit") ? .tooLarge(limit: limit) : .connection("a compressed body that cannot be read")
        }
        if text.contains("Connection refused") { return .connection("connection refused") }
        if text.contains("Connection reset") { return .connection("connection reset") }
        return .connection(text)
    }
}
