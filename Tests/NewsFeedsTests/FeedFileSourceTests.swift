import Foundation
import NewsCore
import Testing
@testable import NewsFeeds

/// Counts the looks between reads, and stops a watch that would wait for ever.
final class Looks: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    let limit: Int
    let pause: Duration
    init(limit: Int, pause: Duration = .zero) {
        self.limit = limit
        self.pause = pause
    }
    /// The source's sleep: `pause` (no waiting by default), but after `limit` looks the watch is cancelled.
    var sleep: @Sendable (Duration) async throws -> Void {
        { _ in
            let n = self.lock.withLock { self.count += 1; return self.count }
            if n > self.limit { throw CancellationError() }
            if self.pause > .zero { try await Task.sleep(for: self.pause) }
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

    @Test("A title changed under the same id comes again as an update, once; an id twice in the file counts as it first comes")
    func changedTitle() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.xml").path
        try feed(item("a", "A", "Mon, 01 Jan 2026 10:00:00 GMT"), item("b", "B", "Tue, 02 Jan 2026 10:00:00 GMT"),
                 item("b", "B again", "Tue, 02 Jan 2026 11:00:00 GMT")).write(toFile: path, atomically: true, encoding: .utf8)
        let source = FeedFileSource(name: "mine", path: path, sleep: Looks(limit: 50).sleep, now: { readTime })
        var iterator = source.makeAsyncIterator()
        let first = try #require(try await iterator.next())
        #expect(first.map(\.headline.title) == ["A", "B"])
        #expect(first.allSatisfy { !$0.isUpdate })
        try feed(item("a", "A, corrected", "Mon, 01 Jan 2026 10:00:00 GMT"), item("b", "B", "Tue, 02 Jan 2026 10:00:00 GMT"),
                 item("b", "B again", "Tue, 02 Jan 2026 11:00:00 GMT"), item("c", "C", "Wed, 03 Jan 2026 10:00:00 GMT"))
            .write(toFile: path, atomically: true, encoding: .utf8)
        let second = try #require(try await iterator.next())
        #expect(second.map(\.headline.title) == ["A, corrected", "C"])
        #expect(second.map(\.isUpdate) == [true, false])
        // The same again, one more new item: only that one.
        try feed(item("a", "A, corrected", "Mon, 01 Jan 2026 10:00:00 GMT"), item("d", "D", "Thu, 04 Jan 2026 10:00:00 GMT"))
            .write(toFile: path, atomically: true, encoding: .utf8)
        let third = try #require(try await iterator.next())
        #expect(third.map(\.headline.title) == ["D"])
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
        // The detail view says so: the note goes with the headline.
        #expect(batch.first?.headline.note?.contains("time it was read") == true, "\(String(describing: batch.first?.headline.note))")
    }

    @Test("Feed files read together: the first delivers every file's items as one batch in publication order, the others only what changes later")
    func sharedStart() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = dir.appendingPathComponent("one.xml").path, two = dir.appendingPathComponent("two.xml").path
        try feed(item("x1", "one old", "Mon, 01 Jan 2026 10:00:00 GMT"), item("x2", "one new", "Mon, 01 Jan 2026 12:00:00 GMT"))
            .write(toFile: one, atomically: true, encoding: .utf8)
        try feed(item("x1", "two middle", "Mon, 01 Jan 2026 11:00:00 GMT"), item("y", "two newest", "Mon, 01 Jan 2026 13:00:00 GMT"))
            .write(toFile: two, atomically: true, encoding: .utf8)
        let looks = Looks(limit: 2000, pause: .milliseconds(10))
        let read = FeedStartingRead(files: [.init(name: "one", path: one), .init(name: "two", path: two)], now: { readTime })
        let sources = read.sources(sleep: looks.sleep)
        #expect(sources.map(\.name) == ["one", "two"])
        var first = sources[0].makeAsyncIterator(), second = sources[1].makeAsyncIterator()
        // The second file's source starts too, and waits for a change of its own file.
        let secondTask = Task { [second] in
            var iterator = second
            return try await iterator.next()
        }
        let batch = try #require(try await first.next())
        #expect(batch.map(\.headline.title) == ["one old", "two middle", "one new", "two newest"])
        #expect(batch.map(\.headline.source) == ["one", "two", "one", "two"])
        try feed(item("x1", "two middle", "Mon, 01 Jan 2026 11:00:00 GMT"), item("y", "two newest", "Mon, 01 Jan 2026 13:00:00 GMT"),
                 item("z", "two later", "Mon, 01 Jan 2026 14:00:00 GMT")).write(toFile: two, atomically: true, encoding: .utf8)
        let later = try #require(try await secondTask.value)
        #expect(later.map(\.headline.title) == ["two later"])
        #expect(later.allSatisfy { $0.headline.source == "two" })
    }

    @Test("A broken file among feed files read together: its source reports it once; the first still delivers the others' items")
    func sharedStartWithBroken() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.html").path, good = dir.appendingPathComponent("good.xml").path
        try "<html><body>no</body></html>".write(toFile: bad, atomically: true, encoding: .utf8)
        try feed(item("g", "good", "Mon, 01 Jan 2026 10:00:00 GMT")).write(toFile: good, atomically: true, encoding: .utf8)
        let read = FeedStartingRead(files: [.init(name: "bad", path: bad), .init(name: "good", path: good)], now: { readTime })
        let sources = read.sources(sleep: Looks(limit: 3).sleep)
        var first = sources[0].makeAsyncIterator(), second = sources[1].makeAsyncIterator()
        let batch = try #require(try await first.next())
        #expect(batch.map(\.headline.title) == ["good"])
        #expect(batch[0].headline.published == iso("2026-01-01T10:00:00Z"))
        // Then the bad file's own error, once; then only looks (no change: the watch stops at the limit).
        await #expect(throws: FeedError.self) { _ = try await first.next() }
        await #expect(throws: CancellationError.self) { _ = try await first.next() }
        // The good file's own source has nothing new.
        await #expect(throws: CancellationError.self) { _ = try await second.next() }
    }

    @Test("A feed's title is read from the start of its file; a FIFO, a directory, a missing file or a non-feed give none, without waiting")
    func titlePeek() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.xml").path
        // A large feed: the title is found in its first 64 KiB.
        let items = (0..<3000).map { item("i\($0)", "Item \($0)", "Mon, 01 Jan 2026 10:00:00 GMT") }.joined()
        try (#"<?xml version="1.0"?><rss version="2.0"><channel><title> The Daily  Kernel </title>"# + items + "</channel></rss>")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(FeedTitle.peek(path: path) == "The Daily Kernel")
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(FeedTitle.peek(path: fifo) == nil)
        #expect(FeedTitle.peek(path: dir.path) == nil)
        #expect(FeedTitle.peek(path: dir.appendingPathComponent("missing.xml").path) == nil)
        let html = dir.appendingPathComponent("page.html").path
        try "<html><head><title>Page</title></head></html>".write(toFile: html, atomically: true, encoding: .utf8)
        #expect(FeedTitle.peek(path: html) == nil)
        let json = dir.appendingPathComponent("f.json").path
        try #"{"version": "https://jsonfeed.org/version/1.1", "title": "Jay Son", "items": []}"#.write(toFile: json, atomically: true, encoding: .utf8)
        #expect(FeedTitle.peek(path: json) == "Jay Son")
    }

    @Test("The starting read dates undated items at the feed's start; later reads at the time they read")
    func startingReadTime() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.xml").path
        try feed("<item><guid>x</guid><title>X</title></item>").write(toFile: path, atomically: true, encoding: .utf8)
        let start = Timestamp(milliseconds: 1_000)
        let read = FeedStartingRead(files: [.init(name: "f", path: path)], now: { readTime }, startTime: start)
        var iterator = read.sources(sleep: Looks(limit: 1000, pause: .milliseconds(10)).sleep)[0].makeAsyncIterator()
        #expect(try await iterator.next()?.map(\.headline.published) == [start])
        try feed("<item><guid>x</guid><title>X</title></item>", "<item><guid>y</guid><title>Y</title></item>")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try await iterator.next()?.map(\.headline.published) == [readTime])
    }

    @Test("A FIFO where the feed file was is an error, at once: it is never opened (that would wait for a writer for ever)")
    func fifoIsNotOpened() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.xml").path
        #expect(mkfifo(path, 0o600) == 0)
        var iterator = FeedFileSource(name: "f", path: path, sleep: Looks(limit: 2).sleep, now: { readTime }).makeAsyncIterator()
        await #expect(throws: FeedError.self) { _ = try await iterator.next() }
        let read = FeedStartingRead(files: [.init(name: "f", path: path)], now: { readTime })
        var shared = read.sources(sleep: Looks(limit: 2).sleep)[0].makeAsyncIterator()
        await #expect(throws: FeedError.self) { _ = try await shared.next() }
    }

    @Test("A feed that breaks mid-way: its items before the break arrive, then where it broke is reported, once")
    func brokenDocument() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.xml").path
        try (#"<rss version="2.0"><channel><title>T</title>"# + item("a", "Before", "Mon, 01 Jan 2026 10:00:00 GMT") + "<item><title>unfinished")
            .write(toFile: path, atomically: true, encoding: .utf8)
        var iterator = FeedFileSource(name: "f", path: path, sleep: Looks(limit: 3).sleep, now: { readTime }).makeAsyncIterator()
        #expect(try await iterator.next()?.map(\.headline.title) == ["Before"])
        do {
            _ = try await iterator.next()
            Issue.record("the break was not reported")
        } catch let error as FeedBreak {
            #expect(error.itemsBefore == 1 && error.problem.line == 1, "\(error)")
            #expect(error.description.contains("the item before it is shown"), "\(error)")
        }
        await #expect(throws: CancellationError.self) { _ = try await iterator.next() }
    }
}
