import Foundation
import NewsCore
import Testing

/// Issue 13's store commands in the real binary: export, search, feeds forget, import --store.
@Suite("Store commands: the binary", .timeLimit(.minutes(3)))
struct StoreCommandsBinaryTests {
    /// A CSV of (title, ISO time, source) rows.
    func csv(_ rows: [(String, String, String)]) -> String {
        "title,time,source\n" + rows.map { "\"\($0.0)\",\($0.1),\($0.2)" }.joined(separator: "\n") + "\n"
    }

    /// A store at `dir/store.db` filled from `rows` through `import --store`.
    func filledStore(_ dir: URL, _ rows: [(String, String, String)]) async throws -> String {
        let input = dir.appendingPathComponent("rows-\(UUID().uuidString.prefix(6)).csv")
        try csv(rows).write(to: input, atomically: true, encoding: .utf8)
        let store = dir.appendingPathComponent("store.db").path
        let result = try await newsdesk("import", input.path, "--store", store)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\(rows.count) new"), "\(result.stderr)")
        return store
    }

    let news = [
        ("Rates rise again", "2026-01-01T09:00:00Z", "bbc"),
        ("Central bank cuts rates", "2026-01-01T09:00:30Z", "cnn"),
        ("Rate cut expected", "2026-01-01T09:01:00Z", "bbc"),
        ("Football final tonight", "2026-01-01T09:02:00Z", "espn"),
    ]

    @Test("export writes the store oldest first as a recording that replay plays as the same headlines, with their gaps; --out - is the same bytes; an existing --out needs --force")
    func exportReplayRoundTrip() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try await filledStore(dir, news)
        let out = dir.appendingPathComponent("export.jsonl").path
        let export = try await newsdesk("export", "--out", out, "--store", store)
        #expect(export.status == 0 && export.stderr.contains("exported 4 headlines"), "\(export.stderr)")
        let replay = try await newsdesk("replay", out, "--plain", "--speed", "max")
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.lines == ["[09:00:00] Bbc: Rates rise again", "[09:00:30] Cnn: Central bank cuts rates",
                                 "[09:01:00] Bbc: Rate cut expected", "[09:02:00] Espn: Football final tonight"], "\(replay.lines)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        let offsets = text.split(separator: "\n").dropFirst().compactMap { line -> Int? in
            guard let range = line.range(of: "\"offset\":") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        #expect(offsets == [0, 30_000, 60_000, 120_000], "\(offsets)")
        let piped = try await newsdesk("export", "--out", "-", "--store", store)
        #expect(piped.status == 0 && piped.stdout == text)
        let again = try await newsdesk("export", "--out", out, "--store", store)
        #expect(again.status == 73 && again.stderr.contains("--force"), "\(again.status) \(again.stderr)")
        let forced = try await newsdesk("export", "--out", out, "--store", store, "--force", "--filter", "source:espn")
        #expect(forced.status == 0)
        #expect(try await newsdesk("replay", out, "--plain", "--speed", "max").lines == ["[09:02:00] Espn: Football final tonight"])
    }

    @Test("export --since keeps what was published that recently, --filter what matches; nothing selected is exit 1 and no file")
    func exportSinceAndFilter() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let now = Date().timeIntervalSince1970
        func ago(_ seconds: Double) -> String { ISOTime.format(Timestamp(seconds: now - seconds)) }
        let store = try await filledStore(dir, [("Old kernel news", ago(3 * 86_400), "lwn"), ("Kernel release today", ago(7200), "lwn"),
                                                ("Fresh football", ago(3600), "espn")])
        func exported(_ options: String...) async throws -> (Int32, [String]) {
            let out = dir.appendingPathComponent("\(UUID().uuidString.prefix(6)).jsonl").path
            let result = try await run(newsdeskBinary, ["export", "--out", out, "--store", store] + options)
            guard result.status == 0 else {
                #expect(!FileManager.default.fileExists(atPath: out), "a file was written for nothing")
                return (result.status, [])
            }
            let replay = try await newsdesk("replay", out, "--plain", "--speed", "max")
            return (0, replay.lines.map { String($0.drop { $0 != " " }.dropFirst()) })
        }
        #expect(try await exported() == (0, ["Lwn: Old kernel news", "Lwn: Kernel release today", "Espn: Fresh football"]))
        #expect(try await exported("--since", "2d") == (0, ["Lwn: Kernel release today", "Espn: Fresh football"]))
        #expect(try await exported("--since", "2d", "--filter", "kernel") == (0, ["Lwn: Kernel release today"]))
        #expect(try await exported("--filter", "kernel -release") == (0, ["Lwn: Old kernel news"]))
        #expect(try await exported("--since", "30m").0 == 1)
        let bad = try await newsdesk("export", "--out", dir.appendingPathComponent("x").path, "--store", store, "--filter", "a |")
        #expect(bad.status == 64 && bad.stderr.contains("^"), "\(bad.stderr)")
    }

    @Test("search finds by word prefix, newest first, with the query's phrase, NOT, OR and source: semantics; no match is exit 1, a bad query 64")
    func searchSemantics() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try await filledStore(dir, news)
        func titles(_ words: String...) async throws -> (Int32, [String]) {
            let result = try await run(newsdeskBinary, ["search", "--store", store] + words)
            return (result.status, result.lines.map { String($0.drop { $0 != " " }.dropFirst()) })
        }
        #expect(try await titles("rat") == (0, ["Bbc: Rate cut expected", "Cnn: Central bank cuts rates", "Bbc: Rates rise again"]))
        #expect(try await titles("RATES") == (0, ["Cnn: Central bank cuts rates", "Bbc: Rates rise again"]))
        #expect(try await titles("\"rate cut\"") == (0, ["Bbc: Rate cut expected"]))
        #expect(try await titles("rates", "-bank") == (0, ["Bbc: Rates rise again"]))
        #expect(try await titles("source:bbc") == (0, ["Bbc: Rate cut expected", "Bbc: Rates rise again"]))
        #expect(try await titles("final | bank") == (0, ["Espn: Football final tonight", "Cnn: Central bank cuts rates"]))
        #expect(try await titles("-rat") == (0, ["Espn: Football final tonight"]))
        #expect(try await titles("rat", "--limit", "1") == (0, ["Bbc: Rate cut expected"]))
        // The index narrows by word starts: a word's middle is not found.
        #expect(try await titles("ates").0 == 1)
        let none = try await newsdesk("search", "--store", store, "zebra")
        #expect(none.status == 1 && none.stdout.isEmpty && none.stderr.isEmpty, "\(none)")
        let bad = try await newsdesk("search", "--store", store, "rates |")
        #expect(bad.status == 64 && bad.stderr.contains("invalid query") && bad.stderr.contains("^"), "\(bad.stderr)")
    }

    @Test("feeds forget removes a feed's history and says how many went; an unknown feed is exit 1 naming the feeds")
    func feedsForget() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try await filledStore(dir, news)
        let forget = try await newsdesk("feeds", "forget", "bbc", "--store", store)
        #expect(forget.status == 0 && forget.lines == ["forgot bbc: 2 headlines and its feed state"], "\(forget)")
        #expect(try await sqlite(store, "SELECT title FROM items ORDER BY published") == ["Central bank cuts rates", "Football final tonight"])
        #expect(try await newsdesk("search", "--store", store, "source:bbc").status == 1)
        let unknown = try await newsdesk("feeds", "forget", "bbc", "--store", store)
        #expect(unknown.status == 1 && unknown.stderr.contains("no feed 'bbc'") && unknown.stderr.contains("cnn, espn"), "\(unknown.stderr)")
    }

    @Test("import --store adds a CSV (and with --out writes the recording too) or a recording as it is, saying how many were new; search then finds the rows")
    func importIntoStore() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("news.csv")
        try csv(news).write(to: input, atomically: true, encoding: .utf8)
        let store = dir.appendingPathComponent("a.db").path
        let recording = dir.appendingPathComponent("news.jsonl").path
        let both = try await newsdesk("import", input.path, "--store", store, "--out", recording)
        #expect(both.status == 0 && both.stderr.contains("stored 4 headlines") && both.stderr.contains("4 new"), "\(both.stderr)")
        #expect(try await newsdesk("replay", recording, "--plain", "--speed", "max").lines.count == 4)
        #expect(try await newsdesk("search", "--store", store, "football").lines == ["[09:02:00] Espn: Football final tonight"])
        let again = try await newsdesk("import", input.path, "--store", store)
        #expect(again.status == 0 && again.stderr.contains("0 new, 4 already there"), "\(again.stderr)")

        let other = dir.appendingPathComponent("b.db").path
        let fromRecording = try await newsdesk("import", recording, "--store", other)
        #expect(fromRecording.status == 0 && fromRecording.stderr.contains("4 new"), "\(fromRecording.stderr)")
        #expect(try await newsdesk("search", "--store", other, "rate").lines.count == 3)
        let neither = try await newsdesk("import", input.path)
        #expect(neither.status == 64 && neither.stderr.contains("--store"), "\(neither.stderr)")
    }

    @Test("A store that does not exist is 66 for export, search and feeds forget, and none is made; a corrupt store is 74 naming the file")
    func missingAndCorruptStores() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("none.db").path
        let out = dir.appendingPathComponent("out.jsonl").path
        let export = try await newsdesk("export", "--out", out, "--store", missing)
        #expect(export.status == 66 && export.stderr.contains(missing), "\(export.stderr)")
        #expect(try await newsdesk("search", "--store", missing, "x").status == 66)
        #expect(try await newsdesk("feeds", "forget", "x", "--store", missing).status == 66)
        let data = dir.appendingPathComponent("data")
        let byDefault = try await run(newsdeskBinary, ["export", "--out", out], environment: ["XDG_DATA_HOME": data.path])
        #expect(byDefault.status == 66)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [], "something was created")

        let garbage = dir.appendingPathComponent("garbage.db")
        try Data(repeating: 0x41, count: 8192).write(to: garbage)
        for arguments in [["export", "--out", out], ["search", "x"], ["feeds", "forget", "x"]] {
            let result = try await run(newsdeskBinary, arguments + ["--store", garbage.path])
            #expect(result.status == 74 && result.stderr.contains(garbage.path) && result.stderr.contains("damaged"), "\(arguments): \(result.status) \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
