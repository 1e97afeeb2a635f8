import Foundation
import NewsCore
@testable import NewsFetch

/// A clock for the poller: `now` is a number, and `sleep` moves it on at once (no real
/// waiting), recording each wait.
final class ManualClock: Sendable {
    private let state: Protected<(now: Int64, sleeps: [Duration])>

    init(start: Int64 = 1_800_000_000_000) { state = Protected((start, [])) }

    var now: Timestamp { state.withLock { Timestamp(milliseconds: $0.now) } }
    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func advance(_ d: Duration) { state.withLock { $0.now += d.wholeMilliseconds } }

    var nowFunction: @Sendable () -> Timestamp { { self.now } }

    var sleepFunction: @Sendable (Duration) async throws -> Void {
        { d in
            try Task.checkCancellation()
            self.state.withLock { s in
                s.sleeps.append(d)
                s.now += d.wholeMilliseconds
            }
        }
    }
}

/// A fetcher that answers from a script, and records what it was asked.
final class ScriptedFetcher: FeedFetching {
    private let state: Protected<(results: [FetchResult], requests: [FeedRequest])>

    init(_ results: [FetchResult]) { state = Protected((results, [])) }

    var requests: [FeedRequest] { state.withLock { $0.requests } }

    func fetch(_ request: FeedRequest) async -> FetchResult {
        state.withLock { s in
            s.requests.append(request)
            return s.results.count > 1 ? s.results.removeFirst() : s.results.first ?? .failed(.status(599))
        }
    }
}

/// Collects a source's events.
final class EventLog: Sendable {
    private let events = Protected<[HTTPFeedEvent]>([])
    var all: [HTTPFeedEvent] { events.withLock { $0 } }
    var handler: @Sendable (String, HTTPFeedEvent) -> Void { { _, e in self.events.withLock { $0.append(e) } } }
}

enum Feeds {
    /// An RSS 2.0 feed with items (id, title, date in seconds since 2026-01-01).
    static func rss(title: String = "Test feed", items: [(String, String, Int)], extra: String = "", declaration: Bool = true) -> String {
        var s = declaration ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        s += "<rss version=\"2.0\" xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\"><channel><title>\(title)</title><link>http://example.com/</link>\(extra)\n"
        for (id, t, secs) in items {
            let date = Date(timeIntervalSince1970: 1_767_225_600 + Double(secs))
            s += "<item><guid isPermaLink=\"false\">\(id)</guid><title>\(t)</title><pubDate>\(httpDate(date))</pubDate></item>\n"
        }
        return s + "</channel></rss>\n"
    }

    static func httpDate(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: date)
    }

    static let html = "<!DOCTYPE html>\n<html><head><title>Not a feed</title></head><body><p>Hello</p></body></html>\n"
}

/// Compresses with the system's tools (gzip; python3's zlib for deflate).
enum Compress {
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] { try run("/bin/sh", ["-c", "gzip -c"], bytes) }
    static func deflate(_ bytes: [UInt8]) throws -> [UInt8] {
        try run("/usr/bin/env", ["python3", "-c", "import sys,zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read()))"], bytes)
    }

    static func run(_ tool: String, _ args: [String], _ input: [UInt8]) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let inPipe = Pipe(), outPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        try p.run()
        let writer = Thread { inPipe.fileHandleForWriting.write(Data(input)); try? inPipe.fileHandleForWriting.close() }
        writer.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Array(out)
    }
}

let testVersion = "9.9.9-test"

func configuration(timeout: Duration = .seconds(10), maxBodyBytes: Int = 32 << 20,
                   proxies: ProxySettings = .none) -> FetchConfiguration {
    FetchConfiguration(version: testVersion, timeout: timeout, maxBodyBytes: maxBodyBytes, proxies: proxies)
}

extension FetchResult {
    var fetched: FetchedFeed? { if case .ok(let f) = self { f } else { nil } }
    var notModified: NotModified? { if case .notModified(let n) = self { n } else { nil } }
    var failure: FetchFailure? { if case .failed(let f) = self { f } else { nil } }
}

func elapsed<R>(_ body: () async throws -> R) async rethrows -> (R, Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let r = try await body()
    return (r, clock.now - start)
}

/// The thread these tests' async code runs on: their timing must not depend on the shared
/// pool, which other suites' blocking waits can hold for a minute in a loaded full run.
let testThread = ThreadExecutor(name: "fetch tests")

func onTestThread<R>(_ body: () async throws -> R) async throws -> R {
    try await withTaskExecutorPreference(testThread, operation: body)
}
