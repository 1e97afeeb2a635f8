import Foundation
import NewsCore
import Testing

/// `newsdesk import` of feeds with the real binary (issue 11): RSS, Atom and JSON Feed to
/// the exact recording, `--name`, what is refused and with which status, a broken feed,
/// and the replay of an imported feed.
@Suite("Importing feeds with the binary", .timeLimit(.minutes(2)))
struct FeedImportBinaryTests {
    static let rss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>The Daily Kernel</title><link>https://kernel.example/</link>
        <item><title>Second story</title><link>/b</link><guid>b-1</guid><pubDate>Tue, 01 Dec 2026 10:05:00 GMT</pubDate><description>More &amp; more</description></item>
        <item><title>First story</title><link>https://kernel.example/a</link><guid>a-1</guid><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item>
        </channel></rss>
        """

    static let atom = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Orbit Weekly</title><link href="https://orbit.example/"/><id>urn:orbit</id><updated>2026-11-30T12:00:00Z</updated>
        <entry><title>Launch slips a week</title><id>urn:orbit:2</id><link href="https://orbit.example/2"/><updated>2026-11-30T12:00:00Z</updated><summary>Weather.</summary></entry>
        <entry><title>Crew named</title><id>urn:orbit:1</id><link href="https://orbit.example/1"/><published>2026-11-30T08:30:00+01:00</published></entry>
        </feed>
        """

    static let jsonFeed = """
        {"version":"https://jsonfeed.org/version/1.1","title":"Harbour Notes","home_page_url":"https://harbour.example/","items":[
        {"id":"h2","title":"Ferry back","url":"https://harbour.example/h2","date_published":"2026-11-29T09:15:00Z","summary":"Timetable restored."},
        {"id":"h1","title":"Ferry stops","url":"https://harbour.example/h1","date_published":"2026-11-29T07:00:00Z"}]}
        """

    /// Imports `text` (saved as `name`) and returns the status, stderr and the output's lines.
    func importing(_ text: String, as name: String, _ extra: [String] = []) async throws -> (RunResult, [String]) {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent(name).path
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.jsonl").path
        let result = try await run(newsdeskBinary, ["import", input, "--out", out] + extra)
        let lines = ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        return (result, lines)
    }

    @Test("a FIFO or a pipe is read once (reopening it hung): its start tells the format, with or without a name's format or --format")
    func streamsAreReadOnce() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = "title,time\nA,2024-01-01T00:00:00Z\nB,2024-01-01T00:00:01Z\n"
        let source = dir.appendingPathComponent("rows.txt").path
        try csv.write(toFile: source, atomically: true, encoding: .utf8)
        let named = dir.appendingPathComponent("news.csv").path, bare = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(named, 0o600) == 0 && mkfifo(bare, 0o600) == 0)
        let out = dir.appendingPathComponent("out.jsonl").path
        let viaFifo = try await shell("cat '\(source)' > '\(named)' & \"$ND\" import '\(named)' --out '\(out)'; s=$?; wait; exit $s", timeout: .seconds(30))
        #expect(viaFifo.status == 0, "\(viaFifo.stderr)")
        #expect(((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").count == 3)
        let viaPipe = try await shell("cat '\(source)' | \"$ND\" import /dev/stdin --format csv --out '\(out)' --force", timeout: .seconds(30))
        #expect(viaPipe.status == 0, "\(viaPipe.stderr)")
        #expect(((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").count == 3)
        // The writer gives up after 5 s should the import not read (it did once: a hang).
        let unnamed = try await shell("timeout 5 sh -c \"cat '\(source)' > '\(bare)'\" & \"$ND\" import '\(bare)' --out '\(out)' --force; s=$?; wait; exit $s", timeout: .seconds(30))
        #expect(unnamed.status == 0, "\(unnamed.stderr)")
        #expect(((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").count == 3)
        let pipe = try await shell("cat '\(source)' | \"$ND\" import /dev/stdin --out '\(out)' --force", timeout: .seconds(30))
        #expect(pipe.status == 0, "\(pipe.stderr)")
        #expect(((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").count == 3)
    }

    @Test("RSS: oldest first from offset 0, every field, the source named from the feed's title")
    func rssFeed() async throws {
        let (result, lines) = try await importing(Self.rss, as: "kernel.xml")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("imported 2 headlines into"))
        #expect(lines == [
            #"{"format":"newsdesk-recording","version":1,"started":"2026-12-01T10:00:00.000Z","sources":["daily-kernel"],"origin":"kernel.xml"}"#,
            #"{"offset":0,"id":"a-1","source":"daily-kernel","title":"First story","published":"2026-12-01T10:00:00.000Z","outlet":"The Daily Kernel","url":"https://kernel.example/a"}"#,
            #"{"offset":300000,"id":"b-1","source":"daily-kernel","title":"Second story","published":"2026-12-01T10:05:00.000Z","outlet":"The Daily Kernel","summary":"More & more","url":"https://kernel.example/b"}"#,
        ])
    }

    @Test("Atom, with a zone in a date, whatever the file's extension")
    func atomFeed() async throws {
        let (result, lines) = try await importing(Self.atom, as: "orbit.csv")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(lines == [
            #"{"format":"newsdesk-recording","version":1,"started":"2026-11-30T07:30:00.000Z","sources":["orbit-weekly"],"origin":"orbit.csv"}"#,
            #"{"offset":0,"id":"urn:orbit:1","source":"orbit-weekly","title":"Crew named","published":"2026-11-30T07:30:00.000Z","outlet":"Orbit Weekly","url":"https://orbit.example/1"}"#,
            #"{"offset":16200000,"id":"urn:orbit:2","source":"orbit-weekly","title":"Launch slips a week","published":"2026-11-30T12:00:00.000Z","outlet":"Orbit Weekly","summary":"Weather.","url":"https://orbit.example/2"}"#,
        ])
    }

    @Test("JSON Feed, and --name for the source")
    func jsonFeedNamed() async throws {
        let (result, lines) = try await importing(Self.jsonFeed, as: "harbour.json", ["--name", "harbour"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(lines == [
            #"{"format":"newsdesk-recording","version":1,"started":"2026-11-29T07:00:00.000Z","sources":["harbour"],"origin":"harbour.json"}"#,
            #"{"offset":0,"id":"h1","source":"harbour","title":"Ferry stops","published":"2026-11-29T07:00:00.000Z","outlet":"Harbour Notes","url":"https://harbour.example/h1"}"#,
            #"{"offset":8100000,"id":"h2","source":"harbour","title":"Ferry back","published":"2026-11-29T09:15:00.000Z","outlet":"Harbour Notes","summary":"Timetable restored.","url":"https://harbour.example/h2"}"#,
        ])
    }

    @Test("an HTML page is 65 saying so; a missing file 66; CSV options with a feed and --name with a CSV are 64; none writes a file")
    func refused() async throws {
        let (page, pageOut) = try await importing("<!DOCTYPE html>\n<html><head><title>News</title></head><body></body></html>\n", as: "feed.xml")
        #expect(page.status == 65)
        #expect(page.stderr.contains("an HTML page, not a feed"), "\(page.stderr)")
        #expect(pageOut.isEmpty)
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try await newsdesk("import", dir.appendingPathComponent("none.xml").path, "--out", dir.appendingPathComponent("o.jsonl").path)
        #expect(missing.status == 66)
        let (option, optionOut) = try await importing(Self.rss, as: "kernel.xml", ["--time-format", "epoch"])
        #expect(option.status == 64 && option.stderr.contains("--time-format is for CSV and JSON Lines"), "\(option.stderr)")
        #expect(optionOut.isEmpty)
        let (name, nameOut) = try await importing("title,time\nA,2026-01-01T00:00:00Z\n", as: "t.csv", ["--name", "x"])
        #expect(name.status == 64 && name.stderr.contains("--name is for feeds"), "\(name.stderr)")
        #expect(nameOut.isEmpty)
    }

    @Test("a broken feed keeps the items before the break and reports the line; an undated item gets a note")
    func brokenFeed() async throws {
        let broken = """
            <?xml version="1.0"?>
            <rss version="2.0"><channel><title>Broken Wire</title>
            <item><title>Kept one</title><guid>k1</guid><pubDate>Tue, 01 Dec 2026 09:00:00 GMT</pubDate></item>
            <item><title>Kept two</title><guid>k2</guid><pubDate>whenever</pubDate></item>
            <item><title>Lost</title><guid>k3</guid></chan>
            """
        let (result, lines) = try await importing(broken, as: "broken.rss")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("broken.rss:5: the feed breaks here: column "), "\(result.stderr)")
        #expect(result.stderr.contains("the 2 items before it are imported"))
        #expect(result.stderr.contains(#"broken.rss: item 2 ("Kept two"): the date "whenever" could not be read"#), "\(result.stderr)")
        #expect(result.stderr.contains("imported 2 headlines"))
        #expect(lines.count == 3)
        #expect(lines[1].contains(#""id":"k1""#))
        #expect(lines[2].contains(#""id":"k2""#) && lines[2].contains(#""note":"the date \"whenever\" could not be read: the time it was read is shown""#))
    }

    @Test("an imported feed replays its items")
    func replayImported() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("kernel.xml").path
        try Self.rss.write(toFile: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("kernel.jsonl").path
        let imported = try await newsdesk("import", input, "--out", out)
        #expect(imported.status == 0, "\(imported.stderr)")
        let replay = try await newsdesk("replay", out, "--plain", "--speed", "max")
        #expect(replay.status == 0)
        #expect(replay.lines == ["[10:00:00] Daily-kernel: First story", "[10:05:00] Daily-kernel: Second story"])
    }

    @Test("SIGINT mid-import of a feed removes its sorted runs and the partial output, and exits 130")
    func interrupted() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let feed = dir.appendingPathComponent("big.xml").path
        // 60,000 items (about 8 MB): the first sorted run (4,096 items) reaches the disk long
        // before the parse ends.
        var data = Data(#"<?xml version="1.0"?><rss version="2.0"><channel><title>Big Wire</title>"#.utf8)
        for i in 0..<60_000 {
            data.append(Data("<item><title>Story \(i)</title><guid>g\(i)</guid><pubDate>Tue, 01 Dec 2026 \(String(format: "%02d:%02d:%02d", (i / 3600) % 24, (i / 60) % 60, i % 60)) GMT</pubDate></item>\n".utf8))
        }
        data.append(Data("</channel></rss>\n".utf8))
        try data.write(to: URL(fileURLWithPath: feed))
        let out = dir.appendingPathComponent("big.jsonl").path
        let path = dir.path
        let result = try await runSignalled(["import", feed, "--out", out], signal: SIGINT) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.contains { $0.hasPrefix(".newsdesk-import-") }
        }
        #expect(result.status == 128 + SIGINT, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["big.xml"])
    }

    @Test("report lines never carry escape sequences from the data")
    func safeReport() async throws {
        let (result, _) = try await importing("title,time\nA,\u{1B}[31mnever\n", as: "esc.csv")
        #expect(result.status == 65)
        #expect(!result.stderr.contains("\u{1B}"), "\(result.stderr.debugDescription)")
        #expect(result.stderr.contains("␛[31mnever"))
    }
}
