import Foundation

/// The proxies from the environment, as curl and most Unix tools read them:
/// `http_proxy` for http URLs, `https_proxy` (or `HTTPS_PROXY`) for https URLs, and
/// `no_proxy` (or `NO_PROXY`): a comma-separated list of hosts that go direct, each
/// matching itself and every host under it (`example.com` and `.example.com` both match
/// `example.com` and `www.example.com`), `*` for all. Upper-case `HTTP_PROXY` is not read:
/// a CGI program gets it from a request's `Proxy:` header ("httpoxy").
public struct ProxySettings: Sendable, Equatable, Codable {
    /// A proxy server: `http://user:password@host:port`.
    public struct Server: Sendable, Equatable, Codable {
        public var host: String
        public var port: Int
        public var username: String?
        public var password: String?

        public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
        }

        /// `http://proxy:3128`, `proxy:3128`, `http://u:p@proxy` (port 1080 when none, as curl).
        public init?(_ text: String) {
            var rest = Substring(text.trimmingBlanks)
            guard !rest.isEmpty else { return nil }
            if let r = rest.range(of: "://") {
                let scheme = rest[..<r.lowerBound].lowercased()
                guard scheme == "http" else { return nil }  // a socks or TLS proxy: not supported
                rest = rest[r.upperBound...]
            }
            if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
            if let at = rest.lastIndex(of: "@") {
                let credentials = rest[..<at]
                rest = rest[rest.index(after: at)...]
                let pair = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                username = pair.first.map { String($0).removingPercentEncoding ?? String($0) }
                password = pair.count > 1 ? (String(pair[1]).removingPercentEncoding ?? String(pair[1])) : nil
            }
            var host = rest, port = 1080
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {  // [::1]:3128
                host = rest[rest.index(after: rest.startIndex)..<close]
                let after = rest[rest.index(after: close)...]
                if after.hasPrefix(":") { guard let p = Int(after.dropFirst()) else { return nil }; port = p }
            } else if let colon = rest.lastIndex(of: ":") {
                host = rest[..<colon]
                guard let p = Int(rest[rest.index(after: colon)...]) else { return nil }
                port = p
            }
            guard !host.isEmpty, (1...65535).contains(port) else { return nil }
            self.host = String(host)
            self.port = port
        }
    }

    public var http: Server?
    public var https: Server?
    /// Lower-cased host suffixes that go direct (no leading dot); `*` for every host.
    public var noProxy: [String]

    public init(http: Server? = nil, https: Server? = nil, noProxy: [String] = []) {
        self.http = http
        self.https = https
        self.noProxy = noProxy.compactMap(Self.normalisedEntry)
    }

    public static let none = ProxySettings()

    /// From `http_proxy`, `https_proxy`/`HTTPS_PROXY` and `no_proxy`/`NO_PROXY`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ProxySettings {
        func value(_ names: String...) -> String? {
            for name in names { if let v = environment[name], !v.isEmpty { return v } }
            return nil
        }
        return ProxySettings(
            http: value("http_proxy").flatMap(Server.init),
            https: value("https_proxy", "HTTPS_PROXY").flatMap(Server.init),
            noProxy: (value("no_proxy", "NO_PROXY") ?? "").split(separator: ",").map(String.init))
    }

    static func normalisedEntry(_ entry: String) -> String? {
        var e = Substring(entry.trimmingBlanks.lowercased())
        if e.hasPrefix("[") , let close = e.firstIndex(of: "]") {
            e = e[e.index(after: e.startIndex)..<close]  // [::1]:8080 → ::1
        } else if e.filter({ $0 == ":" }).count == 1, let colon = e.firstIndex(of: ":") {
            e = e[..<colon]  // host:port → host (the port is not compared)
        }
        while e.hasPrefix(".") { e.removeFirst() }
        if e.hasPrefix("*.") { e.removeFirst(2) }
        return e.isEmpty ? nil : String(e)
    }

    /// Whether `host` goes direct.
    public func bypasses(host: String) -> Bool {
        var h = host.lowercased()
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h.hasSuffix(".") { h.removeLast() }
        for entry in noProxy {
            if entry == "*" || h == entry || h.hasSuffix("." + entry) { return true }
        }
        return false
    }

    /// The proxy for a URL of `scheme` on `host`, or nil to go direct.
    public func server(scheme: String, host: String) -> Server? {
        let server = scheme.lowercased() == "https" ? https : http
        guard let server, !bypasses(host: host) else { return nil }
        return server
    }
}
