import Foundation
import NewsCore
import Subprocess
import SystemPackage
import Testing

/// Runs `newsdesk` with its standard output into a pipe, waits (up to `within`) until the
/// pipe has something to read and `settle` more, then kills it with SIGKILL: what the pipe
/// holds then is what the program had written while it ran (nothing it buffered survives).
/// The pipe is close-on-exec (no other test's child inherits it) and read without
/// blocking, so no thread of the test pool waits on it.
func killedIntoPipe(_ arguments: [String], within: Duration = .seconds(10), settle: Duration = .zero) async throws -> String {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    let (readEnd, writeEnd) = (ends[0], ends[1])
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    _ = fcntl(readEnd, F_SETFL, O_NONBLOCK)
    defer { close(readEnd) }
    let config = Configuration(executable: .path(FilePath(newsdeskBinary)), arguments: Arguments(arguments),
                               environment: .inherit.updating(["TZ": "UTC", "NO_COLOR": nil]))
    _ = try await Subprocess.run(config, input: .none, output: .fileDescriptor(FileDescriptor(rawValue: writeEnd), closeAfterSpawningProcess: true),
                                 error: .discarded) { execution in
        let deadline = ContinuousClock.now + within * sanitizerSlowdown
        var ready = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        while poll(&ready, 1, 0) == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: settle)
        try execution.send(signal: .kill)
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        bytes += chunk[..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

var plainLine: Regex<(Substring, Substring)> { #/^\[\d\d:\d\d:\d\d\] (Tech|Sports|World): .+$/# }

/// The command line's suites run one test at a time (`.serialized` reaches the nested
/// suites): the binary tests elsewhere that signal a run after a second need the CPU.
@Suite("The command line", .serialized)
struct CommandLineTests {}

extension CommandLineTests {
    @Suite("Live output into a pipe", .timeLimit(.minutes(1)))
    struct PipeOutputTests {
        @Test("a paced live run writes each headline into a pipe as it arrives, not at 64 KiB")
        func pacedLive() async throws {
            // At ×5 the three sources send about six headlines a second: 64 KiB would take
            // two minutes.
            let text = try await killedIntoPipe(["--plain", "--seed", "1", "--speed", "5"])
            let lines = text.split(separator: "\n")
            #expect(lines.count >= 1, "\(text.utf8.count) bytes in the pipe")
            #expect(text.hasSuffix("\n"))
            #expect(lines.allSatisfy { $0.wholeMatch(of: plainLine) != nil })
        }

        @Test("a paced replay writes each headline into a pipe as it arrives")
        func pacedReplay() async throws {
            let dir = scratchFolder()
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("r.jsonl").path
            let record = try await newsdesk("record", "--out", file, "--seed", "1", "--speed", "max", "--count", "100")
            #expect(record.status == 0)
            let text = try await killedIntoPipe(["replay", file, "--plain", "--speed", "5"])
            #expect(text.split(separator: "\n").count >= 1, "\(text.utf8.count) bytes in the pipe")
            #expect(text.hasSuffix("\n"))
        }

        @Test("--line-buffered writes line by line even at --speed max: a full pipe holds only whole lines")
        func lineBuffered() async throws {
            // Nobody reads, so the pipe fills (64 KiB) and newsdesk blocks in write(). Writes
            // of one line are atomic in a pipe; writes of a 64 KiB block are cut at the
            // pipe's capacity, mid-line.
            let text = try await killedIntoPipe(["--plain", "--seed", "1", "--speed", "max", "--line-buffered"], settle: .seconds(1))
            #expect(text.utf8.count > 60_000, "the pipe is full")
            #expect(text.hasSuffix("\n"))
            #expect(text.split(separator: "\n").allSatisfy { $0.wholeMatch(of: plainLine) != nil })
        }

        @Test("--line-buffered is accepted by replay and prints the same lines")
        func lineBufferedReplay() async throws {
            let dir = scratchFolder()
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("r.jsonl").path
            _ = try await newsdesk("record", "--out", file, "--seed", "4", "--speed", "max", "--count", "50")
            let buffered = try await newsdesk("replay", file, "--plain", "--speed", "max")
            let lines = try await newsdesk("replay", file, "--plain", "--speed", "max", "--line-buffered")
            #expect(lines.status == 0)
            #expect(lines.lines.count == 50)
            #expect(lines.stdout == buffered.stdout)
        }

        @Test("SIGINT, SIGTERM and SIGHUP end a --speed max run with what it holds flushed, as whole lines",
              arguments: [SIGINT, SIGTERM, SIGHUP])
        func signalsFlush(_ sig: Int32) async throws {
            let dir = scratchFolder()
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("out.txt").path
            // Signalled once the first 64 KiB block is out (the run is under way).
            let script = """
                "$0" --plain --seed 6 --speed max > "$1" & pid=$!
                while [ ! -s "$1" ]; do sleep 0.02; done
                kill -\(sig) $pid; wait $pid; echo "status=$?"
                """
            let result = try await run("/bin/bash", ["-c", script, newsdeskBinary, file], timeout: .seconds(30))
            #expect(result.stdout == "status=\(128 + sig)\n")
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.count > 100)
            #expect(text.hasSuffix("\n"))
            #expect(lines.allSatisfy { $0.wholeMatch(of: plainLine) != nil })
        }
    }
}

extension CommandLineTests {
    @Suite("record --out - and --record -", .timeLimit(.minutes(1)))
    struct RecordToStandardOutputTests {
        let start = "2026-01-01T09:00:00Z"

        @Test("record --out - writes the recording to standard output (no file named '-'), the same bytes as to a file")
        func toStdout() async throws {
            let dir = scratchFolder()
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("f.jsonl").path
            let result = try await run("/bin/bash", ["-c", "cd \"$1\" && \"$0\" record --out - --seed 5 --speed max --count 40 --start-time \(start)",
                                                     newsdeskBinary, dir.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr == "")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("-").path))
            #expect(result.lines.count == 41)
            _ = try await newsdesk("record", "--out", file, "--seed", "5", "--speed", "max", "--count", "40", "--start-time", start)
            #expect(result.stdout == (try String(contentsOfFile: file, encoding: .utf8)))
        }

        @Test("record --out - into a pipe that closes ends quietly with status 0")
        func closedPipe() async throws {
            let result = try await run("/bin/bash", ["-c", "\"$0\" record --out - --speed max --count 1000000 | head -2; echo \"status=${PIPESTATUS[0]}\"",
                                                     newsdeskBinary])
            #expect(result.lines.count == 3)
            #expect(result.lines.first?.hasPrefix(#"{"format":"newsdesk-recording""#) == true)
            #expect(result.lines.last == "status=0")
            #expect(result.stderr == "")
        }

        @Test("an unbounded recording at --speed max is refused (64); --count or --duration bound it")
        func unboundedMax() async throws {
            let dir = scratchFolder()
            defer { try? FileManager.default.removeItem(at: dir) }
            for out in [dir.appendingPathComponent("big.jsonl").path, "-"] {
                let result = try await newsdesk("record", "--out", out, "--speed", "max")
                #expect(result.status == 64)
                #expect(result.stderr.contains("record --speed max needs --count or --duration"), "\(result.stderr)")
                #expect(result.stdout == "")
            }
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("big.jsonl").path))
            let bounded = try await newsdesk("record", "--out", dir.appendingPathComponent("b.jsonl").path, "--speed", "max", "--duration", "1m")
            #expect(bounded.status == 0)
            // Recording while printing is a recording too.
            let live = dir.appendingPathComponent("live.jsonl").path
            let unbounded = try await newsdesk("--plain", "--speed", "max", "--record", live)
            #expect(unbounded.status == 64)
            #expect(unbounded.stderr.contains("--record at --speed max needs --count or --duration"), "\(unbounded.stderr)")
            #expect(!FileManager.default.fileExists(atPath: live))
            let counted = try await newsdesk("--plain", "--speed", "max", "--record", live, "--count", "5")
            #expect(counted.status == 0 && counted.lines.count == 5)
        }

        @Test("--record - is refused (64): standard output is the view, or the printed lines", arguments: [["--plain"], []])
        func recordDash(_ extra: [String]) async throws {
            let result = try await run(newsdeskBinary, extra + ["--record", "-", "--speed", "max", "--count", "3"])
            #expect(result.status == 64)
            #expect(result.stderr.contains("--record -"), "\(result.stderr)")
            #expect(result.stderr.contains("newsdesk record --out -"), "\(result.stderr)")
            #expect(result.stdout == "")
        }
    }
}

extension CommandLineTests {
    @Suite("Option values", .timeLimit(.minutes(1)))
    struct OptionValueTests {
        @Test("a bad number says what is wrong with it (exit 64), never 'Missing value'", arguments: [
            (["--plain", "--count", "-1"], "--count must be 0 or more, not -1"),
            (["--plain", "--history", "-5"], "--history must be at least 1, not -5"),
            (["--plain", "--history", "0"], "--history must be at least 1, not 0"),
            (["--plain", "--speed", "0"], "--speed must be above 0"),
            (["--plain", "--speed", "-2"], "--speed must be above 0"),
            (["--plain", "--duration", "-3"], "--duration must be 0 or more, not -3"),
            (["--plain", "--stale-after", "0"], "--stale-after must be above 0"),
            (["--plain", "--stale-after", "-1m"], "--stale-after must be above 0"),
            (["--plain", "--duration", "5x"], "The value '5x' is invalid for '--duration <time>'"),
            (["--plain", "--seed", "-1"], "'-1' is invalid for '--seed"),
            (["record", "--out", "x.jsonl", "--count", "-1"], "--count must be 0 or more, not -1"),
            (["record", "--out", "x.jsonl", "--duration", "-1h"], "--duration must be 0 or more, not -1h"),
            (["replay", "x.jsonl", "--from", "-5s"], "--from must be 0 or more, not -5s"),
            (["replay", "x.jsonl", "--idle-limit", "-1"], "--idle-limit must be 0 or more, not -1"),
            (["replay", "x.jsonl", "--count", "-2"], "--count must be 0 or more, not -2"),
            (["replay", "x.jsonl", "--history", "-5"], "--history must be at least 1, not -5"),
            (["replay", "x.jsonl", "--speed", "0"], "--speed must be above 0"),
            (["replay", "x.jsonl", "--stale-after", "0"], "--stale-after must be above 0"),
            // An h in a value that starts with - was taken for -h: the help, exit 0.
            (["--plain", "--duration", "-1h"], "--duration must be 0 or more, not -1h"),
            (["live", "--plain", "--stale-after", "-2h"], "--stale-after must be above 0, not -2h"),
            (["--plain", "--feed", "http://127.0.0.1:9/", "--every", "-1h"], "--every must be above 0, not -1h"),
            (["--plain", "--feed", "http://127.0.0.1:9/", "--timeout", "-1h"], "--timeout must be above 0, not -1h"),
            (["replay", "x.jsonl", "--idle-limit", "-1h"], "--idle-limit must be 0 or more, not -1h"),
            (["replay", "x.jsonl", "--from", "-1h"], "--from must be 0 or more, not -1h"),
        ])
        func badNumbers(_ arguments: [String], _ message: String) async throws {
            let result = try await run(newsdeskBinary, arguments)
            #expect(result.status == 64)
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(!result.stderr.contains("Missing value"), "\(result.stderr)")
        }

        @Test("a query starting with '-' is a query, not an option")
        func negativeFilter() async throws {
            let result = try await newsdesk("--plain", "--seed", "1", "--speed", "max", "--count", "30", "--filter", "-source:sports")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.lines.count == 30)
            #expect(result.lines.allSatisfy { !$0.contains("] Sports: ") })
        }

        @Test("durations take units (1m = 60), plain numbers are seconds")
        func durationUnits() async throws {
            let start = "2026-01-01T09:00:00Z"
            let minute = try await newsdesk("--plain", "--speed", "max", "--duration", "1m", "--seed", "3", "--start-time", start)
            let seconds = try await newsdesk("--plain", "--speed", "max", "--duration", "60", "--seed", "3", "--start-time", start)
            #expect(minute.status == 0)
            #expect(!minute.lines.isEmpty)
            #expect(minute.stdout == seconds.stdout)
            let dir = scratchFolder()
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("d.jsonl").path
            let record = try await newsdesk("record", "--out", file, "--speed", "max", "--duration", "1m30s", "--seed", "3", "--start-time", start)
            #expect(record.status == 0)
            let replayed = try await newsdesk("replay", file, "--plain", "--speed", "max", "--idle-limit", "1m", "--stale-after", "2m")
            #expect(replayed.status == 0, "\(replayed.stderr)")
            #expect(replayed.lines.last.map { $0 <= "[09:01:30]" && $0 >= "[09:01:00]" } == true, "\(replayed.lines.last ?? "")")
            let stale = try await newsdesk("--plain", "--speed", "max", "--count", "1", "--stale-after", "2m")
            #expect(stale.status == 0, "\(stale.stderr)")
        }

        @Test("--start-time takes a date alone: midnight UTC")
        func startDate() async throws {
            let date = try await newsdesk("--plain", "--seed", "1", "--speed", "max", "--count", "5", "--start-time", "2026-01-01")
            let midnight = try await newsdesk("--plain", "--seed", "1", "--speed", "max", "--count", "5", "--start-time", "2026-01-01T00:00:00Z")
            #expect(date.status == 0, "\(date.stderr)")
            #expect(date.lines.count == 5)
            #expect(date.stdout == midnight.stdout)
            #expect(date.lines.first?.hasPrefix("[00:00:") == true)
        }
    }
}

extension CommandLineTests {
    @Suite("Commands, version, help and README", .timeLimit(.minutes(1)))
    struct CommandTests {
        @Test("--version prints the name and the version")
        func version() async throws {
            let version = try await newsdesk("--version")
            #expect(version.status == 0)
            #expect(version.stdout.wholeMatch(of: #/newsdesk \d+\.\d+\.\d+\n/#) != nil, "\(version.stdout)")
        }

        @Test("a mistyped command is a usage error (64) with a suggestion", arguments: [
            ("repaly", "did you mean 'replay'?"), ("recrod", "did you mean 'record'?"), ("imprt", "did you mean 'import'?"),
            ("lvie", "did you mean 'live'?"),
        ])
        func mistypedCommand(_ word: String, _ suggestion: String) async throws {
            let result = try await newsdesk(word, "x.jsonl")
            #expect(result.status == 64)
            #expect(result.stderr.contains("unknown command '\(word)'"), "\(result.stderr)")
            #expect(result.stderr.contains(suggestion), "\(result.stderr)")
            #expect(result.stdout == "")
        }

        @Test("an unknown word where a command goes lists the commands")
        func unknownCommand() async throws {
            let result = try await newsdesk("banana")
            #expect(result.status == 64)
            #expect(result.stderr.contains("unknown command 'banana'"))
            #expect(!result.stderr.contains("did you mean"))
            #expect(result.stderr.contains("live, record, replay, import"), "\(result.stderr)")
        }

        @Test("shell completions are generated and the README says how")
        func completions() async throws {
            for shell in ["bash", "zsh", "fish"] {
                let script = try await newsdesk("--generate-completion-script", shell)
                #expect(script.status == 0)
                #expect(script.stdout.contains("replay"), "\(shell)")
            }
            #expect(try readme().contains("--generate-completion-script"))
        }

        @Test("--help and the README list the same exit codes, each with a meaning")
        func exitCodes() async throws {
            let help = try await newsdesk("--help")
            let readme = try readme()
            for code in ["0", "64", "65", "66", "69", "73", "74", "78", "129", "130", "143"] {
                #expect(help.stdout.firstMatch(of: try Regex("\\b\(code)\\b")) != nil, "--help: \(code)")
                #expect(readme.firstMatch(of: try Regex("\\b\(code)\\b")) != nil, "README: \(code)")
            }
        }

        func readme() throws -> String {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            return try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        }
    }
}

extension CommandLineTests {
    @Suite("replay --stale-after in the view (tmux)", .timeLimit(.minutes(1)))
    struct ReplayStaleAfterTests {
        @Test("replay --stale-after 2s shows a silent source as stale in the header")
        func staleInReplay() async throws {
            let dir = scratchFolder()
            defer { try? FileManager.default.removeItem(at: dir) }
            let path = dir.appendingPathComponent("quiet.jsonl").path
            // World sends once at the start, tech every second for a minute.
            let start = Timestamp(milliseconds: 1_767_258_000_000)
            let writer = try RecordingWriter(path: path, header: RecordingHeader(started: start, sources: ["tech", "world"]))
            var arrivals = [Arrival(offset: 0, headline: Headline(id: "w0", source: "world", title: "world once", published: start))]
            for i in 1...60 {
                let offset = Int64(i) * 1000
                arrivals.append(Arrival(offset: offset, headline: Headline(id: "t\(i)", source: "tech", title: "tech \(i)",
                                                                           published: start.adding(milliseconds: offset))))
            }
            try writer.write(arrivals)
            try writer.close()
            try await withTmux(columns: 100, rows: 20) { tmux in
                try await tmux.type("clear; \(newsdeskBinary) replay \(path) --speed 2 --stale-after 2s")
                try await tmux.keys("Enter")
                try await tmux.waitFor("world shown as stale", timeout: 10) { lines in
                    lines.first?.contains("world stale") == true
                }
                try await tmux.keys("q")
            }
        }
    }
}

extension CommandLineTests {
    @Suite("record --out - on a terminal (tmux)", .timeLimit(.minutes(1)))
    struct RecordToTerminalTests {
        @Test("record --out - on a terminal shows the recording alone, no progress line mixed into it")
        func noProgressInRecording() async throws {
            try await withTmux(columns: 200, rows: 40) { tmux in
                try await tmux.type("clear; \(newsdeskBinary) record --out - --seed 1 --speed 40 --count 20; echo \"status=$?\"")
                try await tmux.keys("Enter")
                let lines = try await tmux.waitFor("the recording and the exit status") { lines in
                    lines.contains { $0.hasPrefix("status=") }
                }
                #expect(lines.contains("status=0"))
                let recorded = lines.filter { $0.hasPrefix("{") }
                #expect(recorded.count == 21, "\(lines)")
                #expect(!lines.contains { $0.contains("recording -") || $0.contains("headlines,") }, "\(lines)")
            }
        }
    }
}
