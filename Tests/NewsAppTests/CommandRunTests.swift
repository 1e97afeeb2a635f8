import Foundation
@testable import NewsCore
import Testing
@testable import NewsApp

/// What the executable's commands run, moved here from `Sources/newsdesk` so that it is
/// tested without the binary: suggestions for mistyped commands, output choice, checks of
/// `--filter` and `--fault`, and the record, replay and import runs.
@Suite("Command runs")
struct CommandRunTests {
    static let commands = ["live", "record", "replay", "import"]

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("newsapp-\(UUID().uuidString)-\(name)").path
    }

    static func write(_ text: String, _ name: String) throws -> String {
        let path = temporary(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The exit status `body` throws, or nil if it returns.
    static func status(_ body: () async throws -> Void) async -> Int32? {
        do {
            try await body()
            return nil
        } catch let exit as CommandExit {
            return exit.code
        } catch {
            Issue.record("not a CommandExit: \(error)")
            return -1
        }
    }

    // MARK: suggestions

    @Test("a value that starts with - is joined to its option; flags, other words and what follows -- are left alone")
    func joiningValues() {
        #expect(CommandSuggestion.joiningValues(["--plain", "--duration", "-1h", "--filter", "-sports", "--count", "3"])
            == ["--plain", "--duration=-1h", "--filter=-sports", "--count", "3"])
        #expect(CommandSuggestion.joiningValues(["--plain", "-h"]) == ["--plain", "-h"])
        #expect(CommandSuggestion.joiningValues(["--force", "-h"]) == ["--force", "-h"])
        #expect(CommandSuggestion.joiningValues(["--duration"]) == ["--duration"])
        #expect(CommandSuggestion.joiningValues(["--duration", "--", "-1h"]) == ["--duration", "--", "-1h"])
        #expect(CommandSuggestion.joiningValues(["--", "--duration", "-1h"]) == ["--", "--duration", "-1h"])
    }

    @Test("a mistyped command gets the nearest one; a file gets 'replay'; commands, help and options get nothing")
    func unknownCommand() {
        #expect(CommandSuggestion.unknownCommand("repaly", commands: Self.commands, fileExists: { _ in false })
            == "unknown command 'repaly'; did you mean 'replay'? (commands: live, record, replay, import)")
        #expect(CommandSuggestion.unknownCommand("LIVE", commands: Self.commands, fileExists: { _ in false })
            == "unknown command 'LIVE'; did you mean 'live'? (commands: live, record, replay, import)")
        #expect(CommandSuggestion.unknownCommand("hour.jsonl", commands: Self.commands, fileExists: { $0 == "hour.jsonl" })
            == "unknown command 'hour.jsonl'; to play a recording: newsdesk replay hour.jsonl (commands: live, record, replay, import)")
        #expect(CommandSuggestion.unknownCommand("elsewhere", commands: Self.commands, fileExists: { _ in false })
            == "unknown command 'elsewhere' (commands: live, record, replay, import)")
        for word in Self.commands + ["help", "--plain", "-h"] {
            #expect(CommandSuggestion.unknownCommand(word, commands: Self.commands, fileExists: { _ in true }) == nil, "\(word)")
        }
    }

    @Test("edit distance counts a swap of neighbours as one edit")
    func editDistance() {
        #expect(CommandSuggestion.editDistance("repaly", "replay") == 1)
        #expect(CommandSuggestion.editDistance("kitten", "sitting") == 3)
        #expect(CommandSuggestion.editDistance("", "live") == 4)
        #expect(CommandSuggestion.editDistance("live", "live") == 0)
        #expect(CommandSuggestion.editDistance("rcord", "record") == 1)
    }

    // MARK: output

    @Test("colour: always and never as said; auto only on a terminal, never with NO_COLOR or TERM=dumb")
    func colour() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let plainEnvironment = ["TERM": "xterm-256color"]
        #expect(ColorChoice.always.enabled(for: fds[1], environment: ["NO_COLOR": "1"]))
        #expect(!ColorChoice.never.enabled(for: fds[1], environment: plainEnvironment))
        #expect(!ColorChoice.auto.enabled(for: fds[1], environment: plainEnvironment))  // a pipe
        #expect(ColorChoice.noColorUnset(["NO_COLOR": ""]))
        #expect(!ColorChoice.noColorUnset(["NO_COLOR": "1"]))
        // On a terminal, auto colours unless told not to.
        let terminal: (Int32) -> Bool = { $0 == 7 }
        #expect(ColorChoice.auto.enabled(for: 7, environment: plainEnvironment, isTerminal: terminal))
        #expect(!ColorChoice.auto.enabled(for: 8, environment: plainEnvironment, isTerminal: terminal))
        #expect(!ColorChoice.auto.enabled(for: 7, environment: ["TERM": "xterm", "NO_COLOR": "1"], isTerminal: terminal))
        #expect(ColorChoice.auto.enabled(for: 7, environment: ["TERM": "xterm", "NO_COLOR": ""], isTerminal: terminal))
        #expect(!ColorChoice.auto.enabled(for: 7, environment: ["TERM": "dumb"], isTerminal: terminal))
    }

    @Test("the view opens only on a terminal that can show it; otherwise one line says why")
    func viewChoice() {
        var said: [String] = []
        #expect(!OutputChoice.useView(plain: true, stdoutIsTerminal: true, unavailableReason: { Issue.record("not asked"); return nil }, warn: { said.append($0) }))
        #expect(!OutputChoice.useView(plain: false, stdoutIsTerminal: false, unavailableReason: { Issue.record("not asked"); return nil }, warn: { said.append($0) }))
        #expect(said.isEmpty)
        #expect(!OutputChoice.useView(plain: false, stdoutIsTerminal: true, unavailableReason: { "TERM is not set" }, warn: { said.append($0) }))
        #expect(said == ["TERM is not set; printing lines instead of the view"])
        #expect(OutputChoice.useView(plain: false, stdoutIsTerminal: true, unavailableReason: { nil }, warn: { said.append($0) }))
        #expect(said.count == 1)
    }

    @Test("--speed: max or a finite factor, which must be above 0; the clock it runs a live feed on")
    func speed() {
        #expect(Speed("max") == .max && Speed("MAX") == .max)
        #expect(Speed("0.5") == .factor(0.5) && Speed("-3") == .factor(-3))
        #expect(Speed("fast") == nil && Speed("inf") == nil && Speed("nan") == nil)
        #expect(Speed.factor(10).problem == nil && Speed.max.problem == nil)
        #expect(Speed.factor(0).problem == "--speed must be above 0, not 0 (a factor like 10 or 0.5, or max)")
        #expect(Speed.factor(-0.5).problem == "--speed must be above 0, not -0.5 (a factor like 10 or 0.5, or max)")
        #expect(Speed.factor(1).description == "1" && Speed.factor(0.25).description == "0.25" && Speed.max.description == "max")
        #expect(Speed.max.factor == .infinity && Speed.factor(4).factor == 4)
        #expect(!ClockChoice(Speed.max).paced)
        guard case .scaled(let f) = ClockChoice(Speed.factor(4)) else { Issue.record("not scaled"); return }
        #expect(f == 4)
    }

    // MARK: checks

    @Test("--filter: a caret under the problem, an unknown source named with the known ones")
    func filterProblems() {
        #expect(Filters.problem(nil) == nil)
        #expect(Filters.problem("goal | final -source:tech", sources: ["tech", "sports"]) == nil)
        #expect(Filters.problem("goal source:") == "invalid --filter: 'source:' needs a source name after it, as in source:NAME\n  goal source:\n       ^~~~~~~")
        #expect(Filters.problem("goal source:opera", sources: ["tech", "sports"])
            == "invalid --filter: no source 'opera' (sources: tech, sports)\n  goal source:opera\n       ^~~~~~~~~~~~")
        #expect(Filters.problem("goal source:opera") == nil)  // no sources known ahead: any may come
        #expect(Filters.query(nil).matchesEverything)
        #expect(Filters.query("goal").matches(Headline(id: "1", source: "sports", title: "Late GOAL", published: t0)))
        #expect(!Filters.query("goal").matches(Headline(id: "1", source: "sports", title: "A draw", published: t0)))
    }

    @Test("--fault: known sources and kinds only; the sources it makes misbehave")
    func faults() async throws {
        #expect(SimulatedFeed.faultProblem("sports=fail,world=stall") == nil)
        #expect(SimulatedFeed.faultProblem("opera=fail") == "--fault: there is no source 'opera' (sources: tech, sports, world)")
        #expect(SimulatedFeed.faultProblem("sports=explode")?.hasPrefix("--fault: 'sports=explode' is not source=kind") == true)
        let plain = try SimulatedFeed.sources(seed: 3, start: t0, fault: nil)
        #expect(plain.map(\.name) == ["tech", "sports", "world"])
        #expect(plain.allSatisfy { $0 is SimulatedSource })
        let faulty = try SimulatedFeed.sources(seed: 3, start: t0, fault: "world=stall")
        #expect(faulty[0] is SimulatedSource && faulty[1] is SimulatedSource && faulty[2] is FaultySource)
    }

    // MARK: replay

    @Test("--from: a time or a percentage up to 100")
    func replayStart() {
        #expect(ReplayStart.parse("90s") == .offset(90_000))
        #expect(ReplayStart.parse("1h5m") == .offset(3_900_000))
        #expect(ReplayStart.parse("25%") == .percent(25))
        #expect(ReplayStart.parse("100%") == .percent(100))
        #expect(ReplayStart.parse("101%") == nil)
        #expect(ReplayStart.parse("soon") == nil)
    }

    @Test("opening a replay: missing 66, bad header 65, a terminal as standard input 64; where it starts")
    func replayOpen() async throws {
        #expect(await Self.status { _ = try ReplayRun.open(Self.temporary("missing.jsonl")) } == 66)
        let bad = try Self.write("{\"format\":\"something else\"}\n", "bad.jsonl")
        defer { unlink(bad) }
        #expect(await Self.status { _ = try ReplayRun.open(bad) } == 65)
        #expect(await Self.status { _ = try ReplayRun.open("-", stdinIsTerminal: true) } == 64)
        let path = try writeRecording(offsets: [0, 1000, 4000])
        defer { unlink(path) }
        let (input, header) = try ReplayRun.open(path)
        #expect(header.sources == ["tech"] && input.spool == nil)
        #expect(try ReplayRun.startOffset(nil, input: input, file: path, idleLimit: nil) == 0)
        #expect(try ReplayRun.startOffset("90s", input: input, file: path, idleLimit: nil) == 90_000)
        #expect(try ReplayRun.startOffset("50%", input: input, file: path, idleLimit: nil) == 2000)
        #expect(try ReplayRun.startOffset("50%", input: input, file: path, idleLimit: 1000) == 1000)  // gaps capped: 2 s played
    }

    @Test("replay --plain --strict stops at a malformed line with 65; without --strict it plays on")
    func replayPlainStrict() async throws {
        let good = try String(contentsOfFile: try writeRecording(offsets: [0, 10]), encoding: .utf8)
        let path = try Self.write(good + "{\"offset\":\n", "broken.jsonl")
        defer { unlink(path) }
        let (input, _) = try ReplayRun.open(path)
        func settings(strict: Bool) -> ReplaySettings {
            ReplaySettings(speed: .infinity, loop: false, strict: strict, idleLimit: nil, staleAfter: 30_000, filter: nil, historyCapacity: 100)
        }
        // A query that matches nothing: nothing is printed to the test's output.
        let none = Filters.query("zzzz-no-such-word")
        #expect(await Self.status {
            try await ReplayRun.plain(input, from: 0, settings: settings(strict: true), query: none, limit: .max, color: false, lineBuffered: false)
        } == 65)
        #expect(await Self.status {
            try await ReplayRun.plain(input, from: 0, settings: settings(strict: false), query: none, limit: .max, color: false, lineBuffered: false)
        } == nil)
    }

    // MARK: record

    @Test("record: as many headlines as asked, then the file is closed whole; none for a limit of 0")
    func record() async throws {
        for limit in [0, 1, 300] {
            let path = Self.temporary("rec.jsonl")
            defer { unlink(path) }
            let recorder = try Recorders.open(path: path, force: false, header: RecordingHeader(started: t0, seed: 5, sources: ["tech"]))
            let run = RecordRun(limit: limit, clock: .virtual, options: MergeOptions(), showProgress: false)
            try await run.run(into: recorder) {
                [try SimulatedSource(name: "tech", vocabulary: try Vocabulary.bundled(), seed: 5, start: t0)]
            }
            #expect(recorder.eventsWritten == limit)
            let reader = try RecordingReader(path: path, strict: true)
            var events = 0
            while try reader.next() != nil { events += 1 }
            #expect(events == limit)
        }
    }

    @Test("record: a file that exists is refused with 73 (kept as it was), unless forced")
    func recordExisting() async throws {
        let path = try Self.write("keep me\n", "exists.jsonl")
        defer { unlink(path) }
        let header = RecordingHeader(started: t0, sources: ["tech"])
        #expect(await Self.status { _ = try Recorders.open(path: path, force: false, header: header) } == 73)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me\n")
        let forced = try Recorders.open(path: path, force: true, header: header)
        try forced.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("{\"format\":\"newsdesk-recording\""))
    }

    @Test("record: a source failing to start is exit 1, with the recording closed")
    func recordFailure() async throws {
        struct Broken: Error {}
        let path = Self.temporary("fail.jsonl")
        defer { unlink(path) }
        let recorder = try Recorders.open(path: path, force: false, header: RecordingHeader(started: t0, sources: ["tech"]))
        let run = RecordRun(limit: 10, clock: .virtual, options: MergeOptions(), showProgress: false)
        #expect(await Self.status { try await run.run(into: recorder) { throw Broken() } } == 1)
        #expect(try RecordingReader(path: path).header.sources == ["tech"])
    }

    // MARK: import

    @Test("import's exit status for each failure")
    func importStatus() {
        #expect(ImportRun.exitStatus(.usage("x")) == 64)
        #expect(ImportRun.exitStatus(.input(FileError(path: "a", reason: "b"))) == 66)
        #expect(ImportRun.exitStatus(.malformed(LineProblem(path: "a", line: 1, reason: "b"))) == 65)
        #expect(ImportRun.exitStatus(.output(FileError(path: "a", reason: "b"))) == 73)
        #expect(ImportRun.exitStatus(.interrupted) == 130)
    }

    @Test("import's report: problems (20 at most), then what was imported, skipped and left out; nothing imported is 65")
    func importReport() {
        var summary = ImportSummary()
        summary.imported = 1234
        summary.duration = 600_000
        #expect(ImportRun.report(summary, input: "in.csv", out: "out.jsonl") == (["imported 1,234 headlines into out.jsonl, spanning 10m00s"], 0))
        summary.skipped = 25
        summary.filteredOut = 3
        summary.problems = (1...25).map { LineProblem(path: "in.csv", line: $0 + 1, reason: "missing title") }
        let (lines, status) = ImportRun.report(summary, input: "in.csv", out: "out.jsonl")
        #expect(status == 0)
        #expect(lines.count == 22)
        #expect(lines.first == "in.csv:2: missing title")
        #expect(lines[20] == "... and 5 more")
        #expect(lines.last == "imported 1,234 headlines into out.jsonl, spanning 10m00s; skipped 25 malformed rows; left out 3 by --only")
        var none = ImportSummary()
        none.skipped = 1
        none.problems = [LineProblem(path: "in.csv", line: 2, reason: "empty title")]
        #expect(ImportRun.report(none, input: "in.csv", out: "out.jsonl")
            == (["in.csv:2: empty title", "nothing imported from in.csv; out.jsonl was not written (1 malformed row)"], 65))
    }

    @Test("--rename-source: pairs, or nothing")
    func renames() {
        #expect(ImportRun.parseRenames("sport=sports, sci_tech = tech") == ["sport": "sports", "sci_tech": "tech"])
        #expect(ImportRun.parseRenames("sport") == nil)
        #expect(ImportRun.parseRenames("=x") == nil)
        #expect(ImportRun.parseRenames("") == nil)
    }

    @Test("import: a CSV to a recording; nothing importable is 65 and writes nothing; a usage problem 64")
    func importRun() async throws {
        let csv = try Self.write("time,title,link\n2026-01-01T09:00:05Z,Second,https://x/2\n2026-01-01T09:00:00Z,First,\n", "in.csv")
        defer { unlink(csv) }
        let out = Self.temporary("out.jsonl")
        defer { unlink(out) }
        try await ImportRun.run(ImportOptions(input: csv, output: out, format: .csv))
        let reader = try RecordingReader(path: out, strict: true)
        var titles: [String] = [], urls: [String?] = []
        while let event = try reader.next() {
            titles.append(event.arrival.headline.title)
            urls.append(event.arrival.headline.url)
        }
        #expect(titles == ["First", "Second"])
        #expect(urls == [nil, "https://x/2"])

        let empty = try Self.write("time,title\n2026-01-01T09:00:05Z,\n", "empty.csv")
        defer { unlink(empty) }
        let nothing = Self.temporary("nothing.jsonl")
        #expect(await Self.status { try await ImportRun.run(ImportOptions(input: empty, output: nothing, format: .csv)) } == 65)
        #expect(!FileManager.default.fileExists(atPath: nothing))
        var numbered = ImportOptions(input: csv, output: nothing, format: .csv)
        numbered.title = .column(9)
        #expect(await Self.status { try await ImportRun.run(numbered) } == 64)
        #expect(!FileManager.default.fileExists(atPath: nothing))
    }
}
