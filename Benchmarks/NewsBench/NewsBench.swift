// newsdesk-bench: measures newsdesk's figures side by side with their competitors,
// in the same run, and prints one table. Run it with `make bench` (or `make bench-quick`).
//
// Every figure is the median of several runs after a warm-up run, with min-max shown.
// Competitors are real programs on the same data: the seed's Python asyncio design
// (Benchmarks/seed_asyncio.py), `grep -i -c`, Python's json.loads, and the PyPI feed
// parsers `feedparser` and `feedparser-rs` (scripts/ensure-deps.sh installs them).
import Foundation
import CLibc
import NewsCore
import NewsFeeds
import NewsStore
import NewsUI

#if canImport(Glibc)
import Glibc
#endif

struct Stats {
    var samples: [Double]
    var median: Double { let s = samples.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }
    var min: Double { samples.min() ?? 0 }
    var max: Double { samples.max() ?? 0 }
}

struct Row {
    var figure: String
    var ours: String
    var theirs: String
    var ratio: String
    var goal: String
    var met: Bool?
}

struct Options {
    var quick = false
    var newsdesk = ""
    var python = "python3"
    var only: String? = nil
    var dataDir = "bench-data"
    /// A markdown file whose table (between `<!-- table -->` and `<!-- /table -->`) is
    /// replaced with this run's.
    var doc: String? = nil

    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let arg = args.next() {
            switch arg {
            case "--quick": quick = true
            case "--newsdesk": newsdesk = args.next() ?? ""
            case "--python": python = args.next() ?? python
            case "--only": only = args.next()
            case "--data": dataDir = args.next() ?? dataDir
            case "--write-doc": doc = args.next()
            default:
                FileHandle.standardError.write(Data("newsdesk-bench: unknown argument \(arg)\n".utf8))
                exit(64)
            }
        }
    }
}

let options = Options()
let benchDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let scriptPath = benchDir.appendingPathComponent("seed_asyncio.py").path

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func measure(runs: Int, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Stats {
    for _ in 0..<warmup { try body() }
    var samples: [Double] = []
    for _ in 0..<runs {
        let t0 = now()
        try body()
        samples.append(now() - t0)
    }
    return Stats(samples: samples)
}

func measureAsync(runs: Int, warmup: Int = 1, _ body: () async throws -> Void) async rethrows -> Stats {
    for _ in 0..<warmup { try await body() }
    var samples: [Double] = []
    for _ in 0..<runs {
        let t0 = now()
        try await body()
        samples.append(now() - t0)
    }
    return Stats(samples: samples)
}

/// Runs a program, stdout to a file or /dev/null; returns (seconds, stdout if captured).
@discardableResult
func runProcess(_ path: String, _ args: [String], capture: Bool = false, stdoutPath: String? = nil, stderrToStdout: Bool = false) throws -> (Double, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["LC_ALL"] = "C.UTF-8"
    p.environment = env
    let pipe = Pipe()
    if capture && stderrToStdout {
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = pipe
    } else if capture {
        p.standardOutput = pipe
    } else {
        p.standardOutput = FileHandle(forWritingAtPath: stdoutPath ?? "/dev/null")
    }
    let t0 = now()
    try p.run()
    var data = Data()
    if capture { data = pipe.fileHandleForReading.readDataToEndOfFile() }
    p.waitUntilExit()
    let elapsed = now() - t0
    if p.terminationStatus != 0 && !(path.hasSuffix("grep") && p.terminationStatus == 1) {
        throw NSError(domain: "bench", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "\(path) \(args) exited \(p.terminationStatus)"])
    }
    return (elapsed, String(decoding: data, as: UTF8.self))
}

func which(_ name: String) -> String {
    if name.contains("/") { return name }
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return "/usr/bin/\(name)"
}

func pythonJSON(_ args: [String]) throws -> [String: Any] {
    let (_, out) = try runProcess(which(options.python), [scriptPath] + args, capture: true)
    return (try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]) ?? [:]
}

func fmtRate(_ r: Double) -> String {
    if r >= 1e6 { return String(format: "%.2f M/s", r / 1e6) }
    if r >= 1e3 { return String(format: "%.1f k/s", r / 1e3) }
    return String(format: "%.0f /s", r)
}

func fmtMs(_ s: Stats) -> String {
    if s.median < 0.001 { return String(format: "%.0f µs (%.0f-%.0f)", s.median * 1e6, s.min * 1e6, s.max * 1e6) }
    return String(format: "%.1f ms (%.1f-%.1f)", s.median * 1000, s.min * 1000, s.max * 1000)
}

func fmtRateStats(_ n: Double, _ s: Stats) -> String {
    "\(fmtRate(n / s.median)) (\(fmtRate(n / s.max))-\(fmtRate(n / s.min)))"
}

// MARK: data

/// Headlines from the simulated sources, merged, as the app sees them.
func generate(_ count: Int, seed: UInt64 = 1) async throws -> [Headline] {
    let sources = try SimulatedSource.defaults(vocabulary: try Vocabulary.bundled(), seed: seed,
                                               start: Timestamp(milliseconds: 1_767_225_600_000))
    return try await withMergedFeed(sources: sources, clock: VirtualClock()) { feed in
        var out: [Headline] = []
        out.reserveCapacity(count)
        loop: for try await event in feed {
            guard case .headlines(let batch) = event else { continue }
            for a in batch {
                out.append(a.headline)
                if out.count == count { break loop }
            }
        }
        return out
    }
}

nonisolated(unsafe) var rows: [Row] = []
let benchStart = now()

func report(_ row: Row) {
    rows.append(row)
    let status = row.met.map { $0 ? "met" : "MISSED" } ?? "-"
    let clock = String(format: "%5.1fs", now() - benchStart)
    FileHandle.standardError.write(Data("  \(clock) \(row.figure): \(row.ours) vs \(row.theirs) [\(row.ratio)] goal \(row.goal): \(status)\n".utf8))
}

func wanted(_ name: String) -> Bool { options.only.map { name.contains($0) } ?? true }

// MARK: benchmarks

/// Merged headlines per second: three simulated sources, no waiting, through the
/// merge into the consumer, which appends each batch to the history (lower-casing
/// into the search buffer) and filters it with `breaking | update`.
func benchMerge(titlesFile: String) async throws {
    let n = options.quick ? 600_000 : 3_000_000
    let query = try Query.parse("breaking | update")
    var matched = 0
    // Diagnostic switch, read once (the environment is parsed on every access).
    let recycle = ProcessInfo.processInfo.environment["BENCH_NO_RECYCLE"] == nil
    let stats = try await measureAsync(runs: options.quick ? 3 : 5) {
        let sources = try SimulatedSource.defaults(vocabulary: try Vocabulary.bundled(), seed: 1, start: Timestamp(milliseconds: 0))
        let history = History()
        matched = try await withMergedFeed(sources: sources, clock: VirtualClock()) { feed in
            var seen = 0, hits = 0
            for try await event in feed {
                guard case .headlines(let batch) = event else { continue }
                let first = history.nextSeq
                history.append(contentsOf: batch)
                hits += history.filter(query, from: first).count
                seen += batch.count
                if recycle { feed.recycle(batch) }
                if seen >= n { break }
            }
            return hits
        }
    }
    _ = matched
    let pyCount = options.quick ? 60_000 : 200_000
    var pyRates: [Double] = []
    for _ in 0..<(options.quick ? 1 : 3) {
        let py = try pythonJSON(["merge", "--titles", titlesFile, "--count", String(pyCount)])
        pyRates.append(py["rate"] as? Double ?? 0)
    }
    let py = Stats(samples: pyRates).median
    let ours = Double(n) / stats.median
    report(Row(figure: "merged headlines/s, 3 sources, filter, no waiting", ours: fmtRateStats(Double(n), stats),
               theirs: fmtRate(py) + " (Python asyncio)", ratio: String(format: "%.0fx", ours / py),
               goal: ">= 2.5 M/s and >= 40x", met: ours >= 2_500_000 && ours / py >= 40))
}

/// Diagnostics: where the merged rate goes (generation alone; merge without consumer work).
func benchParts() async throws {
    let n = 1_000_000
    let gen = try measure(runs: 3) {
        var g = try HeadlineGenerator(category: "tech", vocabulary: try Vocabulary.bundled(), random: SeededRandom(seed: 1))
        var total = 0
        for _ in 0..<n { total &+= g.next().title.utf8.count }
        precondition(total > 0)
    }
    FileHandle.standardError.write(Data("  generator alone: \(String(format: "%.0f", gen.median / Double(n) * 1e9)) ns/headline\n".utf8))
    let src = try await measureAsync(runs: 3) {
        let source = try SimulatedSource(name: "tech", vocabulary: try Vocabulary.bundled(), seed: 1, start: Timestamp(milliseconds: 0), limit: n)
        var count = 0
        for try await batch in source { count += batch.count }
        precondition(count == n)
    }
    FileHandle.standardError.write(Data("  one source iterated alone: \(String(format: "%.0f", src.median / Double(n) * 1e9)) ns/headline\n".utf8))
    let merged = try await measureAsync(runs: 3) {
        let sources = try SimulatedSource.defaults(vocabulary: try Vocabulary.bundled(), seed: 1, start: Timestamp(milliseconds: 0))
        try await withMergedFeed(sources: sources, clock: VirtualClock()) { feed in
            var seen = 0
            for try await event in feed {
                guard case .headlines(let batch) = event else { continue }
                seen += batch.count
                if seen >= 3 * n { break }
            }
        }
    }
    FileHandle.standardError.write(Data("  merge, consumer does nothing: \(fmtRate(Double(3 * n) / merged.median))\n".utf8))
    let withHistory = try await measureAsync(runs: 3) {
        let sources = try SimulatedSource.defaults(vocabulary: try Vocabulary.bundled(), seed: 1, start: Timestamp(milliseconds: 0))
        let history = History()
        try await withMergedFeed(sources: sources, clock: VirtualClock()) { feed in
            var seen = 0
            for try await event in feed {
                guard case .headlines(let batch) = event else { continue }
                history.append(contentsOf: batch)
                seen += batch.count
                if seen >= 3 * n { break }
            }
        }
    }
    FileHandle.standardError.write(Data("  merge + history append: \(fmtRate(Double(3 * n) / withHistory.median))\n".utf8))
    let query = try Query.parse("breaking | update")
    let withFilter = try await measureAsync(runs: 3) {
        let sources = try SimulatedSource.defaults(vocabulary: try Vocabulary.bundled(), seed: 1, start: Timestamp(milliseconds: 0))
        try await withMergedFeed(sources: sources, clock: VirtualClock()) { feed in
            var seen = 0, hits = 0
            for try await event in feed {
                guard case .headlines(let batch) = event else { continue }
                for a in batch where query.matches(a.headline) { hits += 1 }
                seen += batch.count
                if seen >= 3 * n { break }
            }
            precondition(hits > 0)
        }
    }
    FileHandle.standardError.write(Data("  merge + Query.matches per headline: \(fmtRate(Double(3 * n) / withFilter.median))\n".utf8))
}

/// A source that replays pre-made batches: no generation cost, to see the consumer's limit.
struct CannedSource: HeadlineSource {
    typealias Element = [Arrival]
    typealias Failure = any Error
    let name: String
    let batches: [[Arrival]]
    let rounds: Int
    func makeAsyncIterator() -> Iterator { Iterator(source: self) }
    struct Iterator: AsyncIteratorProtocol {
        let source: CannedSource
        var index = 0
        var shift: Int64 = 0
        mutating func next() async throws -> [Arrival]? {
            guard index < source.batches.count * source.rounds else { return nil }
            var batch = source.batches[index % source.batches.count]
            if index > 0 && index % source.batches.count == 0 { shift += batch.last!.offset }
            if shift != 0 { for i in batch.indices { batch[i].offset += shift } }
            index += 1
            return batch
        }
    }
}

func benchConsumerOnly() async throws {
    var canned: [CannedSource] = []
    for s in try SimulatedSource.defaults(vocabulary: try Vocabulary.bundled(), seed: 1, start: Timestamp(milliseconds: 0), limit: 256 * 40) {
        var batches: [[Arrival]] = []
        for try await b in s { batches.append(b) }
        canned.append(CannedSource(name: s.name, batches: batches, rounds: 25))
    }
    let query = try Query.parse("breaking | update")
    let total = 3 * 256 * 40 * 25
    let stats = try await measureAsync(runs: 3) {
        let history = History()
        try await withMergedFeed(sources: canned, clock: VirtualClock()) { feed in
            for try await event in feed {
                guard case .headlines(let batch) = event else { continue }
                let first = history.nextSeq
                history.append(contentsOf: batch)
                _ = history.filter(query, from: first)
            }
        }
    }
    FileHandle.standardError.write(Data("  consumer only (canned sources): \(fmtRate(Double(total) / stats.median))\n".utf8))
}

/// History ingest: the per-headline cost after the hand-off (copy + lower-case into
/// the chunk's contiguous buffers, intern source and outlet), in the steady state of a
/// running app: a full history of the default size, evicting as it takes new ones.
func benchIngest(_ headlines: [Headline]) {
    // In batches of 256, as the merged feed hands them over.
    let batches = stride(from: 0, to: headlines.count, by: 256).map { Array(headlines[$0..<min($0 + 256, headlines.count)]) }
    let history = History()
    for batch in batches.prefix(History.defaultCapacity / 256 + 1) { history.append(contentsOf: batch) }
    let stats = measure(runs: options.quick ? 3 : 7) {
        for batch in batches { history.append(contentsOf: batch) }
    }
    let perHeadline = stats.median / Double(headlines.count) * 1e9
    report(Row(figure: "history append (lower-casing), per headline", ours: String(format: "%.0f ns (%.0f-%.0f)", perHeadline,
               stats.min / Double(headlines.count) * 1e9, stats.max / Double(headlines.count) * 1e9),
               theirs: "-", ratio: "-", goal: "none (about 100 ns hoped)", met: nil))
}

/// End to end: the real binary printing a million lines to /dev/null, against the
/// Python design printing the same way.
func benchEndToEnd(titlesFile: String) throws {
    let n = options.quick ? 300_000 : 1_000_000
    let stats = try measure(runs: options.quick ? 3 : 5) {
        try runProcess(options.newsdesk, ["--plain", "--speed", "max", "--count", String(n), "--seed", "1"])
    }
    let pyN = options.quick ? 50_000 : 200_000
    let py = try measure(runs: options.quick ? 1 : 3, warmup: 0) {
        try runProcess(which(options.python), [scriptPath, "print", "--titles", titlesFile, "--count", String(pyN)])
    }
    let ours = Double(n) / stats.median, theirs = Double(pyN) / py.median
    report(Row(figure: "end to end --plain --speed max > /dev/null, lines/s", ours: fmtRateStats(Double(n), stats),
               theirs: fmtRate(theirs) + " (Python asyncio, print)", ratio: String(format: "%.0fx", ours / theirs),
               goal: ">= 30x", met: ours / theirs >= 30))
}

/// Re-filtering the whole history for a new query, against grep -i -c over the same titles.
func benchRefilter(_ headlines: [Headline], titlesFile: String, sizes: [Int]) throws {
    var cases: [(name: String, query: String, grep: [String], goalMs: Double, goalRatio: Double)] = [
        ("one keyword", "election", ["-i", "-c", "election"], 12, 5),
        ("two-letter keyword", "el", ["-i", "-c", "el"], 20, 5),
        ("a | b | c", "shares | election | final", ["-i", "-c", "-e", "shares", "-e", "election", "-e", "final"], 30, 3),
    ]
    if ProcessInfo.processInfo.environment["BENCH_VERBOSE"] != nil {
        cases.append(("one letter", "e", ["-i", "-c", "e"], 0, 0))
    }
    for size in sizes {
        let history = History(capacity: size)
        for h in headlines.prefix(size) { history.append(h) }
        let file = size == headlines.count ? titlesFile : titlesFile + ".\(size)"
        if size != headlines.count {
            try headlines.prefix(size).map(\.title).joined(separator: "\n").appending("\n").write(toFile: file, atomically: true, encoding: .utf8)
        }
        for c in cases {
            let query = try Query.parse(c.query)
            var count = 0
            let ours = measure(runs: options.quick ? 5 : 15) { count = history.filter(query).count }
            var grepOut = ""
            let grep = try measure(runs: options.quick ? 3 : 7) {
                grepOut = try runProcess(which("grep"), c.grep + [file], capture: true).1
            }
            let grepCount = Int(grepOut.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            let ratio = grep.median / ours.median
            let isFull = size == 1_000_000
            report(Row(figure: "re-filter \(size.formatted()) history, \(c.name) (\(count) matches\(grepCount == count ? "" : ", grep \(grepCount)"))",
                       ours: fmtMs(ours), theirs: fmtMs(grep) + " (grep -i -c)", ratio: String(format: "%.1fx", ratio),
                       goal: isFull ? String(format: "<= %.0f ms and >= %.0fx", c.goalMs, c.goalRatio) : "scales",
                       met: isFull ? (ours.median * 1000 <= c.goalMs && ratio >= c.goalRatio) : nil))
        }
    }
}

/// Bytes of heap per headline held in a history of 1,000,000, against a Python list of dicts.
func benchMemory(_ headlines: [Headline], titlesFile: String) throws {
    let before = mallinfo2().uordblks
    let history = History(capacity: headlines.count)
    for h in headlines { history.append(h) }
    let after = mallinfo2().uordblks
    let ours = Double(after - before) / Double(headlines.count)
    withExtendedLifetime(history) {}
    let py = try pythonJSON(["memory", "--titles", titlesFile, "--count", String(headlines.count)])
    let theirs = py["bytes_per_headline"] as? Double ?? 0
    report(Row(figure: "memory per headline in history at \(headlines.count.formatted())", ours: String(format: "%.0f B", ours),
               theirs: String(format: "%.0f B (Python dicts)", theirs), ratio: String(format: "%.2fx", ours / theirs),
               goal: "<= 150 B and <= 0.4x", met: ours <= 150 && ours / theirs <= 0.4))
}

// MARK: replay

/// Reading a recording: the real binary replaying a million events to /dev/null, against
/// Python's json.loads over the same lines; and its peak memory, against a tenth of it.
func benchReplay(headlines: [Headline]) throws {
    guard !options.newsdesk.isEmpty else { return }
    let sizes = options.quick ? [100_000, 1_000_000] : [10_000, 100_000, 1_000_000]
    var peaks: [(Int, Int)] = []
    for size in sizes {
        let file = options.dataDir + "/recording-\(size).jsonl"
        if !FileManager.default.fileExists(atPath: file) {
            try runProcess(options.newsdesk, ["record", "--out", file, "--seed", "1", "--speed", "max", "--count", String(size), "--force"])
        }
        var peak = 0
        let ours = try measure(runs: options.quick ? 3 : 5) {
            let (_, out) = try runProcess("/usr/bin/time", ["-f", "%M", options.newsdesk, "replay", file, "--plain", "--speed", "max"],
                                          capture: true, stderrToStdout: true)
            peak = max(peak, Int(out.split(separator: "\n").last.map(String.init) ?? "") ?? 0)
        }
        peaks.append((size, peak))
        var pyRates: [Double] = []
        for _ in 0..<(options.quick ? 1 : 3) {
            let py = try pythonJSON(["json", "--file", file])
            pyRates.append(py["rate"] as? Double ?? 0)
        }
        let theirs = Stats(samples: pyRates).median
        let rate = Double(size) / ours.median
        let full = size == 1_000_000
        report(Row(figure: "replay --plain --speed max, \(size.formatted()) events, events/s", ours: fmtRateStats(Double(size), ours),
                   theirs: fmtRate(theirs) + " (Python json.loads)", ratio: String(format: "%.1fx", rate / theirs),
                   goal: full ? ">= 2x" : "scales", met: full ? rate / theirs >= 2 : nil))
    }
    let text = peaks.map { "\($0.0.formatted()): \($0.1 / 1024) MB" }.joined(separator: ", ")
    let flat = peaks.count >= 2 && Double(peaks.last!.1) <= Double(peaks.first!.1) * 1.5
    report(Row(figure: "peak memory (max RSS) replaying", ours: text, theirs: "-", ratio: "-",
               goal: "flat, bounded by history", met: flat))
}

// MARK: import of a feed

/// The whole `newsdesk import FEED --out X --force` process on a generated RSS 2.0 feed of
/// 30,000 items (about 16 MB), against whole Python processes that parse the same file with
/// `feedparser` (pure Python) and `feedparser-rs` (Rust; its `max_entries` raised so that it
/// reads every item) and count the entries. Wall time and peak memory (max RSS) of each.
func benchFeedImport() throws {
    guard !options.newsdesk.isEmpty else { return }
    let items = 30_000
    let file = options.dataDir + "/feed-\(items).xml"
    if !FileManager.default.fileExists(atPath: file) {
        try Data(LargeFeedGenerator.rss(items: items, seed: 1)).write(to: URL(fileURLWithPath: file))
    }
    let bytes = Double((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
    let mb = bytes / 1_000_000
    let out = options.dataDir + "/feed-\(items).jsonl"
    /// Runs `args` under /usr/bin/time: (seconds, peak KiB, stdout's last line).
    func timed(_ args: [String]) throws -> (Double, Int, String) {
        let (seconds, text) = try runProcess("/usr/bin/time", ["-f", "%M"] + args, capture: true, stderrToStdout: true)
        let peak = Int(text.split(separator: "\n").last.map(String.init) ?? "") ?? 0
        return (seconds, peak, text)
    }
    var oursPeak = 0
    let ours = try measure(runs: options.quick ? 3 : 5) {
        let (_, peak, _) = try timed([options.newsdesk, "import", file, "--out", out, "--force"])
        oursPeak = max(oursPeak, peak)
    }
    let imported = ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").count - 1
    let python = which(options.python)
    func competitor(_ code: String, runs: Int) throws -> (Stats, Int) {
        var peak = 0
        var samples: [Double] = []
        for _ in 0..<runs {
            let (seconds, p, _) = try timed([python, "-c", code, file])
            samples.append(seconds)
            peak = max(peak, p)
        }
        return (Stats(samples: samples), peak)
    }
    let rsCode = "import sys, feedparser_rs; d = feedparser_rs.parse_with_limits(open(sys.argv[1], 'rb').read(), "
        + "limits=feedparser_rs.ParserLimits(max_entries=1000000)); assert len(d.entries) == \(items), len(d.entries)"
    let pyCode = "import sys, feedparser; d = feedparser.parse(open(sys.argv[1], 'rb').read()); assert len(d.entries) == \(items), len(d.entries)"
    let (rs, rsPeak) = try competitor(rsCode, runs: options.quick ? 1 : 3)
    let (py, pyPeak) = try competitor(pyCode, runs: 1)  // about half a minute a run
    func speeds(_ s: Stats) -> String {
        String(format: "%.2f s, ", s.median) + "\(Int(Double(items) / s.median).formatted()) items/s, " + String(format: "%.1f MB/s", mb / s.median)
    }
    let sizeNote = String(format: "%.1f MB, %@ items", mb, items.formatted())
    report(Row(figure: "import of an RSS feed (\(sizeNote)), whole process, vs feedparser-rs", ours: speeds(ours) + (imported == items ? "" : " (\(imported) imported!)"),
               theirs: speeds(rs) + " (feedparser-rs, parse only)", ratio: String(format: "%.1fx", rs.median / ours.median),
               goal: "faster", met: imported == items && ours.median < rs.median))
    report(Row(figure: "import of the same feed vs feedparser", ours: speeds(ours),
               theirs: speeds(py) + " (feedparser, parse only)", ratio: String(format: "%.1fx", py.median / ours.median),
               goal: ">= 20x", met: imported == items && py.median / ours.median >= 20))
    report(Row(figure: "peak memory (max RSS) importing the feed", ours: "\(oursPeak / 1024) MB (\(String(format: "%.1f", Double(oursPeak) * 1024 / bytes))x the file)",
               theirs: "feedparser-rs \(rsPeak / 1024) MB, feedparser \(pyPeak / 1024) MB", ratio: String(format: "%.2fx", Double(oursPeak) / Double(max(1, rsPeak))),
               goal: "<= 3x the file", met: Double(oursPeak) * 1024 <= 3 * bytes))
}

// MARK: store

/// The store (issue 13) over the million headlines: the insert rate in the batches the live
/// merge hands over (each source's 256 at a time, one transaction each, in arrival order)
/// and in bulk (one transaction per source), each against Python's sqlite3 executemany of
/// the same rows into the same schema (`Benchmarks/store_python.py`, in turn with ours);
/// bytes per headline after a checkpoint; `search` with a word and the full-scan path
/// against `grep -i -c`; and the start-up read, `recent(limit: 100_000)`.
func benchStore(_ headlines: [Headline], titlesFile: String) throws {
    let dir = options.dataDir + "/store"
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let seen = Timestamp(milliseconds: 1_767_225_600_000)
    let clock: @Sendable () -> Timestamp = { seen }
    // Each source's headlines in 256s, the batches in the order of their first headline.
    var bySource: [String: [Headline]] = [:]
    var order: [String] = []
    for h in headlines {
        if bySource[h.source] == nil { order.append(h.source) }
        bySource[h.source, default: []].append(h)
    }
    var batches: [(feed: String, headlines: ArraySlice<Headline>)] = []
    for feed in order {
        let all = bySource[feed]!
        for start in stride(from: 0, to: all.count, by: 256) {
            batches.append((feed, all[start..<min(start + 256, all.count)]))
        }
    }
    batches.sort { $0.headlines.first!.published.milliseconds < $1.headlines.first!.published.milliseconds }
    let bulk = order.map { (feed: $0, headlines: bySource[$0]![...]) }
    func tsv(_ list: [(feed: String, headlines: ArraySlice<Headline>)], _ path: String) throws {
        var out = ""
        out.reserveCapacity(headlines.count * 110)
        // The key hash each row is stored under: its own, or when another id of the feed
        // holds that, the next free value of its window (HeadlineStore.keySlots), as ours
        // stores them; Python's plain INSERTs then meet no conflict in the unique key index.
        var slots: [String: HeadlineStore.KeySlots] = [:]
        for (b, batch) in list.enumerated() {
            for h in batch.headlines {
                let key = slots[batch.feed, default: HeadlineStore.KeySlots()].take(h.id)
                out += "\(b)\t\(batch.feed)\t\(key)\t\(h.published.milliseconds)\t\(seen.milliseconds)\t\(h.id)\t\(h.title)\t\(h.outlet ?? "")\n"
            }
        }
        try out.write(toFile: path, atomically: true, encoding: .utf8)
    }
    try tsv(batches, dir + "/batched.tsv")
    try tsv(bulk, dir + "/bulk.tsv")
    let python = which(options.python)
    let script = benchDir.appendingPathComponent("store_python.py").path
    func size(_ path: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
    func fresh(_ name: String) throws -> String {
        let path = dir + "/" + name
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        return path
    }
    /// Python's run into an empty store newsdesk made (the same schema): its seconds.
    func pythonRun(_ rows: String, _ name: String) throws -> (Double, Int) {
        let path = try fresh(name)
        _ = try HeadlineStore(path: path, clock: clock)
        let out = try runProcess(python, [script, path, rows], capture: true).1
        return (Double(out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan, size(path))
    }
    let runs = options.quick ? 1 : 2
    var ours: [Double] = [], theirs: [Double] = [], oursBulk: [Double] = [], theirsBulk: [Double] = []
    var oursBytes = 0, theirsBytes = 0, new = 0
    var storePath = ""
    for run in 0..<runs {
        // Python first every other run, so that the order (the write-back of what the last
        // run wrote) falls on both alike.
        if run % 2 == 1 {
            let (p, pb) = try pythonRun(dir + "/batched.tsv", "python-batched.db")
            theirs.append(p)
            theirsBytes = pb
        }
        storePath = try fresh("batched-\(run).db")
        do {
            let store = try HeadlineStore(path: storePath, clock: clock)
            new = 0
            let t0 = now()
            for batch in batches {
                for outcome in try store.store(Array(batch.headlines), feed: batch.feed) where outcome.isNew { new += 1 }
            }
            ours.append(now() - t0)
            try store.checkpoint()
            oursBytes = size(storePath)
        }
        if run > 0 { try? FileManager.default.removeItem(atPath: dir + "/batched-\(run - 1).db") }
        if run % 2 == 0 {
            let (p, pb) = try pythonRun(dir + "/batched.tsv", "python-batched.db")
            theirs.append(p)
            theirsBytes = pb
        }
        if run % 2 == 1 { theirsBulk.append(try pythonRun(dir + "/bulk.tsv", "python-bulk.db").0) }
        let bulkPath = try fresh("bulk.db")
        do {
            let store = try HeadlineStore(path: bulkPath, clock: clock)
            let t0 = now()
            for batch in bulk { _ = try store.store(Array(batch.headlines), feed: batch.feed) }
            oursBulk.append(now() - t0)
        }
        if run % 2 == 0 { theirsBulk.append(try pythonRun(dir + "/bulk.tsv", "python-bulk.db").0) }
    }
    let n = Double(headlines.count)
    func rates(_ s: [Double]) -> String { fmtRateStats(n, Stats(samples: s)) }
    let ratio = Stats(samples: theirs).median / Stats(samples: ours).median
    report(Row(figure: "store insert, headlines/s, batches of 256 (\(batches.count) commits)", ours: rates(ours),
               theirs: rates(theirs) + " (Python sqlite3 executemany, same schema)", ratio: String(format: "%.2fx", ratio),
               goal: ">= Python", met: new == headlines.count && ratio >= 1))
    let bulkRatio = Stats(samples: theirsBulk).median / Stats(samples: oursBulk).median
    report(Row(figure: "store insert, headlines/s, bulk (one commit per source)", ours: rates(oursBulk),
               theirs: rates(theirsBulk) + " (Python sqlite3 executemany, same schema)", ratio: String(format: "%.2fx", bulkRatio),
               goal: ">= Python", met: bulkRatio >= 1))
    let perHeadline = Double(oursBytes) / n
    report(Row(figure: "store bytes per headline, search index included (1,000,000, checkpointed)",
               ours: String(format: "%.0f B (%.1f MB)", perHeadline, Double(oursBytes) / 1e6),
               theirs: String(format: "%.0f B (Python's file, same schema)", Double(theirsBytes) / n),
               ratio: String(format: "%.2fx", Double(oursBytes) / Double(max(1, theirsBytes))),
               goal: "<= 250 B", met: perHeadline <= 250))

    // Reads, over the batched store.
    let store = try HeadlineStore(path: storePath, clock: clock)
    let word = "election"
    let query = try Query.parse(word)
    var indexed = 0, scanned = 0
    let searchRuns = options.quick ? 3 : 5
    let viaIndex = try measure(runs: searchRuns) { indexed = try store.search(word, limit: .max).count }
    let viaScan = try measure(runs: options.quick ? 1 : 3) {
        scanned = try store.search("", limit: .max, where: { query.matches($0.headline) }).count
    }
    var grepCount = ""
    let grep = try measure(runs: searchRuns) { grepCount = try runProcess(which("grep"), ["-i", "-c", word, titlesFile], capture: true).1 }
    let grepN = grepCount.trimmingCharacters(in: .whitespacesAndNewlines)
    report(Row(figure: "store search \"\(word)\", 1,000,000 stored, word index (\(indexed) found)", ours: fmtMs(viaIndex),
               theirs: fmtMs(grep) + " (grep -i -c over the titles, \(grepN))", ratio: String(format: "%.1fx", grep.median / viaIndex.median),
               goal: "report", met: nil))
    report(Row(figure: "store search \"\(word)\", 1,000,000 stored, full scan + matcher (\(scanned) found)", ours: fmtMs(viaScan),
               theirs: fmtMs(grep) + " (grep -i -c)", ratio: String(format: "%.1fx", grep.median / viaScan.median),
               goal: "report", met: nil))
    var got = 0
    let recent = try measure(runs: 5) { got = try store.recent(limit: 100_000).count }
    let arrivals = try measure(runs: 5) { got = min(got, try store.recentArrivals(limit: 100_000, start: seen).count) }
    let opened = try measure(runs: 5) {
        let s = try HeadlineStore(path: storePath, clock: clock)
        got = min(got, try s.recentArrivals(limit: 100_000, start: seen).count)
    }
    report(Row(figure: "store start-up read, recent(limit: 100,000) of 1,000,000", ours: fmtMs(recent),
               theirs: "-", ratio: "-", goal: "<= 300 ms", met: got == 100_000 && recent.median <= 0.3))
    report(Row(figure: "store start-up read, recentArrivals(limit: 100,000); open + read", ours: fmtMs(arrivals) + "; " + fmtMs(opened),
               theirs: "-", ratio: "-", goal: "<= 300 ms", met: got == 100_000 && opened.median <= 0.3))
    // The whole binary on that store: the view opens on the newest 100,000 (its history)
    // before any source runs; the first frame is timed as the start-up figure is. Without
    // --seed the store's simulated headlines are not new to it: --seed 1 --store FILE.
    if !options.newsdesk.isEmpty {
        try benchStartup(arguments: ["--seed", "1", "--store", storePath],
                         figure: "start-up to the first frame showing 1,000,000 stored headlines' newest 100,000 (200x60 pty; newsboat: 15 s at 1 GB)",
                         goal: ("<= 1 s", 1.0), runs: options.quick ? 3 : 10)
    }
}


// MARK: import of a table

/// The whole `newsdesk import` process on a 1,000,000-row CSV and the same rows as JSON
/// Lines (`Benchmarks/make_import_data.py`, seeded: about 127 and 178 MB), against the same
/// job in a plain Python script (`Benchmarks/import_python.py`: the csv module or
/// json.loads, datetime.fromisoformat, an in-memory sort, json.dumps per row), in turn.
/// Then `--time-format iso8601` given against guessing it, and the peak memory (max RSS).
func benchTableImport() throws {
    guard !options.newsdesk.isEmpty else { return }
    let rows = 1_000_000
    let python = which(options.python)
    let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path
    /// Runs `args` under /usr/bin/time: (seconds, peak KiB, user CPU seconds).
    func timed(_ args: [String]) throws -> (Double, Int, Double) {
        let (seconds, text) = try runProcess("/usr/bin/time", ["-f", "%M %U"] + args, capture: true, stderrToStdout: true)
        let last = (text.split(separator: "\n").last ?? "").split(separator: " ")
        return (seconds, last.first.flatMap { Int($0) } ?? 0, last.count > 1 ? Double(last[1]) ?? 0 : 0)
    }
    let fields = ["--title", "headline", "--time", "date", "--source", "section", "--url", "link"]
    for format in ["csv", "jsonl"] {
        let file = options.dataDir + "/import-\(rows).\(format)"
        if !FileManager.default.fileExists(atPath: file) {
            FileHandle.standardError.write(Data("newsdesk-bench: writing \(file)...\n".utf8))
            FileManager.default.createFile(atPath: file + ".part", contents: nil)
            _ = try runProcess(python, [scripts + "/make_import_data.py", "\(rows)", format], stdoutPath: file + ".part")
            try FileManager.default.moveItem(atPath: file + ".part", toPath: file)
        }
        let mb = Double((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0) / 1_000_000
        let out = options.dataDir + "/import-\(rows)-\(format).newsdesk.jsonl"
        let pyOut = options.dataDir + "/import-\(rows)-\(format).python.jsonl"
        var ours: [Double] = [], theirs: [Double] = [], oursCPU: [Double] = [], explicitCPU: [Double] = []
        var oursPeak = 0, pyPeak = 0
        // In turn, so that a drift of the machine's speed falls on both alike.
        for _ in 0..<(options.quick ? 1 : 3) {
            let (a, peak, _) = try timed([options.newsdesk, "import", file, "--out", out, "--force"] + fields)
            ours.append(a)
            oursPeak = max(oursPeak, peak)
            let (b, p, _) = try timed([python, scripts + "/import_python.py", file, pyOut, format])
            theirs.append(b)
            pyPeak = max(pyPeak, p)
        }
        // Given or guessed, in turn, by the CPU time in user space: the wall time of a run
        // swings with the kernel's write-back of the last run's output.
        for _ in 0..<(options.quick ? 3 : 5) {
            oursCPU.append(try timed([options.newsdesk, "import", file, "--out", out, "--force"] + fields).2)
            explicitCPU.append(try timed([options.newsdesk, "import", file, "--out", out, "--force", "--time-format", "iso8601"] + fields).2)
        }
        let imported = try lineCount(out) - 1
        let (o, t) = (Stats(samples: ours), Stats(samples: theirs))
        let (guessed, given) = (Stats(samples: oursCPU), Stats(samples: explicitCPU))
        func speed(_ s: Stats) -> String { String(format: "%.2f s, ", s.median) + "\(Int(Double(rows) / s.median).formatted()) rows/s" }
        let name = format == "csv" ? "CSV" : "JSON Lines"
        report(Row(figure: "import of a \(rows.formatted())-row \(name) (\(Int(mb)) MB), whole process, vs a Python script",
                   ours: speed(o) + (imported == rows ? "" : " (\(imported) imported!)"),
                   theirs: speed(t) + " (csv/json, fromisoformat, sort, json.dumps)", ratio: String(format: "%.1fx", t.median / o.median),
                   goal: ">= 5x", met: imported == rows && t.median / o.median >= 5))
        report(Row(figure: "the same \(name) with --time-format iso8601 given, user CPU", ours: String(format: "%.2f s", given.median),
                   theirs: String(format: "%.2f s (guessing the format)", guessed.median),
                   ratio: String(format: "%.2fx", guessed.median / given.median), goal: "not slower (within 5%)", met: given.median <= guessed.median * 1.05))
        report(Row(figure: "peak memory (max RSS) importing the \(name)", ours: "\(oursPeak / 1024) MB", theirs: "Python \(pyPeak / 1024) MB",
                   ratio: String(format: "%.2fx", Double(oursPeak) / Double(max(1, pyPeak))), goal: "<= 300 MB", met: oursPeak <= 300 * 1024))
        try? FileManager.default.removeItem(atPath: out)
        try? FileManager.default.removeItem(atPath: pyOut)
    }
}

/// The number of lines of a file.
func lineCount(_ path: String) throws -> Int {
    let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    return data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
}

/// Replay timing at speed 1: how far each event's release is from its schedule.
func benchReplayTiming() async throws {
    let seconds = options.quick ? 10 : 300
    let path = options.dataDir + "/timing-\(seconds)s.jsonl"
    let writer = try RecordingWriter(path: path, header: RecordingHeader(started: Timestamp(milliseconds: 0), sources: ["tech"]), overwrite: true)
    var offsets: [Int64] = []
    var t: Int64 = 50
    while t < Int64(seconds) * 1000 { offsets.append(t); t += 37 + (t * 7919) % 263 }
    try writer.write(offsets.enumerated().map { i, o in
        Arrival(offset: o, headline: Headline(id: "\(i)", source: "tech", title: "event \(i)", published: Timestamp(milliseconds: o)))
    })
    try writer.close()
    // The replay clock runs on real time from the moment the feed is ready (its first
    // events read); at speed 1 its time at a release minus the event's offset is how late
    // the event is against its schedule.
    let clock = ReplayClock(speed: 1, holdUntilReady: true)
    var errors: [(Int64, Double)] = []
    try await withMergedFeed(sources: [ReplaySource(path: path)], clock: clock, start: FeedInstant(offset: .zero)) { feed in
        for try await event in feed {
            guard case .headlines(let batch) = event else { continue }
            let now = clock.now.offset
            let ms = Double(now.components.seconds) * 1000 + Double(now.components.attoseconds) / 1e15
            for a in batch { errors.append((a.offset, ms - Double(a.offset))) }
        }
    }
    if ProcessInfo.processInfo.environment["BENCH_VERBOSE"] != nil { for e in errors where abs(e.1) > 1 { FileHandle.standardError.write(Data("    late \(e.0) ms: \(e.1) ms\n".utf8)) } }
    let all = errors.map(\.1)
    let firstMinute = errors.filter { $0.0 < 60_000 }.map(\.1), lastMinute = errors.filter { $0.0 >= Int64(seconds - 60) * 1000 }.map(\.1)
    let worst = all.map(abs).max() ?? 0
    report(Row(figure: "replay timing error at speed 1, \(seconds) s, \(errors.count) events (median, p99, worst; first vs last minute)",
               ours: String(format: "%.2f, %.2f, %.2f ms; %.2f vs %.2f ms", percentile(all, 0.5), percentile(all.map(abs), 0.99), worst,
                            percentile(firstMinute, 0.5), percentile(lastMinute, 0.5)),
               theirs: "-", ratio: "-", goal: "worst < 5 ms, no growth",
               met: worst < 5 && percentile(lastMinute, 0.5) - percentile(firstMinute, 0.5) < 1))
}

// MARK: the interactive view

func percentile(_ samples: [Double], _ p: Double) -> Double {
    let sorted = samples.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

/// Keystroke to updated screen while filtering a 1,000,000-headline history: the reducer
/// (re-filter, narrowing when the query grows), rendering the frame and diffing it
/// against the previous one; everything but ncurses' own write to the terminal.
func benchKeystrokes(_ headlines: [Headline]) {
    let history = History(capacity: headlines.count)
    for start in stride(from: 0, to: headlines.count, by: 256) {
        history.append(contentsOf: Array(headlines[start..<min(start + 256, headlines.count)]))
    }
    let t0 = headlines.last!.published
    var state = AppState(history: history, config: AppConfig(sources: SimulatedSource.defaultNames, feedStart: headlines.first!.published), columns: 120, rows: 40, now: t0)
    var grid = Renderer.render(state)
    var samples: [Double] = []
    func keys(_ text: String) -> [Key] { text.map { Key.char($0) } }
    var typing: [Key] = [.char("/")]
    typing += keys("election")
    typing += [.backspace, .backspace, .backspace, .ctrl("u")]
    typing += keys("shares -cup")
    typing += [.enter, .char("j"), .char("j"), .char("k"), .char("1"), .char("1"), .char("\\"), .char("/")]
    typing += keys("el")
    typing += [.escape]
    for round in 0..<(options.quick ? 3 : 10) {
        for key in typing {
            let start = now()
            _ = state.handle(.key(key))
            var next = grid
            Renderer.render(state, into: &next)
            let changes = next.changes(from: grid)
            grid = next
            let elapsed = now() - start
            if round > 0 { samples.append(elapsed) }  // the first round warms up
            if ProcessInfo.processInfo.environment["BENCH_VERBOSE"] != nil && round == 1 {
                FileHandle.standardError.write(Data("    \(key): \(String(format: "%.1f", elapsed * 1000)) ms\n".utf8))
            }
            precondition(changes.count >= 0)
        }
    }
    let p50 = percentile(samples, 0.5) * 1000, p99 = percentile(samples, 0.99) * 1000
    report(Row(figure: "keystroke to updated screen, 1,000,000 history (p50, p99; \(samples.count) keys)",
               ours: String(format: "%.1f ms, %.1f ms", p50, p99), theirs: "-", ratio: "-", goal: "p99 <= 16 ms", met: p99 <= 16))
}

/// A full 200x60 frame: render the state into the grid and diff it with the previous
/// frame (a clock tick: every age on screen changes).
func benchFrame(_ headlines: [Headline]) {
    let history = History(capacity: 100_000)
    history.append(contentsOf: Array(headlines.prefix(100_000)))
    var state = AppState(history: history, config: AppConfig(sources: SimulatedSource.defaultNames, feedStart: headlines[0].published), columns: 200, rows: 60,
                         now: headlines[99_999].published)
    _ = state.handle(.key(.char("/")))
    for c in "goal | shares" { _ = state.handle(.key(.char(c))) }
    _ = state.handle(.key(.enter))
    var grid = Renderer.render(state)
    var tick = 0
    let stats = measure(runs: options.quick ? 200 : 2000) {
        tick += 1
        _ = state.handle(.tick(now: headlines[99_999].published.adding(milliseconds: Int64(tick) * 1000)))
        var next = grid
        Renderer.render(state, into: &next)
        let changes = next.changes(from: grid)
        precondition(changes.count >= 0)
        grid = next
    }
    report(Row(figure: "full 200x60 frame: render to grid + diff", ours: fmtMs(stats), theirs: "-", ratio: "-",
               goal: "<= 1 ms", met: stats.median <= 0.001))
}

/// The real binary idle in a real pseudo-terminal (under `script`): the feed runs for 8
/// seconds and ends (`--duration 8`), then nothing arrives while the ages on screen keep
/// ticking. CPU time and bytes written to the terminal over the idle window.
func benchIdle() throws {
    guard !options.newsdesk.isEmpty else { return }
    let seconds = options.quick ? 5.0 : 60.0
    let feedSeconds = options.quick ? 2 : 8
    let log = options.dataDir + "/idle-typescript"
    try? FileManager.default.removeItem(atPath: log)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: which("script"))
    p.arguments = ["-q", "-f", "-c", "stty rows 30 cols 100; TERM=xterm-256color exec \(options.newsdesk) --seed 1 --duration \(feedSeconds)", log]
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    Thread.sleep(forTimeInterval: Double(feedSeconds) + 1)  // the feed runs its course
    func child() -> Int32? {
        let out = (try? runProcess(which("pgrep"), ["-f", "--", "--seed 1 --duration \(feedSeconds)"], capture: true).1) ?? ""
        return out.split(separator: "\n").compactMap { Int32($0) }.first { $0 != p.processIdentifier }
    }
    /// CPU time of every thread of `pid`, in seconds (schedstat: nanoseconds on a CPU).
    func cpuSeconds(_ pid: Int32) -> Double {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.reduce(0.0) { sum, task in
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8)) ?? ""
            return sum + (Double(stat.split(separator: " ").first ?? "") ?? 0) / 1e9
        }
    }
    guard let pid = child() else { p.terminate(); return }
    let bytes0 = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0
    let cpu0 = cpuSeconds(pid)
    Thread.sleep(forTimeInterval: seconds)
    let cpu1 = cpuSeconds(pid)
    let bytes1 = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0
    kill(pid, SIGTERM)
    p.waitUntilExit()
    let percent = (cpu1 - cpu0) / seconds * 100
    report(Row(figure: "idle CPU, \(Int(seconds)) s, no arrivals", ours: String(format: "%.3f %% of a core", percent),
               theirs: "-", ratio: "-", goal: "< 0.5 %", met: percent < 0.5))
    report(Row(figure: "bytes written to the terminal per second, idle (ages ticking)",
               ours: String(format: "%.0f B/s", Double(bytes1 - bytes0) / seconds), theirs: "-", ratio: "-", goal: "as few as possible", met: nil))
}

/// Start-up to first full frame: the real binary in a fresh pseudo-terminal (200x60,
/// xterm-256color), timed from just before `posix_spawn` until the last row of the first
/// frame (the status line, which ends "q quit") has been written to the terminal. Includes
/// loading the executable and the Swift runtime, reading the vocabularies and ncurses'
/// set-up. Each run then quits with `q`.
func benchStartup(arguments: [String] = ["--seed", "1"], figure: String = "start-up to first full frame (200x60 pty)",
                  goal: (text: String, seconds: Double) = ("<= 50 ms", 0.050), runs: Int? = nil) throws {
    guard !options.newsdesk.isEmpty else { return }
    func once() throws -> Double {
        let master = posix_openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0, let name = ptsname(master) else {
            throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "no pseudo-terminal"])
        }
        defer { close(master) }
        var size = winsize(ws_row: 60, ws_col: 200, ws_xpixel: 0, ws_ypixel: 0)
        _ = withUnsafeMutablePointer(to: &size) { ioctl(master, UInt(TIOCSWINSZ), $0) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, 0x80)  // POSIX_SPAWN_SETSID (glibc), hidden from Swift
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm-256color"
        env["LC_ALL"] = "C.UTF-8"
        env.removeValue(forKey: "NO_COLOR")
        let argv: [UnsafeMutablePointer<CChar>?] = ([options.newsdesk] + arguments).map { (arg: String) in strdup(arg) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { (key: String, value: String) in strdup("\(key)=\(value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let t0 = now()
        let spawned = posix_spawn(&pid, options.newsdesk, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw NSError(domain: "bench", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "cannot start \(options.newsdesk)"])
        }
        // Read until the status line's "quit" is out (5 s at most).
        var seen: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var elapsed = Double.nan
        let marker = Array("quit".utf8)
        while now() - t0 < 5 {
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&fds, 1, 100) > 0 else { continue }
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            seen += buffer[0..<n]
            if seen.count >= marker.count, seen.withUnsafeBytes({ bytes in
                memmem(bytes.baseAddress, bytes.count, marker, marker.count) != nil
            }) {
                elapsed = now() - t0
                break
            }
        }
        _ = write(master, "q", 1)
        // Keep draining so the app can finish writing, then reap it.
        let deadline = now() + 5
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if now() > deadline { kill(pid, SIGKILL); waitpid(pid, &status, 0); break }
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 10) > 0 { _ = read(master, &buffer, buffer.count) }
        }
        guard elapsed.isFinite else {
            throw NSError(domain: "bench", code: 2, userInfo: [NSLocalizedDescriptionKey: "no first frame within 5 s"])
        }
        return elapsed
    }
    _ = try once()  // warm-up: the executable and its libraries in the page cache
    var samples: [Double] = []
    for _ in 0..<(runs ?? (options.quick ? 5 : 20)) { samples.append(try once()) }
    let stats = Stats(samples: samples)
    report(Row(figure: figure, ours: fmtMs(stats), theirs: "-", ratio: "-",
               goal: goal.text, met: stats.median <= goal.seconds))
}

// MARK: main

func printTable(machine: String) {
    let header = Row(figure: "figure", ours: "newsdesk", theirs: "competitor (same run)", ratio: "ratio", goal: "goal", met: nil)
    let all = [header] + rows
    func cell(_ r: Row, _ i: Int) -> String {
        switch i {
        case 0: return r.figure
        case 1: return r.ours
        case 2: return r.theirs
        case 3: return r.ratio
        case 4: return r.goal
        default: return r.figure == "figure" ? "met" : (r.met.map { $0 ? "yes" : "NO" } ?? "-")
        }
    }
    var widths = [Int](repeating: 0, count: 6)
    for r in all { for i in 0..<6 { widths[i] = max(widths[i], cell(r, i).count) } }
    func line(_ r: Row) -> String {
        "| " + (0..<6).map { cell(r, $0).padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
    }
    var table = [line(header), "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"]
    for r in rows { table.append(line(r)) }
    print(table.joined(separator: "\n"))
    guard let doc = options.doc else { return }
    do {
        let text = try String(contentsOfFile: doc, encoding: .utf8)
        guard let open = text.range(of: "<!-- table -->\n"), let close = text.range(of: "<!-- /table -->") else {
            FileHandle.standardError.write(Data("newsdesk-bench: \(doc) has no <!-- table --> ... <!-- /table --> markers\n".utf8))
            return
        }
        let block = machine + "\n\n" + table.map { $0.replacingOccurrences(of: " | b | ", with: " \\| b \\| ") }.joined(separator: "\n") + "\n"
        try (text[..<open.upperBound] + block + text[close.lowerBound...]).write(toFile: doc, atomically: true, encoding: .utf8)
        FileHandle.standardError.write(Data("newsdesk-bench: wrote the table into \(doc)\n".utf8))
    } catch {
        FileHandle.standardError.write(Data("newsdesk-bench: cannot update \(doc): \(error)\n".utf8))
    }
}

@main
struct NewsBench {
    static func main() async throws {
        setenv("LC_ALL", "C.UTF-8", 1)
        _ = benchStart
        try FileManager.default.createDirectory(atPath: options.dataDir, withIntermediateDirectories: true)
        var info = utsname()
        uname(&info)
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?
            .trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        let date = ISO8601DateFormatter().string(from: Date())
        let machine = "newsdesk-bench \(options.quick ? "(quick)" : "(full)") on \(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu), \(date)"
        print(machine + "\n")

        // The titles the competitors read: newsdesk's own, from a short run.
        let titlesFile = options.dataDir + "/titles-1m.txt"
        let total = 1_000_000
        // The merge runs first, before a million headlines sit in this process's heap
        // (which would slow its allocations down: the app never holds them that way).
        if wanted("merge") {
            let sample = try await generate(100_000)
            try sample.map(\.title).joined(separator: "\n").appending("\n").write(toFile: titlesFile + ".sample", atomically: true, encoding: .utf8)
            try await benchMerge(titlesFile: titlesFile + ".sample")
        }
        FileHandle.standardError.write(Data("newsdesk-bench: generating \(total.formatted()) headlines...\n".utf8))
        let headlines = try await generate(total)
        try headlines.map(\.title).joined(separator: "\n").appending("\n").write(toFile: titlesFile, atomically: true, encoding: .utf8)

        if options.only == "parts" { try await benchParts(); try await benchConsumerOnly() }
        if wanted("ingest") { benchIngest(headlines) }
        if wanted("end") && !options.newsdesk.isEmpty { try benchEndToEnd(titlesFile: titlesFile) }
        if wanted("filter") { try benchRefilter(headlines, titlesFile: titlesFile, sizes: options.quick ? [1_000_000] : [10_000, 100_000, 1_000_000]) }
        if wanted("memory") { try benchMemory(headlines, titlesFile: titlesFile) }
        if wanted("keystroke") { benchKeystrokes(headlines) }
        if wanted("frame") { benchFrame(headlines) }
        if wanted("startup") { try benchStartup() }
        if wanted("idle") { try benchIdle() }
        if wanted("replay") { try benchReplay(headlines: headlines) }
        if wanted("import") { try benchFeedImport() }
        if wanted("import") { try benchTableImport() }
        if wanted("timing") { try await benchReplayTiming() }
        if wanted("store") { try benchStore(headlines, titlesFile: titlesFile) }
        printTable(machine: machine)
    }
}
