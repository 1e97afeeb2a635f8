import Foundation
@testable import NewsCore
import NewsFeeds
import Testing
@testable import NewsApp

/// What `import` reads a file as, the options a feed or a table refuses, and a feed
/// streamed through the importer (ordered by date, notes on the headlines and in the report).
@Suite("Importing feeds")
struct FeedImportTests {
    static func request(_ input: String, format: ImportFormat? = nil, name: String? = nil, table: [String] = []) -> ImportRequest {
        ImportRequest(options: ImportOptions(input: input, output: input + ".out", format: .csv), format: format, name: name,
                      tableOptions: table, readTime: Timestamp(milliseconds: 0))
    }

    /// A folder of its own for a test's output: the importer's temporary names are per
    /// process, so two imports at once must not write next to each other.
    static func folder() throws -> String {
        let path = CommandRunTests.temporary("dir")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("the content decides; the extension only where the content cannot tell; pages and other XML are 65")
    func decide() {
        #expect(ImportInput.decide(.feed(.rss, version: "2.0"), byExtension: .csv, path: "a.csv") == .success(.feed))
        #expect(ImportInput.decide(.csv, byExtension: .jsonl, path: "a.jsonl") == .success(.table(.csv)))
        #expect(ImportInput.decide(.jsonLines, byExtension: nil, path: "a") == .success(.table(.jsonl)))
        #expect(ImportInput.decide(.json, byExtension: .jsonl, path: "a.json") == .success(.table(.jsonl)))
        #expect(ImportInput.decide(.unknown, byExtension: .csv, path: "a.csv") == .success(.table(.csv)))
        #expect(ImportInput.decide(.html, byExtension: .csv, path: "p.csv")
                == .failure(.init(status: 65, message: "p.csv: an HTML page, not a feed")))
        #expect(ImportInput.decide(.otherXML(root: "svg"), byExtension: nil, path: "x")
                == .failure(.init(status: 65, message: "x: an XML document with root element <svg>, not a feed")))
        guard case .failure(let unknown) = ImportInput.decide(.unknown, byExtension: nil, path: "x.dat") else {
            Issue.record("unknown content with an unknown extension was accepted")
            return
        }
        #expect(unknown.status == 65)
        guard case .failure(let empty) = ImportInput.decide(.empty, byExtension: nil, path: "x") else {
            Issue.record("an empty file of no known kind was accepted")
            return
        }
        #expect(empty.status == 66)
    }

    @Test("a table option with a feed is 64 naming it; --name with a table is 64; --format skips the sniff")
    func options() {
        let feed: () -> Result<SniffedKind, ImportInput.Refusal> = { .success(.feed(.atom, version: "1.0")) }
        let csv: () -> Result<SniffedKind, ImportInput.Refusal> = { .success(.csv) }
        #expect(Self.request("f.xml").input(sniffed: feed) == .success(.feed))
        #expect(Self.request("f.xml", name: "wire").input(sniffed: feed) == .success(.feed))
        guard case .failure(let refused) = Self.request("f.xml", table: ["--time-format", "--only"]).input(sniffed: feed) else {
            Issue.record("--time-format was taken with a feed")
            return
        }
        #expect(refused.status == 64 && refused.message.hasPrefix("--time-format is for CSV and JSON Lines"))
        guard case .failure(let name) = Self.request("t.csv", name: "wire").input(sniffed: csv) else {
            Issue.record("--name was taken with a CSV")
            return
        }
        #expect(name.status == 64 && name.message.hasPrefix("--name is for feeds"))
        var sniffed = false
        #expect(Self.request("f.xml", format: .jsonl).input(sniffed: { sniffed = true; return feed() }) == .success(.table(.jsonl)))
        #expect(!sniffed)
    }

    @Test("a missing file or a directory is 66; a file's start is sniffed")
    func sniffFile() throws {
        guard case .failure(let missing) = ImportInput.sniff(path: CommandRunTests.temporary("none.xml")) else {
            Issue.record("a missing file was sniffed")
            return
        }
        #expect(missing.status == 66)
        guard case .failure(let dir) = ImportInput.sniff(path: FileManager.default.temporaryDirectory.path) else {
            Issue.record("a directory was sniffed")
            return
        }
        #expect(dir.status == 66)
        let page = try CommandRunTests.write("<!DOCTYPE html>\n<html><body>no feed</body></html>\n", "page.xml")
        defer { unlink(page) }
        #expect(ImportInput.sniff(path: page) == .success(.html))
    }

    @Test("a feed newest first is recorded oldest first from offset 0; an undated item takes the read time and a note")
    func feedThroughImporter() throws {
        let feed = try CommandRunTests.write("""
            <?xml version="1.0"?>
            <rss version="2.0"><channel><title>The Night Desk</title>
            <item><title>Late</title><guid>n3</guid><pubDate>Tue, 01 Dec 2026 10:10:00 GMT</pubDate></item>
            <item><title>Undated</title><guid>n0</guid></item>
            <item><title>Early</title><guid>n1</guid><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item>
            </channel></rss>
            """, "night.rss")
        let out = try Self.folder() + "/night.jsonl"
        defer { unlink(feed); unlink(out) }
        let readTime = Timestamp(milliseconds: 1_796_119_200_000 + 60_000)  // 10:01
        // In memory, and spilled to sorted runs of one item (as feeds are, by ImportRun.feedRunSize).
        for runSize in [200_000, 1] {
        unlink(out)
        var options = ImportOptions(input: feed, output: out, format: .csv)
        options.runSize = runSize
        let importer = Importer(options: options)
        let summary = try importer.run(headlines: FeedImport.producer(path: feed, name: nil, readTime: readTime))
        #expect(summary.imported == 3 && summary.skipped == 0 && summary.noted == 1)
        #expect(summary.problems.map(\.description) == ["\(feed): item 2 (\"Undated\"): no date: the time it was read is shown"])
        let reader = try RecordingReader(path: out)
        #expect(reader.header.sources == ["night-desk"])
        var events: [Arrival] = []
        while let line = try reader.next() { events.append(line.arrival) }
        #expect(events.map(\.headline.id) == ["n1", "n0", "n3"])
        #expect(events.map(\.offset) == [0, 60_000, 600_000])
        #expect(events[1].headline.published == readTime)
        #expect(events[1].headline.note == "no date: the time it was read is shown")
        #expect(events[0].headline.note == nil && events[2].headline.note == nil)
        let left = try FileManager.default.contentsOfDirectory(atPath: (out as NSString).deletingLastPathComponent)
        #expect(left == ["night.jsonl"], "runs left behind with \(runSize): \(left)")
        }
    }

    @Test("a broken feed keeps the items before the break and reports its line; --strict makes it 65 and writes nothing")
    func brokenFeed() throws {
        let feed = try CommandRunTests.write("""
            <?xml version="1.0"?>
            <rss version="2.0"><channel><title>Wire</title>
            <item><title>One</title><guid>1</guid><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item>
            <item><title>Two</title></chan>
            """, "broken.rss")
        let out = try Self.folder() + "/broken.jsonl"
        defer { unlink(feed); unlink(out) }
        let producer = FeedImport.producer(path: feed, name: "wire", readTime: Timestamp(milliseconds: 0))
        let summary = try Importer(options: ImportOptions(input: feed, output: out, format: .csv)).run(headlines: producer)
        #expect(summary.imported == 1)
        #expect(summary.problems.last?.line == 4)
        #expect(summary.problems.last?.reason.contains("the feed breaks here") == true)
        #expect(summary.problems.last?.reason.hasSuffix("; the item before it is imported") == true)
        unlink(out)
        var strict = ImportOptions(input: feed, output: out, format: .csv)
        strict.strict = true
        #expect(throws: ImportError.self) { try Importer(options: strict).run(headlines: producer) }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("the report counts noted problems beside skipped rows")
    func report() {
        var summary = ImportSummary()
        summary.imported = 3
        summary.noted = 25
        summary.duration = 60_000
        summary.problems = (1...25).map { LineProblem(path: "f.xml", line: $0, reason: "r") }
        let (lines, status) = ImportRun.report(summary, input: "f.xml", out: "o.jsonl")
        #expect(status == 0)
        #expect(lines.count == 22)
        #expect(lines[20] == "... and 5 more")
        #expect(lines[21] == "imported 3 headlines into o.jsonl, spanning 1m00s; 25 problems noted")
    }
}

@Suite("Import progress line")
struct ImportProgressLineTests {
    @Test("each phase says what it is doing: rows read, share and rate; sorting; written and share; a feed counts items")
    func lines() {
        #expect(ImportRun.progressText(ImportProgress(phase: .reading, rows: 120_000, fraction: 0.125), input: "big.csv", feed: false, seconds: 0.5)
                == "importing big.csv: reading, 120,000 rows, 12%, 240,000 rows/s")
        #expect(ImportRun.progressText(ImportProgress(phase: .sorting, rows: 1_000_000, fraction: 0), input: "big.csv", feed: false, seconds: 2)
                == "importing big.csv: sorting 1,000,000 rows")
        #expect(ImportRun.progressText(ImportProgress(phase: .writing, rows: 500_000, fraction: 0.5), input: "big.csv", feed: false, seconds: 3)
                == "importing big.csv: writing, 500,000 rows written, 50%")
        #expect(ImportRun.progressText(ImportProgress(phase: .reading, rows: 10_000, fraction: 0), input: "f.xml", feed: true, seconds: 1)
                == "importing f.xml: reading, 10,000 items, 10,000 items/s")
    }
}
