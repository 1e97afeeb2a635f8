import Foundation
import NewsCore
import Testing

/// The built `newsdesk` binary: `$NEWSDESK_BIN` (set by `make test`), else the debug build.
let newsdeskBinary: String = {
    if let path = ProcessInfo.processInfo.environment["NEWSDESK_BIN"], !path.isEmpty { return path }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/newsdesk").path
}()

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

/// Runs a command with a time limit; a run that outlives it is killed and fails the test.
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: Double = 60,
         afterStart: ((Process) -> Void)? = nil) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["TZ"] = "UTC"
    env.removeValue(forKey: "NO_COLOR")
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes concurrently so that a full pipe never blocks the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data(), errData = Data()
    DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
    afterStart?(process)
    if group.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
        kill(process.processIdentifier, SIGKILL)
        Issue.record("\(executable) \(arguments) did not finish within \(timeout) s")
    }
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}

func newsdesk(_ arguments: String..., environment: [String: String] = [:]) throws -> RunResult {
    try run(newsdeskBinary, arguments, environment: environment)
}

@Suite("The newsdesk binary")
struct BinaryTests {
    let start = "2026-01-01T09:00:00Z"

    @Test("--plain --seed 1 --speed max --count 50 --filter prints exactly the expected lines")
    func plainLines() async throws {
        let result = try newsdesk("--plain", "--seed", "1", "--speed", "max", "--count", "50",
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
        let again = try newsdesk("--plain", "--seed", "1", "--speed", "max", "--count", "50",
                                 "--filter", "breaking | update", "--start-time", start)
        #expect(again.stdout == result.stdout)
    }

    @Test("| head -1 ends cleanly: exit 0, nothing on stderr, no hang")
    func closedPipe() throws {
        let result = try run("/bin/bash", ["-c", "\"$0\" --plain --speed max | head -1; echo \"status=${PIPESTATUS[0]}\"", newsdeskBinary])
        let lines = result.lines
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("[") == true)
        #expect(lines.last == "status=0")
        #expect(result.stderr == "")
    }

    @Test("a meaningless --filter is exit 64 with a message that points at the problem")
    func badFilter() throws {
        let result = try newsdesk("--plain", "--filter", "goal source:")
        #expect(result.status == 64)
        #expect(result.stderr.contains("invalid --filter: 'source:' needs a source name after it"))
        #expect(result.stderr.contains("  goal source:\n       ^~~~~~"))
        #expect(result.stdout == "")
    }

    @Test("bad options are exit 64 with a clear message", arguments: [
        ["--speed", "0"], ["--speed", "fast"], ["--count", "-1"], ["--history", "0"], ["--start-time", "yesterday"],
        ["--duration", "-3"], ["--color", "sometimes"], ["--bogus"],
    ])
    func badOptions(_ arguments: [String]) throws {
        let result = try run(newsdeskBinary, ["--plain"] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains("Error:"))
    }

    @Test("--help and --version")
    func helpAndVersion() throws {
        let help = try newsdesk("--help")
        #expect(help.status == 0)
        for text in ["USAGE: newsdesk", "--plain", "--filter <query>", "--seed", "--speed <factor|max>", "--count", "--duration"] {
            #expect(help.stdout.contains(text), "\(text)")
        }
        let version = try newsdesk("--version")
        #expect(version.status == 0)
        #expect(version.stdout.wholeMatch(of: #/\d+\.\d+\.\d+\n/#) != nil)
    }

    @Test("no colour or escape codes in a pipe or with NO_COLOR; colour only when asked")
    func colour() throws {
        let plain = try newsdesk("--plain", "--speed", "max", "--count", "20")
        #expect(!plain.stdout.contains("\u{1B}"))
        let noColor = try newsdesk("--plain", "--speed", "max", "--count", "20", "--color", "auto", environment: ["NO_COLOR": "1"])
        #expect(!noColor.stdout.contains("\u{1B}"))
        let forced = try newsdesk("--plain", "--speed", "max", "--count", "20", "--color", "always")
        #expect(forced.stdout.contains("\u{1B}[36mTech\u{1B}[0m: ") || forced.stdout.contains("\u{1B}[32mSports"))
    }

    @Test("--duration stops after that much feed time")
    func duration() throws {
        let result = try newsdesk("--plain", "--speed", "max", "--duration", "60", "--seed", "3", "--start-time", start)
        #expect(result.status == 0)
        #expect(!result.lines.isEmpty)
        // Sources send roughly 1.2 headlines a second together.
        #expect((50...100).contains(result.lines.count), "\(result.lines.count) lines")
        #expect(result.lines.allSatisfy { $0.hasPrefix("[09:00:") || $0.hasPrefix("[09:01:00]") })
    }

    @Test("Ctrl-C ends a live run cleanly with status 130, output flushed")
    func interrupt() throws {
        let result = try run(newsdeskBinary, ["--plain", "--speed", "20", "--seed", "2"], timeout: 30) { process in
            // Let a few headlines through (about 25 a second at speed 20), then interrupt.
            Thread.sleep(forTimeInterval: 1.0)
            kill(process.processIdentifier, SIGINT)
        }
        #expect(result.status == 130)
        #expect(result.lines.count >= 3)
        #expect(result.lines.allSatisfy { $0.hasPrefix("[") && $0.contains(": ") })
    }
}
