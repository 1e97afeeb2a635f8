import Foundation
import NewsCore
import Testing

/// Runs the sqlite3 shell on `database` (what the binary left, read by another program).
func sqlite(_ database: String, _ sql: String) async throws -> [String] {
    let result = try await run("/usr/bin/env", ["sqlite3", database, sql], timeout: .seconds(30))
    #expect(result.status == 0, "sqlite3: \(result.stderr)")
    return result.lines
}

/// Issue 13's store in the real binary: what is kept, what is printed, and what survives.
@Suite("The store: the binary", .timeLimit(.minutes(3)))
struct StoreBinaryTests {
    @Test("A feed is stored in $XDG_DATA_HOME/newsdesk/newsdesk.db; --plain prints only what the store had not seen, --all every one, --no-store keeps nothing")
    func plainPrintsOnlyNewHeadlines() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let feed = dir.appendingPathComponent("news.xml")
        try rssFeed([("a", "First story", 1), ("b", "Second story", 2)], title: "News").write(to: feed, atomically: true, encoding: .utf8)
        let env = ["XDG_DATA_HOME": dir.appendingPathComponent("data").path]
        let database = dir.appendingPathComponent("data/newsdesk/newsdesk.db").path
        let first = try await run(newsdeskBinary, ["--plain", "--feed", feed.path, "--duration", "1s"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.lines == ["[10:00:00] News: First story", "[10:00:00] News: Second story"], "\(first.lines)")
        #expect(try await sqlite(database, "SELECT item_id, title FROM items ORDER BY published") == ["a|First story", "b|Second story"])

        // The feed gains an item: only it is news to the store.
        try rssFeed([("a", "First story", 1), ("b", "Second story", 2), ("c", "Third story", 3)], title: "News")
            .write(to: feed, atomically: true, encoding: .utf8)
        let second = try await run(newsdeskBinary, ["--plain", "--feed", feed.path, "--duration", "1s"], environment: env)
        #expect(second.status == 0 && second.lines == ["[10:00:00] News: Third story"], "\(second.lines) \(second.stderr)")
        let again = try await run(newsdeskBinary, ["--plain", "--feed", feed.path, "--duration", "1s"], environment: env)
        #expect(again.status == 0 && again.lines.isEmpty, "\(again.lines)")
        let all = try await run(newsdeskBinary, ["--plain", "--feed", feed.path, "--duration", "1s", "--all"], environment: env)
        #expect(all.lines.count == 3, "\(all.lines)")

        let other = dir.appendingPathComponent("other.xml")
        try rssFeed([("z", "Elsewhere", 4)], title: "Other").write(to: other, atomically: true, encoding: .utf8)
        let unstored = try await run(newsdeskBinary, ["--plain", "--feed", other.path, "--duration", "1s", "--no-store"], environment: env)
        #expect(unstored.lines == ["[10:00:00] Other: Elsewhere"], "\(unstored.lines)")
        #expect(try await sqlite(database, "SELECT count(*) FROM items") == ["3"])
    }

    @Test("The simulated sources are stored only with --store, under ids that carry the seed and start: two runs never collide")
    func simulatedOnlyWithStore() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data")
        let demo = try await run(newsdeskBinary, ["--plain", "--speed", "max", "--count", "5"], environment: ["XDG_DATA_HOME": data.path])
        #expect(demo.status == 0 && demo.lines.count == 5)
        #expect(!FileManager.default.fileExists(atPath: data.path + "/newsdesk/newsdesk.db"), "a demo filled the archive")

        let store = dir.appendingPathComponent("demo.db").path
        for seed in ["1", "2"] {
            let result = try await newsdesk("--plain", "--speed", "max", "--count", "5", "--seed", seed,
                                            "--start-time", "2026-01-01T09:00:00Z", "--store", store)
            #expect(result.status == 0 && result.lines.count == 5, "\(result.stderr)")
        }
        let ids = try await sqlite(store, "SELECT item_id FROM items WHERE item_id LIKE 'tech-%-1' ORDER BY item_id")
        #expect(ids == ["tech-1-1767258000000-1", "tech-2-1767258000000-1"], "\(ids)")
        // The same seed and start again is the same feed: nothing in it is news.
        let same = try await newsdesk("--plain", "--speed", "max", "--count", "5", "--seed", "1", "--duration", "20s",
                                      "--start-time", "2026-01-01T09:00:00Z", "--store", store)
        #expect(same.status == 0 && same.lines.isEmpty, "\(same.lines)")
    }

    @Test("A store that cannot be opened or is not a database stops --plain with 73 or 74 and a line naming the file; --store with --no-store is 64")
    func storeErrors() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let blocker = dir.appendingPathComponent("file")
        try "not a folder".write(to: blocker, atomically: true, encoding: .utf8)
        let unopenable = try await newsdesk("--plain", "--count", "1", "--speed", "max", "--store", blocker.path + "/newsdesk.db")
        #expect(unopenable.status == 73 && unopenable.stderr.contains(blocker.path), "\(unopenable.status) \(unopenable.stderr)")
        let garbage = dir.appendingPathComponent("garbage.db")
        try Data(repeating: 0x41, count: 8192).write(to: garbage)
        let corrupt = try await newsdesk("--plain", "--count", "1", "--speed", "max", "--store", garbage.path)
        #expect(corrupt.status == 74 && corrupt.stderr.contains(garbage.path), "\(corrupt.status) \(corrupt.stderr)")
        #expect(corrupt.stdout.isEmpty)
        let both = try await newsdesk("--plain", "--store", garbage.path, "--no-store")
        #expect(both.status == 64 && both.stderr.contains("--no-store"), "\(both.stderr)")
        // Not a file: a folder, a FIFO, standard input.
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for (path, what) in [(dir.path, "a folder"), (fifo, "a FIFO")] {
            let notAFile = try await newsdesk("--plain", "--count", "1", "--speed", "max", "--store", path)
            #expect(notAFile.status == 73 && notAFile.stderr.contains("\(what), not a store file"), "\(notAFile.status) \(notAFile.stderr)")
        }
        let dash = try await newsdesk("--plain", "--count", "1", "--store", "-")
        #expect(dash.status == 64 && dash.stderr.contains("--store -"), "\(dash.stderr)")
        let keep = try await newsdesk("--plain", "--keep", "soon")
        #expect(keep.status == 64 && keep.stderr.contains("--keep"), "\(keep.stderr)")
    }

    @Test("kill -9 while headlines pour in: the store passes integrity_check and holds every headline that was printed")
    func killNineLosesNothingShown() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("s.db").path, out = dir.appendingPathComponent("out.txt").path
        // At --speed max the sources write as fast as the store commits; SIGKILL gives no chance to tidy up.
        let result = try await run("/bin/sh", ["-c", #"exec "$ND" --plain --line-buffered --speed max --seed 9 --store "$S" > "$O""#],
                                   environment: ["ND": newsdeskBinary, "S": store, "O": out], timeout: .seconds(90),
                                   interruptWhen: fileHasLines(out, atLeast: 3000), signal: SIGKILL)
        #expect(result.status == 128 + SIGKILL)
        #expect(try await sqlite(store, "PRAGMA integrity_check") == ["ok"])
        let printed = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
            guard let bracket = line.firstIndex(of: "]"), let colon = line[bracket...].range(of: ": ") else { return nil }
            return String(line[colon.upperBound...])
        }
        #expect(printed.count >= 3000)
        let stored = Set(try await sqlite(store, "SELECT title FROM items"))
        let missing = printed.filter { !stored.contains($0) }
        #expect(missing.isEmpty, "\(missing.count) printed headlines are not in the store, e.g. \(missing.prefix(3))")
    }

    @Test("Two processes writing one store at once both run to the end: no 'database is locked'")
    func twoWritersAtOnce() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("shared.db").path
        // Into files, not this process's pipes: a test process starved by the suite's CPU-bound
        // tests would otherwise stop reading, and the writers block on full pipes, not on the store.
        let a = dir.appendingPathComponent("a.txt").path, b = dir.appendingPathComponent("b.txt").path
        let result = try await run("/bin/sh", ["-c", #"""
            "$ND" --plain --speed max --seed 1 --count 4000 --store "$S" > "$A" & first=$!
            "$ND" --plain --speed max --seed 2 --count 4000 --store "$S" > "$B"; second=$?
            wait $first; echo "statuses $? $second"
            """#], environment: ["ND": newsdeskBinary, "S": store, "A": a, "B": b], timeout: .seconds(120))
        #expect(result.lines == ["statuses 0 0"], "\(result.stdout) \(result.stderr)")
        #expect(!result.stderr.contains("locked"), "\(result.stderr)")
        for file in [a, b] {
            #expect(try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").count == 4000)
        }
        let count = Int(try await sqlite(store, "SELECT count(*) FROM items").first ?? "") ?? 0
        #expect(count >= 8000, "\(count)")
        #expect(try await sqlite(store, "PRAGMA integrity_check") == ["ok"])
    }

    @Test("A store that fills the disk (a file-size limit) stops --plain with 74 and a line saying so, and the store stays sound")
    func fullDisk() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("small.db").path
        let result = try await run("/bin/sh", ["-c", #"ulimit -f 256; exec "$ND" --plain --speed max --store "$S" > /dev/null"#],
                                   environment: ["ND": newsdeskBinary, "S": store], timeout: .seconds(90))
        #expect(result.status == 74, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains(store) && result.stderr.contains("disk may be full"), "\(result.stderr)")
        #expect(try await sqlite(store, "PRAGMA integrity_check") == ["ok"])
    }
}
