import Foundation
import NewsCore
import Testing
@testable import NewsFeeds

/// Counts the looks between reads, and stops a watch that would wait for ever.
final class Looks: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    let limit: Int
    init(limit: Int) { self.limit = limit }
    /// The source's sleep: no waiting, but after `limit` looks the watch is cancelled.
    var sleep: @Sendable (Duration) async throws -> Void {
        { _ in
            let n = self.lock.withLock { self.count += 1; return self.count }
            if n > self.limit { throw CancellationError() }
        }
    }
}

@Suite("FeedFileSource: a feed file as a live source")
struct FeedFileSourceTests {
    func item(_ id: String, _ title: String, _ date: String) -> String {
        "<item><guid>\(id)</guid><title>\(title)</title><pubDate>\(date)</pubDate></item>"
    }

    func feed(_ items: String...) -> String {
        #"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>"# + items.joined() + "</channel></rss>"
    }

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("feedsource-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("The first batch is every item in publication order, named after the source; a change brings only the new ids")
    func startThenNew() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.xml").path
        try feed(item("b", "B", "Tue, 02 Jan 2026 10:00:00 GMT"), item("a", "A", "Mon, 01 Jan 2026 10:00:00 GMT"),
                 item("c", "C", "Wed, 03 Jan 2026 10:00:00 GMT")).write(toFile: path, atomically: true, encoding: .utf8)
        let looks = Looks(limit: 50)
        let source = FeedFileSource(name: "mine", path: path, sleep: looks.sleep, now: { readTime })
        #expect(source.timing == .live)
        var iterator = source.makeAsyncIterator()
        let first = try #require(try await iterator.next())
        #expect(first.map(\.headline.title) == ["A", "B", "C"])
        #expect(first.allSatisfy { $0.headline.source == "mine" })
        #expect(first[0].headline.published == iso("2026-01-01T10:00:00Z"))
        // A new item among the old ones (and an old one gone): only the new one arrives.
        try feed(item("d", "D", "Thu, 04 Jan 2026 10:00:00 GMT"), item("c", "C", "Wed, 03 Jan 2026 10:00:00 GMT"))
            .write(toFile: path, atomically: true, encoding: .utf8)
        let second = try #require(try await iterator.next())
        #expect(second.map(\.headline.title) == ["D"])
    }

    @Test("An unchanged file is not read again: the watch only looks")
    func unchanged() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.xml").path
        try feed(item("a", "A", "Mon, 01 Jan 2026 10:00:00 GMT")).write(toFile: path, atomically: true, encoding: .utf8)
        let looks = Looks(limit: 20)
        var iterator = FeedFileSource(name: "f", path: path, sleep: looks.sleep, now: { readTime }).makeAsyncIterator()
        _ = try await iterator.next()
        await #expect(throws: CancellationError.self) { _ = try await iterator.next() }
    }

    @Test("A file that is not a feed, or disappears, is an error from next(), reported once; the watch goes on and reads it when it is mended")
    func brokenThenMended() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.xml").path
        try "<html><body>no</body></html>".write(toFile: path, atomically: true, encoding: .utf8)
        let looks = Looks(limit: 1000)
        var iterator = FeedFileSource(name: "f", path: path, sleep: looks.sleep, now: { readTime }).makeAsyncIterator()
        await #expect(throws: FeedError.self) { _ = try await iterator.next() }
        try FileManager.default.removeItem(atPath: path)
        await #expect(throws: FeedError.self) { _ = try await iterator.next() }
        try feed(item("a", "A", "Mon, 01 Jan 2026 10:00:00 GMT")).write(toFile: path, atomically: true, encoding: .utf8)
        let batch = try #require(try await iterator.next())
        #expect(batch.map(\.headline.id) == ["a"])
    }

    @Test("An item without a date is dated by the injected clock")
    func undated() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.xml").path
        try feed("<item><guid>x</guid><title>X</title></item>").write(toFile: path, atomically: true, encoding: .utf8)
        var iterator = FeedFileSource(name: "f", path: path, sleep: Looks(limit: 5).sleep, now: { readTime }).makeAsyncIterator()
        let batch = try #require(try await iterator.next())
        #expect(batch.first?.headline.published == readTime)
    }
}
