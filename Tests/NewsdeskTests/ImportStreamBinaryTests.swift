import Foundation
import NewsCore
import Testing

/// `newsdesk import` from standard input, a pipe and a FIFO with the real binary (issue 11):
/// read once, the format told from the first bytes read, with no --format.
@Suite("Importing from a stream with the binary", .timeLimit(.minutes(2)))
struct ImportStreamBinaryTests {
    /// The output's lines without its header (whose `origin` names the input).
    static func events(_ path: String) -> [String] {
        Array(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init).dropFirst())
    }

    /// Writes `text` to `name` in a new scratch folder: (the folder, the file's path).
    static func scratch(_ text: String, _ name: String) throws -> (URL, String) {
        let dir = scratchFolder()
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (dir, path)
    }

    @Test("RSS, Atom and JSON Feed from standard input (-) and from a FIFO, without --format, as from the file",
          arguments: [("rss", FeedImportBinaryTests.rss), ("atom", FeedImportBinaryTests.atom), ("json", FeedImportBinaryTests.jsonFeed)])
    func feeds(_ kind: String, _ text: String) async throws {
        // The same name in every case, so that even the header's origin is the same.
        let (dir, file) = try Self.scratch(text, "-")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fromFile = dir.appendingPathComponent("file.jsonl").path, fromPipe = dir.appendingPathComponent("pipe.jsonl").path
        // Relative links: a file resolves them against its location, standard input against the feed's link.
        let direct = try await run(newsdeskBinary, ["import", file, "--out", fromFile])
        #expect(direct.status == 0, "\(direct.stderr)")
        let piped = try await shell("cd '\(dir.path)' && cat ./- | \"$ND\" import - --out '\(fromPipe)'", timeout: .seconds(30))
        #expect(piped.status == 0, "\(kind): \(piped.stderr)")
        #expect(piped.stderr.contains("imported 2 headlines"), "\(piped.stderr)")
        #expect(Self.events(fromPipe) == Self.events(fromFile), "\(kind)")
        #expect(Self.events(fromPipe).count == 2)

        let fifo = dir.appendingPathComponent("feed.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let viaFifo = dir.appendingPathComponent("fifo.jsonl").path
        let fed = try await shell("cat '\(file)' > '\(fifo)' & \"$ND\" import '\(fifo)' --out '\(viaFifo)'; s=$?; wait; exit $s", timeout: .seconds(30))
        #expect(fed.status == 0, "\(kind): \(fed.stderr)")
        #expect(Self.events(viaFifo) == Self.events(fromFile), "\(kind)")
    }

    @Test("CSV and JSON Lines from a pipe and a FIFO without --format: every row, as from the file")
    func tables() async throws {
        let csv = "title,time\nA,2024-01-01T00:00:00Z\nB,2024-01-01T00:00:01Z\n"
        let jsonl = "{\"title\":\"A\",\"time\":\"2024-01-01T00:00:00Z\"}\n{\"title\":\"B\",\"time\":\"2024-01-01T00:00:01Z\"}\n"
        for (name, text) in [("rows.txt", csv), ("lines.txt", jsonl)] {
            let (dir, file) = try Self.scratch(text, name)
            defer { try? FileManager.default.removeItem(at: dir) }
            let out = dir.appendingPathComponent("out.jsonl").path
            let piped = try await shell("cat '\(file)' | \"$ND\" import - --out '\(out)'", timeout: .seconds(30))
            #expect(piped.status == 0, "\(name): \(piped.stderr)")
            #expect(Self.events(out).count == 2, "\(name)")
            let fifo = dir.appendingPathComponent("fifo").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let fed = try await shell("cat '\(file)' > '\(fifo)' & \"$ND\" import '\(fifo)' --out '\(out)' --force; s=$?; wait; exit $s", timeout: .seconds(30))
            #expect(fed.status == 0, "\(name): \(fed.stderr)")
            #expect(Self.events(out).count == 2, "\(name)")
            // /dev/stdin on a pipe is a stream too; --format still reads it once.
            let dev = try await shell("cat '\(file)' | \"$ND\" import /dev/stdin --format \(name == "rows.txt" ? "csv" : "jsonl") --out '\(out)' --force", timeout: .seconds(30))
            #expect(dev.status == 0, "\(name): \(dev.stderr)")
            #expect(Self.events(out).count == 2, "\(name)")
        }
    }

    @Test("a table larger than the bytes read to tell its format streams on whole (the start is not lost)")
    func largeTable() async throws {
        var csv = "title,time\n"
        for i in 0..<5_000 { csv += "Headline number \(i) with some words,2024-01-01T00:\(String(format: "%02d", i / 60 % 60)):\(String(format: "%02d", i % 60))Z\n" }
        #expect(csv.utf8.count > 200_000)
        let (dir, file) = try Self.scratch(csv, "big.txt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.jsonl").path
        let piped = try await shell("cat '\(file)' | \"$ND\" import - --out '\(out)'", timeout: .seconds(60))
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(Self.events(out).count == 5_000)
    }

    @Test("a writer that closes early: a feed cut mid-way keeps the items before the cut; an empty stream is 66; HTML is 65")
    func earlyEnds() async throws {
        let (dir, file) = try Self.scratch(FeedImportBinaryTests.rss, "feed.xml")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.jsonl").path
        let cutAt = FeedImportBinaryTests.rss.utf8.count - 60  // inside the second item
        let cut = try await shell("head -c \(cutAt) '\(file)' | \"$ND\" import - --out '\(out)'", timeout: .seconds(30))
        #expect(cut.status == 0, "\(cut.stderr)")
        #expect(cut.stderr.contains("the feed breaks here") && cut.stderr.contains("the item before it is imported"), "\(cut.stderr)")
        #expect(Self.events(out).count == 1)

        let empty = try await shell(": | \"$ND\" import - --out '\(out)' --force", timeout: .seconds(30))
        #expect(empty.status == 66, "\(empty.stderr)")
        #expect(empty.stderr.contains("standard input: nothing to read"), "\(empty.stderr)")
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let emptyFifo = try await shell(": > '\(fifo)' & \"$ND\" import '\(fifo)' --out '\(out)' --force; s=$?; wait; exit $s", timeout: .seconds(30))
        #expect(emptyFifo.status == 66, "\(emptyFifo.stderr)")

        let page = try await shell("printf '<!DOCTYPE html><html><body>hi</body></html>' | \"$ND\" import - --out '\(out)' --force", timeout: .seconds(30))
        #expect(page.status == 65 && page.stderr.contains("an HTML page, not a feed"), "\(page.stderr)")
    }

    @Test("a feed on standard input larger than 32 MiB is refused as it passes the limit, exit 66, nothing written")
    func tooLarge() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.jsonl").path
        // An RSS start, then 33 MiB of blank space: never a feed that could be read.
        let script = "{ printf '<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>'; head -c 34603008 /dev/zero | tr '\\0' ' '; } | \"$ND\" import - --out '\(out)'"
        let big = try await shell(script, timeout: .seconds(60))
        #expect(big.status == 66, "\(big.stderr)")
        #expect(big.stderr.contains("-: the feed goes on past the limit of 32 MiB"), "\(big.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
