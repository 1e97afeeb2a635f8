import Foundation
import NewsCore
import Testing

/// The importer's exact output for fixed inputs: the recordings and summaries in
/// `Tests/NewsCoreTests/ImportGolden/` were written by the importer before its byte-level
/// rewrite (issue 16), so the rewrite gives the same bytes for the same input. The inputs
/// come from `make-inputs.py` (seeded): quoting, CRLF, a byte order mark, Unicode spaces,
/// bad times and UTF-8, short rows, escapes. Regenerate the goldens only deliberately, with
/// `NEWSDESK_UPDATE_GOLDEN=1 swift test --filter ImportGolden`, and read the diff.
@Suite("Import goldens")
struct ImportGoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ImportGolden")

    /// One golden: an input, the options, and the name of its files.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var input: String
        var configure: @Sendable (inout ImportOptions) -> Void
        /// The golden it must give, when it is another case's (the same rows, sorted another way).
        var golden: String?
        var testDescription: String { name }

        init(name: String, input: String, golden: String? = nil, configure: @escaping @Sendable (inout ImportOptions) -> Void) {
            self.name = name
            self.input = input
            self.golden = golden
            self.configure = configure
        }
    }

    static let cases: [Case] = [
        Case(name: "csv-auto", input: "rows.csv") { _ in },
        Case(name: "csv-named-iso", input: "rows.csv") {
            $0.title = FieldSpec("title"); $0.time = FieldSpec("time"); $0.source = FieldSpec("SOURCE")
            $0.timeFormat = .iso8601; $0.fields[.url] = FieldSpec("link")
        },
        Case(name: "csv-rename-only", input: "rows.csv") {
            $0.rename = ["Tech": "tech", "sport": "sports"]; $0.only = ["tech", "world", "imported"]
        },
        Case(name: "csv-epoch", input: "rows.csv") { $0.timeFormat = .epoch; $0.id = FieldSpec("id") },
        Case(name: "csv-epoch-ms", input: "rows.csv") { $0.timeFormat = .epochMilliseconds },
        Case(name: "csv-columns-no-header", input: "rows.csv") {
            $0.header = false; $0.title = FieldSpec("1"); $0.time = FieldSpec("2"); $0.source = FieldSpec("3")
            $0.fields[.summary] = FieldSpec("6")
        },
        Case(name: "csv-pattern", input: "rows.csv") { $0.timeFormat = .pattern("%Y-%m-%d %H:%M:%S") },
        Case(name: "csv-pattern-zone", input: "rows.csv") { $0.timeFormat = .pattern("%Y-%m-%dT%H:%M%z") },
        Case(name: "csv-spilled", input: "rows.csv") { $0.runSize = 7 },
        // Over a memory budget of 4 KiB: runs of a few dozen rows, the same recording.
        Case(name: "csv-over-budget", input: "rows.csv", golden: "csv-auto") { $0.memoryBudget = 4096 },
        Case(name: "jsonl-over-budget", input: "rows.jsonl", golden: "jsonl-auto") { $0.memoryBudget = 2048 },
        Case(name: "jsonl-auto", input: "rows.jsonl") { _ in },
        Case(name: "jsonl-named", input: "rows.jsonl") {
            $0.title = FieldSpec("TITLE"); $0.time = FieldSpec("time"); $0.id = FieldSpec("id"); $0.fields[.summary] = FieldSpec("summary")
        },
        Case(name: "jsonl-epoch-spilled", input: "rows.jsonl") { $0.timeFormat = .epoch; $0.runSize = 5 },
    ]

    /// What a summary says, as text: its counts, its start and span, its problems.
    static func describe(_ s: ImportSummary) -> String {
        var lines = ["imported \(s.imported), skipped \(s.skipped), noted \(s.noted), left out \(s.filteredOut)",
                     "started \(s.started.map { ISOTime.format($0) } ?? "-"), duration \(s.duration) ms"]
        lines += s.problems.map { "\($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("The same recording and summary as before the rewrite", arguments: cases)
    func golden(_ c: Case) throws {
        let dir = temporaryPath("golden-\(c.name)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { removeTemporary(dir) }
        let input = dir + "/" + c.input
        try FileManager.default.copyItem(atPath: Self.folder.appendingPathComponent(c.input).path, toPath: input)
        var options = ImportOptions(input: input, output: dir + "/out.jsonl", format: c.input.hasSuffix(".csv") ? .csv : .jsonl)
        c.configure(&options)
        let summary = try Importer(options: options).run()
        let recording = try Data(contentsOf: URL(fileURLWithPath: options.output))
        let described = Self.describe(summary).replacingOccurrences(of: dir + "/", with: "")
        let recordingURL = Self.folder.appendingPathComponent((c.golden ?? c.name) + ".out.jsonl")
        let summaryURL = Self.folder.appendingPathComponent((c.golden ?? c.name) + ".summary.txt")
        if ProcessInfo.processInfo.environment["NEWSDESK_UPDATE_GOLDEN"] == "1" && c.golden == nil {
            try recording.write(to: recordingURL)
            try described.write(to: summaryURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try Data(contentsOf: recordingURL)
        if recording != expected {
            let got = String(decoding: recording, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let want = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let first = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
            Issue.record("line \(first + 1) differs (\(got.count) lines, golden \(want.count)):\n  got  \(first < got.count ? got[first] : "end")\n  want \(first < want.count ? want[first] : "end")")
        }
        #expect(described == (try String(contentsOf: summaryURL, encoding: .utf8)))
    }
}
