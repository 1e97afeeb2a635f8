// newsdesk-fuzz: libFuzzer targets for the code that reads what strangers write: the
// recording reader, the importer (CSV and JSON Lines), the query parser and the feed
// parser (feedxml: RSS, RDF and Atom; feedjson: JSON Feed).
//
// `scripts/fuzz.sh` builds it with `-sanitize=fuzzer,address -D FUZZING`; libFuzzer then
// supplies `main` and calls `LLVMFuzzerTestOneInput` (choose the target with
// NEWSDESK_FUZZ_TARGET=reader|csv|jsonl|query|feedxml|feedjson). Built normally it is a corpus runner:
// `newsdesk-fuzz TARGET FILE...` runs each file through the same code once.
import Foundation
import NewsCore
import NewsFeeds

enum FuzzTarget: String, CaseIterable {
    case reader, csv, jsonl, query, feedxml, feedjson
}

/// Scratch files of this process (the reader and the importer read files).
let scratch = NSTemporaryDirectory() + "newsdesk-fuzz-\(getpid())"

let sample = Headline(id: "tech-1", source: "tech", title: "Zürich: Breaking update on the \"rate cut\"",
                      published: Timestamp(milliseconds: 0), outlet: "Kernel Post")

func write(_ data: UnsafeBufferPointer<UInt8>, to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot write \(path)") }
    var done = 0
    while done < data.count {
        let n = Foundation.write(fd, data.baseAddress! + done, data.count - done)
        if n <= 0 { break }
        done += n
    }
    close(fd)
}

func fuzzOne(_ data: UnsafeBufferPointer<UInt8>, _ target: FuzzTarget) {
    switch target {
    case .feedxml, .feedjson:
        fuzzFeed(data, json: target == .feedjson)
    case .query:
        let text = String(decoding: data, as: UTF8.self)
        if let query = try? Query.parse(text) {
            _ = query.matches(sample)
            _ = query.highlights(in: sample.title)
            // Printing then parsing is stable: the printed form parses and prints the same.
            let printed = query.root.canonicalText
            guard let again = try? Query.parse(printed), again.root.canonicalText == printed else {
                fatalError("query \(text.debugDescription) printed as \(printed.debugDescription) does not print the same again")
            }
        }
        _ = Query(lenient: text).matches(sample)
    case .reader:
        let path = scratch + ".jsonl"
        write(data, to: path)
        guard let reader = try? RecordingReader(path: path) else { return }
        var events = 0
        while true {
            guard let event = try? reader.next() else { break }
            events += 1
            // Whatever was read writes back and reads again as the same event.
            var line: [UInt8] = []
            RecordingEvent.append(event.arrival, to: &line)
            let back = line.withUnsafeBufferPointer { bytes in
                try? RecordingEvent.parse(UnsafeBufferPointer(rebasing: bytes.dropLast()), started: reader.header.started, line: 1)
            }
            guard back == event.arrival else { fatalError("event at line \(event.line) does not round-trip: \(event.arrival)") }
        }
        precondition(events + reader.malformed <= max(1, data.count))
    case .csv, .jsonl:
        let input = scratch + (target == .csv ? ".csv" : ".in.jsonl")
        write(data, to: input)
        var options = ImportOptions(input: input, output: scratch + ".out.jsonl", format: target == .csv ? .csv : .jsonl)
        options.overwrite = true
        options.runSize = 64  // exercise the on-disk runs and their merge
        // Field choice varies with the input's first byte: names, numbers, no header.
        switch (data.first ?? 0) % 4 {
        case 0: break
        case 1: options.title = FieldSpec("2"); options.time = FieldSpec("1"); options.header = false
        case 2: options.title = FieldSpec("title"); options.interval = 2000
        default: options.timeFormat = TimeFormat("%m/%d/%Y %H:%M"); options.rename = ["sport": "sports"]
        }
        // Nothing imported: no output is written (an earlier input's stays as it was).
        guard let summary = try? Importer(options: options).run(), summary.imported > 0 else { return }
        // What the importer wrote is a recording the reader accepts whole.
        guard let reader = try? RecordingReader(path: options.output, strict: true) else {
            fatalError("the importer wrote a file the reader refuses")
        }
        do {
            while try reader.next() != nil {}
        } catch {
            fatalError("the importer wrote a line the reader refuses: \(error)")
        }
    }
}

/// The feed parser never crashes, and what it returns holds together: every headline has
/// an id and a title, the notes point at items that exist, one author list per item, and
/// no more items than the input has bytes. XML inputs are read by content (so the sniffer
/// is fuzzed too) and, when that says "not a feed", as RSS anyway; JSON as JSON Feed.
func fuzzFeed(_ data: UnsafeBufferPointer<UInt8>, json: Bool) {
    let readTime = Timestamp(milliseconds: 1_796_083_200_000)
    var limits = FeedLimits()
    limits.maxBytes = 1 << 20
    var attempts: [FeedFormat?] = [nil]
    attempts.append(json ? .jsonFeed : [FeedFormat.rss, .rdf, .atom][Int(data.first ?? 0) % 3])
    for format in attempts {
        guard let doc = try? FeedParser.parse(bytes: data, baseURL: "file:///feeds/fuzz.xml", readTime: readTime,
                                              limits: limits, format: format) else { continue }
        precondition(doc.items.count <= data.count, "more items than bytes")
        precondition(doc.authors.count == doc.items.count, "\(doc.authors.count) author lists for \(doc.items.count) items")
        for item in doc.items {
            precondition(!item.id.isEmpty, "an item without an id")
            precondition(!item.title.isEmpty, "an item without a title")
        }
        for note in doc.notes { precondition(doc.items.indices.contains(note.item), "a note about item \(note.item) of \(doc.items.count)") }
    }
}

/// `newsdesk-fuzz feedstat [--stream] FILE...`: parses each file with the default limits
/// and prints its items, problems, peak memory and the parse time (for a rough check, not
/// a benchmark); `--stream` takes the items one by one without keeping them.
func feedStat(_ arguments: [String]) {
    let stream = arguments.first == "--stream"
    for file in arguments.dropFirst(stream ? 1 : 0) {
        // Read straight into the array the parser takes (no second copy).
        let fd = open(file, O_RDONLY)
        guard fd >= 0 else { exit(66) }
        var bytes = [UInt8](repeating: 0, count: Int(lseek(fd, 0, SEEK_END)))
        lseek(fd, 0, SEEK_SET)
        var done = 0
        bytes.withUnsafeMutableBytes { buffer in
            while done < buffer.count {
                let n = read(fd, buffer.baseAddress! + done, buffer.count - done)
                if n <= 0 { break }
                done += n
            }
        }
        close(fd)
        let start = ContinuousClock.now
        do {
            let base = URL(fileURLWithPath: file).absoluteString
            let doc: FeedDocument
            var count = 0
            if stream {
                doc = try bytes.withUnsafeBufferPointer { b in
                    try FeedParser.parse(bytes: b, baseURL: base, readTime: Timestamp(milliseconds: 0)) { _ in count += 1 }
                }
            } else {
                doc = try FeedParser.parse(bytes: bytes, baseURL: base, readTime: Timestamp(milliseconds: 0))
                count = doc.items.count
            }
            let seconds = (ContinuousClock.now - start) / .milliseconds(1) / 1000
            var usage = rusage()
            getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
            print("\(file): \(doc.format.name) \(doc.version ?? "?"), \(count) items\(stream ? " (streamed)" : ""), \(doc.problems.count) problems, "
                + "peak memory \(usage.ru_maxrss / 1024) MB, "
                + "broken: \(doc.brokenAt.map(String.init(describing:)) ?? "no"), \(bytes.count) bytes in \(seconds) s, "
                + "\(Int(Double(count) / seconds)) items/s")
        } catch {
            print("\(file): \(error)")
        }
    }
}

#if FUZZING
let fuzzTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["NEWSDESK_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("set NEWSDESK_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))")
    }
    return target
}()

/// libFuzzer's entry point, for its own `main` when that is the one linked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(UnsafeBufferPointer(start: data, count: size), fuzzTarget)
    return 0
}

/// libFuzzer's driver (in the runtime that -sanitize=fuzzer links). SwiftPM gives an
/// executable its own `main`, so ours starts the driver rather than libFuzzer's `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@main
struct Fuzzer {
    static func main() {
        _ = fuzzTarget  // fail early on a wrong NEWSDESK_FUZZ_TARGET
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, size in
            fuzzOne(UnsafeBufferPointer(start: data, count: size), fuzzTarget)
            return 0
        })
    }
}
#else
@main
struct CorpusRunner {
    static func main() {
        let args = CommandLine.arguments.dropFirst()
        if args.first == "feedstat" {
            feedStat(Array(args.dropFirst()))
            return
        }
        guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: newsdesk-fuzz reader|csv|jsonl|query|feedxml|feedjson FILE...\n".utf8))
            exit(64)
        }
        for file in args.dropFirst() {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("newsdesk-fuzz: cannot read \(file)\n".utf8))
                exit(66)
            }
            data.withUnsafeBytes { fuzzOne($0.bindMemory(to: UInt8.self), target) }
        }
        for suffix in [".jsonl", ".csv", ".in.jsonl", ".out.jsonl"] { unlink(scratch + suffix) }
    }
}
#endif
