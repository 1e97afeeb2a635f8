// newsdesk-fuzz: libFuzzer targets for the code that reads what strangers write: the
// recording reader, the importer (CSV and JSON Lines) and the query parser.
//
// `scripts/fuzz.sh` builds it with `-sanitize=fuzzer,address -D FUZZING`; libFuzzer then
// supplies `main` and calls `LLVMFuzzerTestOneInput` (choose the target with
// NEWSDESK_FUZZ_TARGET=reader|csv|jsonl|query). Built normally it is a corpus runner:
// `newsdesk-fuzz TARGET FILE...` runs each file through the same code once.
import Foundation
import NewsCore

enum FuzzTarget: String, CaseIterable {
    case reader, csv, jsonl, query
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
        guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: newsdesk-fuzz reader|csv|jsonl|query FILE...\n".utf8))
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
