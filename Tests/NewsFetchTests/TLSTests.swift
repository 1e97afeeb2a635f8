import Foundation
import NewsCore
import Testing
@testable import NewsFetch
import NewsHTTP

/// https against the loopback test server with a certificate `openssl` makes at run time.
@Suite("https over loopback", .timeLimit(.minutes(2)))
struct TLSTests {
    @Test("A 200 over https from a server whose certificate is among the extra trust roots")
    func trusted() async throws {
        let cert = try TestCertificate.make()
        defer { cert.remove() }
        try await TestServer.with(tls: cert) { server in
            server.route("/feed", .feed(Feeds.rss(items: [("a", "Secure", 1)])))
            var config = configuration()
            config.extraTrustRoots = [cert.certificate]
            let result = try await FeedFetcher.withFetcher(config) { fetcher in
                await fetcher.fetch(FeedRequest(url: server.url("/feed")))
            }
            #expect(server.url("/feed").hasPrefix("https://127.0.0.1:"))
            let fetched = try #require(result.fetched, "\(result)")
            #expect(String(decoding: fetched.bytes, as: UTF8.self).contains("<title>Secure</title>"))
            #expect(server.requests("/feed").count == 1)
        }
    }

    @Test("A server whose certificate is not trusted fails at once with 'certificate not trusted', never reaching the route")
    func untrusted() async throws {
        let cert = try TestCertificate.make()
        defer { cert.remove() }
        try await TestServer.with(tls: cert) { server in
            server.route("/feed", .feed(Feeds.rss(items: [("a", "Secure", 1)])))
            // A timeout far beyond the test's limit: a hang would fail the test, not pass it.
            let result = try await FeedFetcher.withFetcher(configuration(timeout: .seconds(600))) { fetcher in
                await fetcher.fetch(FeedRequest(url: server.url("/feed")))
            }
            guard case .failed(let failure) = result else {
                Issue.record("expected a failure, got \(result)")
                return
            }
            #expect(failure == .connection("certificate not trusted (TLS handshake failed)"), "\(failure)")
            #expect(server.requests().isEmpty)
        }
    }

    @Test("Through the plugin too: the extra trust roots cross its wire, and https works as linked in")
    func throughThePlugin() async throws {
        let cert = try TestCertificate.make()
        defer { cert.remove() }
        try await onTestThread {
        try await TestServer.with(tls: cert) { server in
            server.route("/feed", .feed(Feeds.rss(items: [("a", "Secure", 1)])))
            var config = configuration()
            config.extraTrustRoots = [cert.certificate]
            let trusted = try await PluginFetcher.withFetcher(config) { fetcher in
                await fetcher.fetch(FeedRequest(url: server.url("/feed")))
            }
            #expect(trusted.fetched != nil, "\(trusted)")
            let untrusted = try await PluginFetcher.withFetcher(configuration()) { fetcher in
                await fetcher.fetch(FeedRequest(url: server.url("/feed")))
            }
            #expect(untrusted == .failed(.connection("certificate not trusted (TLS handshake failed)")), "\(untrusted)")
        }
        }
    }
}
