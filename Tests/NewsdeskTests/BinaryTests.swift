import Foundation
import NewsCore
import Subprocess
import SystemPackage
import Testing

/// The built `newsdesk` binary: `$NEWSDESK_BIN` (set by `make test`), else the debug build.
let newsdeskBinary: String = {
    // Every run of the binary, here and in tmux, keeps its feed states in a folder of the
    // tests' own, never in the person's ~/.local/state.
    setenv("XDG_STATE_HOME", testStateHome, 1)
    // Nor reads the person's config file (~/.config/newsdesk/config.toml): an empty folder.
    setenv("XDG_CONFIG_HOME", testStateHome + "/config", 1)
    if let path = ProcessInfo.processInfo.environment["NEWSDESK_BIN"], !path.isEmpty { return path }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/newsdesk").path
}()

/// A new, empty folder for one run's XDG_DATA_HOME (see ``run(_:_:environment:timeout:interruptAfter:interruptWhen:signal:sourceLocation:)``).
func freshDataHome() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newsdesk-data-\(getpid())/\(UUID().uuidString.prefix(12))").path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// XDG_STATE_HOME for the binaries the tests run (see ``newsdeskBinary``).
let testStateHome: String = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newsdesk-state-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}()

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

/// Sanitized binaries (`make sanitize`) start and run several times slower: waits that
/// let a run get going before it is interrupted are stretched by this much.
let sanitizerSlowdown: Int = ProcessInfo.processInfo.environment["NEWSDESK_SANITIZED"] == nil ? 1 : 6

/// Runs a command with a time limit (a run that outlives it is killed and fails the
/// test). With `interruptAfter`, SIGINT is sent that long after the start; with
/// `interruptWhen`, once the condition holds (polled every 20 ms), so that a slow start
/// on a loaded machine cannot make the test fail.
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
         timeout: Duration = .seconds(60), interruptAfter: Duration? = nil,
         interruptWhen: (@Sendable () -> Bool)? = nil, signal: Int32 = SIGINT,
         sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunResult {
    // Each run keeps its store (issue 13) in a folder of its own, never in the person's
    // ~/.local/share, and never one another test's run filled: a feed seen by one run is
    // not news to the next. A test that wants a store shared by runs names it.
    var env: [Environment.Key: String?] = ["TZ": "UTC", "NO_COLOR": nil, "XDG_DATA_HOME": freshDataHome()]
    for (k, v) in environment { env[Environment.Key(stringLiteral: k)] = v }
    let config = Configuration(executable: .path(FilePath(executable)), arguments: Arguments(arguments), environment: .inherit.updating(env))
    return try await withThrowingTaskGroup(of: RunResult?.self) { group in
        group.addTask {
            let result = try await Subprocess.run(
                config, input: .none, output: .string(limit: 256 << 20), error: .string(limit: 1 << 20)
            ) { execution in
                if let interruptWhen {
                    while !interruptWhen() { try await Task.sleep(for: .milliseconds(20)) }
                    try execution.send(signal: Signal(rawValue: signal))
                } else if let interruptAfter {
                    try await Task.sleep(for: interruptAfter * sanitizerSlowdown)
                    try execution.send(signal: Signal(rawValue: signal))
                }
            }
            let status: Int32
            switch result.terminationStatus {
            case .exited(let code): status = code
            case .signaled(let signal): status = 128 + signal
            }
            return RunResult(status: status, stdout: result.standardOutput, stderr: result.standardError)
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        let first = try await group.next()!
        group.cancelAll()
        guard let result = first else {
            Issue.record("\(executable) \(arguments) did not finish within \(timeout)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return result
    }
}

/// Whether `path` holds at least `count` whole lines (a condition for `interruptWhen`).
func fileHasLines(_ path: String, atLeast count: Int) -> @Sendable () -> Bool {
    {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } >= count
    }
}

func newsdesk(_ arguments: String..., environment: [String: String] = [:]) async throws -> RunResult {
    try await run(newsdeskBinary, arguments, environment: environment)
}

@Suite("The newsdesk binary", .timeLimit(.minutes(1)))
struct BinaryTests {
    let start = "2026-01-01T09:00:00Z"

    @Test("--plain --seed 1 --speed max --count 50 --filter prints exactly the expected lines")
    func plainLines() async throws {
        let result = try await newsdesk("--plain", "--seed", "1", "--speed", "max", "--count", "50",
                                  "--filter", "breaking | update", "--start-time", start)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let lines = result.lines
        #expect(lines.count == 50)
        // The same pipeline, computed here through NewsCore, line by line.
        setenv("TZ", "UTC", 1)
        tzset()
        let sources = try SimulatedSource.defaults(vocabulary: try Vocabulary.bundled(), seed: 1,
                                                   start: Timestamp(milliseconds: 1_767_258_000_000))
        let query = try Query.parse("breaking | update")
        var formatter = PlainFormatter()
        let expected = try await withMergedFeed(sources: sources, clock: VirtualClock()) { feed in
            var out: [String] = []
            loop: for try await event in feed {
                guard case .headlines(let batch) = event else { continue }
                for arrival in batch where query.matches(arrival.headline) {
                    out.append(formatter.line(for: arrival.headline))
                    if out.count == 50 { break loop }
                }
            }
            return out
        }
        #expect(lines == expected)
        let pattern = #/^\[(\d\d):(\d\d):(\d\d)\] (Tech|Sports|World): .+$/#
        var previous = ""
        for line in lines {
            let match = try #require(line.wholeMatch(of: pattern), "\(line)")
            #expect(line.lowercased().contains("breaking") || line.lowercased().contains("update"))
            let time = "\(match.1)\(match.2)\(match.3)"
            #expect(time >= previous)
            previous = time
        }
        #expect(Set(lines.map { $0.split(separator: " ")[1] }) == ["Tech:", "Sports:", "World:"])
        // Reproducible run to run.
        let again = try await newsdesk("--plain", "--seed", "1", "--speed", "max", "--count", "50",
                                 "--filter", "breaking | update", "--start-time", start)
        #expect(again.stdout == result.stdout)
    }

    @Test("| head -1 ends cleanly: exit 0, nothing on stderr, no hang")
    func closedPipe() async throws {
        let result = try await run("/bin/bash", ["-c", "\"$0\" --plain --speed max | head -1; echo \"status=${PIPESTATUS[0]}\"", newsdeskBinary])
        let lines = result.lines
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("[") == true)
        #expect(lines.last == "status=0")
        #expect(result.stderr == "")
    }

    @Test("a meaningless --filter is exit 64 with a message that points at the problem")
    func badFilter() async throws {
        let result = try await newsdesk("--plain", "--filter", "goal source:")
        #expect(result.status == 64)
        #expect(result.stderr.contains("invalid --filter: 'source:' needs a source name after it"))
        #expect(result.stderr.contains("  goal source:\n       ^~~~~~"))
        #expect(result.stdout == "")
    }

    @Test("bad options are exit 64 with a clear message", arguments: [
        ["--speed", "0"], ["--speed", "fast"], ["--count", "-1"], ["--history", "0"], ["--start-time", "yesterday"],
        ["--duration", "-3"], ["--color", "sometimes"], ["--bogus"],
    ])
    func badOptions(_ arguments: [String]) async throws {
        let result = try await run(newsdeskBinary, ["--plain"] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains("Error:"))
    }

    @Test("a source: that names no known source is exit 64 listing the sources: live, and replay (from the header)")
    func unknownSource() async throws {
        let live = try await newsdesk("--plain", "--speed", "max", "--count", "5", "--filter", "goal source:foo")
        #expect(live.status == 64)
        #expect(live.stderr.contains("invalid --filter: no source 'foo' (sources: tech, sports, world)"))
        #expect(live.stderr.contains("  goal source:foo\n       ^~~~~~~~~"))
        #expect(live.stdout == "")
        let prefix = try await newsdesk("--plain", "--speed", "max", "--count", "5", "--filter", "src:SP")
        #expect(prefix.status == 0 && prefix.lines.count == 5)
        #expect(prefix.lines.allSatisfy { $0.contains("] Sports: ") })
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("wire.jsonl").path
        try """
            {"format":"newsdesk-recording","version":1,"started":"2026-01-01T09:00:00.000Z","sources":["wire","weather"]}
            {"offset":10,"id":"w-1","source":"wire","title":"Rates held","published":"2026-01-01T09:00:00.010Z"}
            {"offset":20,"id":"w-2","source":"weather","title":"Storm ahead","published":"2026-01-01T09:00:00.020Z"}

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let replay = try await newsdesk("replay", file, "--plain", "--speed", "max", "--filter", "source:tech")
        #expect(replay.status == 64)
        #expect(replay.stderr.contains("invalid --filter: no source 'tech' (sources: wire, weather)"))
        #expect(replay.stdout == "")
        let known = try await newsdesk("replay", file, "--plain", "--speed", "max", "--filter", "src:wea")
        #expect(known.status == 0)
        #expect(known.lines.count == 1 && known.lines[0].hasSuffix("Storm ahead"))
    }

    @Test("--help and --version")
    func helpAndVersion() async throws {
        let help = try await newsdesk("--help")
        #expect(help.status == 0)
        for text in ["USAGE: newsdesk <subcommand>", "live (default)", "record", "replay", "import", "Exit status"] {
            #expect(help.stdout.contains(text), "\(text)")
        }
        let live = try await newsdesk("live", "--help")
        for text in ["USAGE: newsdesk live", "--plain", "--filter <query>", "--seed", "--speed <factor|max>", "--count", "--duration", "--record <file>"] {
            #expect(live.stdout.contains(text), "\(text)")
        }
        for (command, texts) in [("record", ["--out <file>", "--force"]), ("replay", ["<file>", "--idle-limit", "--loop", "--from", "--strict"]),
                                 ("import", ["--title", "--time-format", "--rename-source", "--only", "--interval", "--no-header"])] {
            let sub = try await newsdesk(command, "--help")
            #expect(sub.status == 0)
            for text in texts { #expect(sub.stdout.contains(text), "\(command): \(text)") }
        }
        let version = try await newsdesk("--version")
        #expect(version.status == 0)
        #expect(version.stdout.wholeMatch(of: #/newsdesk \d+\.\d+\.\d+\n/#) != nil)
    }

    @Test("no colour or escape codes in a pipe or with NO_COLOR; colour only when asked")
    func colour() async throws {
        let plain = try await newsdesk("--plain", "--speed", "max", "--count", "20")
        #expect(!plain.stdout.contains("\u{1B}"))
        let noColor = try await newsdesk("--plain", "--speed", "max", "--count", "20", "--color", "auto", environment: ["NO_COLOR": "1"])
        #expect(!noColor.stdout.contains("\u{1B}"))
        let forced = try await newsdesk("--plain", "--speed", "max", "--count", "20", "--color", "always")
        #expect(forced.stdout.contains("\u{1B}[36mTech\u{1B}[0m: ") || forced.stdout.contains("\u{1B}[32mSports"))
    }

    @Test("--duration stops after that much feed time")
    func duration() async throws {
        let result = try await newsdesk("--plain", "--speed", "max", "--duration", "60", "--seed", "3", "--start-time", start)
        #expect(result.status == 0)
        #expect(!result.lines.isEmpty)
        // Sources send roughly 1.2 headlines a second together.
        #expect((50...100).contains(result.lines.count), "\(result.lines.count) lines")
        #expect(result.lines.allSatisfy { $0.hasPrefix("[09:00:") || $0.hasPrefix("[09:01:00]") })
    }

    @Test("Ctrl-C ends a live run cleanly with status 130, output flushed")
    func interrupt() async throws {
        // Let a few headlines through (about 25 a second at speed 20), then interrupt: once
        // the recording (which gets every headline the printer gets) holds three.
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("seen.jsonl").path
        let result = try await run(newsdeskBinary, ["--plain", "--speed", "20", "--seed", "2", "--record", file], timeout: .seconds(30),
                                   interruptWhen: fileHasLines(file, atLeast: 4))
        #expect(result.status == 130)
        #expect(result.lines.count >= 3)
        #expect(result.lines.allSatisfy { $0.hasPrefix("[") && $0.contains(": ") })
    }
}

@Suite("Source faults with the real binary", .timeLimit(.minutes(1)))
struct FaultBinaryTests {
    @Test("a failing source is retried with backoff and a stalled one is left behind; the healthy one keeps its rate")
    func failAndStall() async throws {
        // 120 s of feed at ×20: 6 s. Sports fails after 20 headlines and is retried after
        // 1, 2 and 4 s (real time); world stops after 5; tech is untouched.
        let result = try await newsdesk("--plain", "--seed", "2", "--speed", "20", "--duration", "120",
                                        "--fault", "sports=fail,world=stall", "--start-time", "2026-01-01T09:00:00Z")
        #expect(result.status == 0)
        let warnings = result.stderr.split(separator: "\n").map(String.init)
        #expect(warnings.first == "newsdesk: source 'sports' failed: connection reset by peer; retrying in 1s")
        #expect(warnings.contains("newsdesk: source 'sports' failed: connection refused; retrying in 2s"))
        #expect(warnings.contains("newsdesk: source 'sports' failed: connection refused; retrying in 4s"))
        let count = { (source: String) in result.lines.filter { $0.contains("] \(source): ") }.count }
        #expect(count("Sports") == 20)
        #expect(count("World") == 5)
        // The same tech headlines as a run without faults.
        let clean = try await newsdesk("--plain", "--seed", "2", "--speed", "max", "--duration", "120", "--start-time", "2026-01-01T09:00:00Z")
        #expect(result.lines.filter { $0.contains("] Tech: ") } == clean.lines.filter { $0.contains("] Tech: ") })
        #expect(count("Tech") > 40)
    }

    @Test("at --speed max a stalled source does not stop virtual time: --count and --duration end the run, live and record")
    func stallAtMaxSpeed() async throws {
        let start = ["--seed", "1", "--speed", "max", "--start-time", "2026-01-01T09:00:00Z"]
        let live = try await run(newsdeskBinary, ["--plain", "--fault", "world=stall", "--count", "200"] + start, timeout: .seconds(20))
        #expect(live.status == 0)
        #expect(live.lines.count == 200)
        #expect(live.lines.filter { $0.contains("] World: ") }.count == 5)
        let timed = try await run(newsdeskBinary, ["--plain", "--fault", "world=stall", "--duration", "600"] + start, timeout: .seconds(20))
        #expect(timed.status == 0)
        #expect(timed.lines.last?.hasPrefix("[09:09:") == true || timed.lines.last?.hasPrefix("[09:10:00]") == true)
        let failing = try await run(newsdeskBinary, ["--plain", "--fault", "world=fail", "--count", "200"] + start, timeout: .seconds(20))
        #expect(failing.status == 0)
        #expect(failing.lines.count == 200)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stall-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("rec.jsonl").path
        let record = try await run(newsdeskBinary, ["record", "--out", path, "--fault", "world=stall", "--count", "200"] + start,
                                   timeout: .seconds(20))
        #expect(record.status == 0)
        let recorded = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(recorded.count == 201)  // the header and 200 headlines
    }

    @Test("--fault names a source and a kind")
    func badFault() async throws {
        let unknown = try await newsdesk("--plain", "--fault", "weather=fail")
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("there is no source 'weather'"))
        let kind = try await newsdesk("--plain", "--fault", "tech=explode")
        #expect(kind.status == 64)
        #expect(kind.stderr.contains("'tech=explode' is not source=kind"))
    }
}
