import Foundation
import NewsCore
import Subprocess
import SystemPackage
import Testing

/// A fresh folder for a test's files.
func scratchFolder() -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newsdesk-bin-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

@Suite("Recording, replaying and importing with the binary", .timeLimit(.minutes(2)))
struct RecordReplayBinaryTests {
    let start = "2026-01-01T09:00:00Z"

    @Test("a seeded live run recorded, then replayed --plain --speed max, prints exactly the live lines")
    func roundTrip() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("seed5.jsonl").path
        let record = try await newsdesk("record", "--out", file, "--seed", "5", "--speed", "max", "--count", "300", "--start-time", start)
        #expect(record.status == 0)
        let replay = try await newsdesk("replay", file, "--plain", "--speed", "max")
        let live = try await newsdesk("--plain", "--seed", "5", "--speed", "max", "--count", "300", "--start-time", start)
        #expect(replay.status == 0 && replay.stderr == "")
        #expect(replay.lines.count == 300)
        #expect(replay.lines == live.lines)
        // The header says where it came from.
        let header = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")[0]
        #expect(header == #"{"format":"newsdesk-recording","version":1,"started":"2026-01-01T09:00:00.000Z","seed":5,"sources":["tech","sports","world"]}"#)
    }

    @Test("--record keeps every merged headline, whatever the filter shows")
    func recordWhileFiltering() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("all.jsonl").path
        let shown = try await newsdesk("--plain", "--seed", "8", "--speed", "max", "--count", "15", "--filter", "breaking",
                                       "--start-time", start, "--record", file)
        #expect(shown.status == 0 && shown.lines.count == 15)
        let all = try await newsdesk("replay", file, "--plain", "--speed", "max")
        #expect(all.lines.count > 100)  // about one headline in sixteen says "Breaking"
        let filtered = try await newsdesk("replay", file, "--plain", "--speed", "max", "--filter", "breaking")
        #expect(Array(filtered.lines.prefix(15)) == shown.lines)
    }

    @Test("after kill -9 every whole line survives and the replay accepts the file")
    func killNine() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("killed.jsonl").path
        let killed = try await run(newsdeskBinary, ["record", "--out", file, "--speed", "40", "--seed", "3"],
                                   interruptWhen: fileHasLines(file, atLeast: 12), signal: SIGKILL)
        #expect(killed.status == 128 + SIGKILL)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count > 10)
        let replay = try await newsdesk("replay", file, "--plain", "--speed", "max", "--strict")
        #expect(replay.status == 0)
        #expect(replay.lines.count == lines.count - 1 - (text.hasSuffix("\n") ? 0 : 1))
        // A line cut short (as a kill in mid-write would leave) is a warning, not an error.
        try (text + #"{"offset":999999,"id":"x","sou"#).write(toFile: file, atomically: true, encoding: .utf8)
        let cut = try await newsdesk("replay", file, "--plain", "--speed", "max", "--strict")
        #expect(cut.status == 0)
        #expect(cut.lines.count == replay.lines.count)
        #expect(cut.stderr.contains("warning:") && cut.stderr.contains("the last line is incomplete"))
    }

    @Test("SIGTERM ends a recording with the file complete", arguments: [SIGTERM, SIGINT, SIGHUP])
    func signalledRecording(_ sig: Int32) async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("stopped.jsonl").path
        let result = try await run(newsdeskBinary, ["record", "--out", file, "--speed", "40"],
                                   interruptWhen: fileHasLines(file, atLeast: 3), signal: sig)
        #expect(result.status == 128 + sig)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasSuffix("}\n"))
        let replay = try await newsdesk("replay", file, "--plain", "--speed", "max", "--strict")
        #expect(replay.status == 0 && replay.lines.count == text.split(separator: "\n").count - 1)
    }

    @Test("an existing file is kept unless --force")
    func noOverwrite() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("keep.jsonl").path
        try "precious".write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try await newsdesk("record", "--out", file, "--speed", "max", "--count", "3")
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("already exists (use --force to overwrite it)"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "precious")
        let forced = try await newsdesk("record", "--out", file, "--speed", "max", "--count", "3", "--force")
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").count == 4)
    }

    @Test("bad input: one clear line and exit 66 (missing, directory, empty) or 65 (--strict, bad header)")
    func badInput() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try await newsdesk("replay", dir.appendingPathComponent("nope.jsonl").path, "--plain")
        #expect(missing.status == 66 && missing.stderr.hasSuffix("nope.jsonl: no such file\n"))
        let folder = try await newsdesk("replay", dir.path, "--plain")
        #expect(folder.status == 66 && folder.stderr.contains("is a directory"))
        let empty = dir.appendingPathComponent("empty.jsonl").path
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        let emptyRun = try await newsdesk("replay", empty, "--plain")
        #expect(emptyRun.status == 66 && emptyRun.stderr.contains("the file is empty"))
        #expect(emptyRun.stderr.split(separator: "\n").count == 1)

        let broken = dir.appendingPathComponent("broken.jsonl").path
        try ([#"{"format":"newsdesk-recording","version":1,"started":"2026-01-01T00:00:00Z"}"#,
              #"{"offset":1,"source":"tech","title":"one"}"#,
              #"{"offset":2,"source":"tech","title":}"#,
              #"{"offset":3,"source":"tech","title":"three"}"#].joined(separator: "\n") + "\n")
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let lenient = try await newsdesk("replay", broken, "--plain", "--speed", "max")
        #expect(lenient.status == 0 && lenient.lines.count == 2)
        #expect(lenient.stderr.contains("newsdesk: \(broken):3: "))
        #expect(lenient.stderr.contains("\(broken): skipped 1 malformed line"))
        let strict = try await newsdesk("replay", broken, "--plain", "--speed", "max", "--strict")
        #expect(strict.status == 65)
        #expect(strict.stderr.contains("\(broken):3: "))

        let notOne = dir.appendingPathComponent("other.jsonl").path
        try #"{"hello":"world"}"#.appending("\n").write(toFile: notOne, atomically: true, encoding: .utf8)
        let other = try await newsdesk("replay", notOne, "--plain")
        #expect(other.status == 65 && other.stderr.contains("not a newsdesk recording"))
    }

    @Test("import: CSV to a recording that replays; bad input and options")
    func importCSV() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("news.csv").path
        try "headline,category,date\n\"Rates cut, markets rise\",business,03/01/2024 10:00\nGoal!,sport,03/01/2024 09:00\nOops,sport,never\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("news.jsonl").path
        let result = try await newsdesk("import", csv, "--out", out, "--title", "headline", "--source", "category", "--time", "date",
                                        "--time-format", "%m/%d/%Y %H:%M", "--rename-source", "sport=sports,business=tech")
        #expect(result.status == 0)
        #expect(result.stderr.contains("\(csv):4: cannot read the time 'never'"))
        #expect(result.stderr.contains("imported 2 headlines"))
        #expect(result.stderr.contains("skipped 1 malformed row"), "\(result.stderr)")
        // Counts agree in number: one row is "1 headline".
        let one = dir.appendingPathComponent("one.csv").path
        try "headline,date\nGoal!,2024-03-01T09:00:00Z\n".write(toFile: one, atomically: true, encoding: .utf8)
        let single = try await newsdesk("import", one, "--out", dir.appendingPathComponent("one.jsonl").path)
        #expect(single.status == 0 && single.stderr.contains("imported 1 headline into"), "\(single.stderr)")
        let replay = try await newsdesk("replay", out, "--plain", "--speed", "max")
        #expect(replay.lines == ["[09:00:00] Sports: Goal!", "[10:00:00] Tech: Rates cut, markets rise"])
        let strict = try await newsdesk("import", csv, "--out", out + "2", "--title", "headline", "--time", "date",
                                        "--time-format", "%m/%d/%Y %H:%M", "--strict")
        #expect(strict.status == 65)
        let missing = try await newsdesk("import", dir.appendingPathComponent("none.csv").path, "--out", out + "3")
        #expect(missing.status == 66)
        let noColumn = try await newsdesk("import", csv, "--out", out + "4", "--title", "nope")
        #expect(noColumn.status == 64 && noColumn.stderr.contains("no column 'nope'"))
        // The content decides the format now (issue 11): a missing file is 66 whatever its
        // extension, and a --format that is neither csv nor jsonl is 64.
        let missingDat = try await newsdesk("import", dir.appendingPathComponent("x.dat").path, "--out", out + "5")
        #expect(missingDat.status == 66)
        let unknownFormat = try await newsdesk("import", csv, "--out", out + "5", "--format", "xml")
        #expect(unknownFormat.status == 64)
    }
}

/// Starts the binary with `arguments`, waits until `ready()` holds (checked every 20 ms),
/// then sends `signal`. Returns the exit status, standard output and standard error, and
/// when the signal was sent.
func runSignalled(_ arguments: [String], signal: Int32, stdin: String? = nil, timeout: Duration = .seconds(60),
                  environment: [String: String] = [:], ready: @escaping @Sendable () -> Bool) async throws -> (status: Int32, stdout: String, stderr: String, sent: ContinuousClock.Instant, ended: ContinuousClock.Instant) {
    let shell = (["exec", newsdeskBinary] + arguments).map { "'\($0)'" }.joined(separator: " ") + (stdin.map { " < '\($0)'" } ?? "")
    let config = Configuration(executable: .path(FilePath("/bin/sh")), arguments: Arguments(["-c", shell]),
                               environment: .inherit.updating(Dictionary(uniqueKeysWithValues: environment.merging(["TZ": "UTC"]) { a, _ in a }.map { (Environment.Key(rawValue: $0.key)!, Optional($0.value)) })))
    return try await withThrowingTaskGroup(of: (status: Int32, stdout: String, stderr: String, sent: ContinuousClock.Instant, ended: ContinuousClock.Instant)?.self) { group in
        group.addTask {
            let sent = Protected(ContinuousClock.now)
            let ended = Protected(ContinuousClock.now)
            let result = try await Subprocess.run(config, input: .none, output: .string(limit: 1 << 24),
                                                  error: .string(limit: 1 << 20)) { execution in
                while !ready() { try await Task.sleep(for: .milliseconds(20)) }
                try execution.send(signal: Signal(rawValue: signal))
                sent.withLock { $0 = .now }
                // When the process ended, seen by the kernel (a zombie until it is reaped),
                // not when this task next runs: on a loaded machine the test pool (one
                // thread per core) can take seconds to hand back the result.
                ended.withLock { $0 = waitUntilExited(execution.processIdentifier.value, timeout: timeout) }
            }
            let status: Int32
            switch result.terminationStatus {
            case .exited(let code): status = code
            case .signaled(let s): status = 128 + s
            }
            return (status, result.standardOutput, result.standardError, sent.withLock { $0 }, ended.withLock { $0 })
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        let first = try await group.next()!
        group.cancelAll()
        guard let first else {
            Issue.record("newsdesk \(arguments) did not finish within \(timeout)")
            throw CancellationError()
        }
        return first
    }
}

/// Blocks until process `pid` has exited (its /proc state is Z, zombie, or it is gone),
/// polling every 2 ms, at most `timeout`; returns when it saw that.
func waitUntilExited(_ pid: pid_t, timeout: Duration) -> ContinuousClock.Instant {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return .now }
        // pid (comm) state ...: the state follows the last ')'.
        if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].dropFirst().first == "Z" { return .now }
        usleep(2_000)
    }
    return .now
}

@Suite("Import: the input is kept, nothing imported is an error, interrupted imports leave nothing (issue 17)", .timeLimit(.minutes(2)))
struct ImportGuardBinaryTests {
    let csvText = "title,time\nA,2024-01-01T00:00:00Z\nB,2024-01-01T00:00:01Z\n"

    @Test("--out naming the input (the same path, a symlink, a hard link) is refused with 64, whatever --force says")
    func outputIsInput() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("news.csv").path
        try csvText.write(toFile: csv, atomically: true, encoding: .utf8)
        let symlink = dir.appendingPathComponent("link.jsonl").path
        let hardlink = dir.appendingPathComponent("hard.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: symlink, withDestinationPath: csv)
        try FileManager.default.linkItem(atPath: csv, toPath: hardlink)
        for out in [csv, symlink, hardlink] {
            let result = try await newsdesk("import", csv, "--out", out, "--force")
            #expect(result.status == 64, "\(out)")
            #expect(result.stderr.contains("is the input"), "\(result.stderr)")
            #expect(try String(contentsOfFile: csv, encoding: .utf8) == csvText)
        }
    }

    @Test("a column past the end or an unknown time format is 64; nothing imported is 65; neither leaves a file")
    func nothingImported() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("news.csv").path
        try "title,time,source\nA,2024-01-01T00:00:00Z,x\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.jsonl").path
        let column = try await newsdesk("import", csv, "--out", out, "--title", "99")
        #expect(column.status == 64 && column.stderr.contains("column 99"))
        let format = try await newsdesk("import", csv, "--out", out, "--time-format", "bogus")
        #expect(format.status == 64 && format.stderr.contains("bogus"))
        #expect(!FileManager.default.fileExists(atPath: out))

        let bad = dir.appendingPathComponent("bad.csv").path
        try ("title,time\n" + (1...500).map { "row \($0),never\n" }.joined()).write(toFile: bad, atomically: true, encoding: .utf8)
        let none = try await newsdesk("import", bad, "--out", out)
        #expect(none.status == 65)
        #expect(none.stderr.contains("nothing imported"))
        #expect(!FileManager.default.fileExists(atPath: out))
        // The retry is not blocked, and an existing file is untouched by a failed import.
        let good = try await newsdesk("import", csv, "--out", out)
        #expect(good.status == 0)
        let kept = try String(contentsOfFile: out, encoding: .utf8)
        let again = try await newsdesk("import", bad, "--out", out, "--force")
        #expect(again.status == 65)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == kept)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["bad.csv", "news.csv", "out.jsonl"])
    }

    @Test("SIGINT mid-import removes the sorted runs and the partial output, and exits 130")
    func interrupted() async throws {
        let sig = SIGINT
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("big.csv").path
        // 400,000 rows (a block of 1,000 written 400 times, cheap to make) over a memory
        // budget of 1 MiB: the first sorted run reaches the disk well before the end. (Under
        // the default budget they all fit in memory, and the import could end before the
        // signal: seen once in CI.)
        var block = ""
        for i in 0..<1000 { block += "Headline number \(i),\(1_700_000_000 + (i * 7919) % 86_400)\n" }
        let blockData = Data(block.utf8)
        var data = Data("title,time\n".utf8)
        for _ in 0..<400 { data.append(blockData) }
        try data.write(to: URL(fileURLWithPath: csv))
        let out = dir.appendingPathComponent("big.jsonl").path
        let path = dir.path
        let result = try await runSignalled(["import", csv, "--out", out], signal: sig,
                                            environment: ["NEWSDESK_IMPORT_MEMORY": "1048576"]) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.contains { $0.hasPrefix(".newsdesk-import-") }
        }
        #expect(result.status == 128 + sig, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["big.csv"])
    }
}

@Suite("Replay from pipes, FIFOs and standard input, read once (issue 17)", .timeLimit(.minutes(2)))
struct ReplayStreamBinaryTests {
    /// A recording of `count` seeded headlines, and its lines played --plain from the file.
    func recording(in dir: URL, count: Int = 300) async throws -> (path: String, lines: [String]) {
        let file = dir.appendingPathComponent("rec.jsonl").path
        let record = try await newsdesk("record", "--out", file, "--seed", "4", "--speed", "max", "--count", "\(count)",
                                        "--start-time", "2026-01-01T09:00:00Z")
        #expect(record.status == 0)
        let played = try await newsdesk("replay", file, "--plain", "--speed", "max")
        #expect(played.status == 0 && played.lines.count == count)
        return (file, played.lines)
    }

    func shell(_ script: String) async throws -> RunResult {
        try await run("/bin/sh", ["-c", script], environment: ["NEWSDESK": newsdeskBinary])
    }

    @Test("'-' reads standard input once; a FIFO with a writer and a pipe (<(cat ...)) play every line")
    func streams() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (file, lines) = try await recording(in: dir)
        let stdin = try await shell("\"$NEWSDESK\" replay - --plain --speed max < '\(file)'")
        #expect(stdin.status == 0 && stdin.stderr == "", "\(stdin.stderr)")
        #expect(stdin.lines == lines)
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let viaFifo = try await shell("cat '\(file)' > '\(fifo)' & \"$NEWSDESK\" replay '\(fifo)' --plain --speed max; s=$?; wait; exit $s")
        #expect(viaFifo.status == 0 && viaFifo.stderr == "", "\(viaFifo.stderr)")
        #expect(viaFifo.lines == lines)
        let pipe = try await shell("cat '\(file)' | \"$NEWSDESK\" replay /dev/stdin --plain --speed max --filter goal | cat")
        let filtered = try await newsdesk("replay", file, "--plain", "--speed", "max", "--filter", "goal")
        #expect(pipe.status == 0 && pipe.lines == filtered.lines)
        // --from as a percentage needs the duration, unknown for a stream: a usage error.
        let percent = try await shell("\"$NEWSDESK\" replay - --plain --from 25% < '\(file)'")
        #expect(percent.status == 64 && percent.stderr.contains("--from 25%"))
        let offset = try await shell("\"$NEWSDESK\" replay - --plain --speed max --from 30s < '\(file)'")
        let fileOffset = try await newsdesk("replay", file, "--plain", "--speed", "max", "--from", "30s")
        #expect(offset.status == 0 && offset.lines == fileOffset.lines && !offset.lines.isEmpty)
    }

    @Test("a FIFO with no writer yet: SIGTERM, SIGINT and SIGHUP end the replay at once", arguments: [SIGTERM, SIGINT, SIGHUP])
    func fifoWithoutWriter(_ sig: Int32) async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let started = ContinuousClock.now
        let result = try await runSignalled(["replay", fifo, "--plain"], signal: sig, timeout: .seconds(20)) {
            ContinuousClock.now - started > .milliseconds(500)
        }
        #expect(result.status == 128 + sig)
        #expect(result.ended - result.sent < .seconds(2) * sanitizerSlowdown)
    }

    @Test("a pipe that stays open and idle after the header: SIGTERM ends the replay at once")
    func idlePipe() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (file, _) = try await recording(in: dir, count: 5)
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // The writer sends the recording, says so, and then keeps the FIFO open.
        let done = dir.appendingPathComponent("written").path
        let writer = Task { try await shell("(cat '\(file)'; touch '\(done)'; sleep 8) > '\(fifo)'") }
        defer { writer.cancel() }
        let written = Protected<ContinuousClock.Instant?>(nil)
        // Paced, not --speed max: virtual time waits for a stalled source (issue 17, point 6).
        let result = try await runSignalled(["replay", fifo, "--plain", "--speed", "1000"], signal: SIGTERM, timeout: .seconds(20)) {
            guard FileManager.default.fileExists(atPath: done) else { return false }
            let at = written.withLock { $0 = $0 ?? .now; return $0! }
            return ContinuousClock.now - at > .milliseconds(300)  // the five events take 5 ms at this speed
        }
        #expect(result.status == 143)
        #expect(result.stdout.split(separator: "\n").count == 5)
        #expect(result.ended - result.sent < .seconds(2) * sanitizerSlowdown)
    }

    @Test("--plain reports every malformed line as file:line: reason, then how many there were")
    func everyMalformedLine() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.jsonl").path
        var text = #"{"format":"newsdesk-recording","version":1,"started":"2026-01-01T00:00:00Z"}"# + "\n"
        for i in 0..<105 { text += #"{"offset":\#(i),"source":"tech"}"# + "\n" }
        text += #"{"offset":200,"source":"tech","title":"fine"}"# + "\n"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await newsdesk("replay", file, "--plain", "--speed", "max")
        #expect(result.status == 0 && result.lines.count == 1)
        let reported = result.stderr.split(separator: "\n").filter { $0.hasPrefix("newsdesk: \(file):") && $0.contains("missing 'title'") }
        #expect(reported.count == 100)
        #expect(reported.first?.hasPrefix("newsdesk: \(file):2: ") == true)
        #expect(result.stderr.contains("and 5 more"))
        #expect(result.stderr.contains("skipped 105 malformed lines"))
    }
}
