import Foundation
import NewsCore
import Testing

/// Imports `text` (written to a temporary input named `name`) and reads the recording back.
func importing(_ text: String, name: String = "in.csv", _ configure: (inout ImportOptions) -> Void = { _ in })
    throws -> (events: [Arrival], header: RecordingHeader, summary: ImportSummary)
{
    let input = temporaryPath(name)
    defer { removeTemporary(input) }
    try writeFile(input, text)
    let output = URL(fileURLWithPath: input).deletingLastPathComponent().appendingPathComponent("out.jsonl").path
    var options = ImportOptions(input: input, output: output, format: ImportFormat.guess(name) ?? .csv)
    configure(&options)
    let summary = try Importer(options: options).run()
    let (events, reader) = try readAll(output)
    return (events.map(\.arrival), reader.header, summary)
}

@Suite("Import")
struct ImportTests {
    @Test("CSV: quoted fields with commas, doubled quotes and newlines; line numbers count the newlines")
    func csvQuoting() throws {
        let csv = "title,time,source\r\n"
            + "\"Storm hits coast, thousands evacuated\",2024-03-01T14:05:00Z,world\r\n"
            + "\"He said \"\"no\"\" to the deal\",2024-03-01T09:30:00Z,business\r\n"
            + "\"Multi\nline\ntitle\",2024-03-01T10:00:00Z,sport\r\n"
            + ",2024-03-01T10:00:00Z,sport\r\n"
            + "Unquoted with a \"stray\" quote,2024-03-01T11:00:00Z,world\n"
        let (events, header, summary) = try importing(csv)
        #expect(events.map(\.headline.title) == ["He said \"no\" to the deal", "Multi\nline\ntitle", "Unquoted with a \"stray\" quote",
                                                 "Storm hits coast, thousands evacuated"])
        #expect(summary.skipped == 1)
        #expect(summary.problems.first?.line == 7)  // the record after three lines of one record
        #expect(summary.problems.first?.reason.contains("empty title") == true)  // present, but empty
        #expect(header.started == ISOTime.parse("2024-03-01T09:30:00Z"))
        #expect(events.map(\.offset) == [0, 1_800_000, 5_400_000, 16_500_000])
        #expect(header.sources == ["world", "business", "sport"])
    }

    @Test("an unclosed quote at the end of the file is an error for that record only")
    func unclosedQuote() throws {
        let (events, _, summary) = try importing("title,time\nfine,2024-01-01T00:00:00Z\n\"never closed,2024-01-01T00:00:01Z\n")
        #expect(events.map(\.headline.title) == ["fine"])
        #expect(summary.problems.map(\.line) == [3])
        #expect(summary.problems[0].reason.contains("not closed"))
    }

    struct TimeCase: Sendable, CustomTestStringConvertible {
        var format: String
        var value: String
        var expected: String
        var testDescription: String { "\(format): \(value)" }
    }

    static let times: [TimeCase] = [
        TimeCase(format: "iso8601", value: "2024-03-01T14:05:00Z", expected: "2024-03-01T14:05:00.000Z"),
        TimeCase(format: "iso8601", value: "2024-03-01T15:05:00+01:00", expected: "2024-03-01T14:05:00.000Z"),
        TimeCase(format: "iso8601", value: "2024-03-01 14:05:00", expected: "2024-03-01T14:05:00.000Z"),
        TimeCase(format: "epoch", value: "1709301900", expected: "2024-03-01T14:05:00.000Z"),
        TimeCase(format: "epoch", value: "1709301900.25", expected: "2024-03-01T14:05:00.250Z"),
        TimeCase(format: "epoch-ms", value: "1709301900123", expected: "2024-03-01T14:05:00.123Z"),
        TimeCase(format: "%m/%d/%Y %H:%M", value: "03/01/2024 14:05", expected: "2024-03-01T14:05:00.000Z"),
        TimeCase(format: "%d %b %Y %I:%M %p", value: "1 Mar 2024 2:05 PM", expected: "2024-03-01T14:05:00.000Z"),
        TimeCase(format: "%Y-%m-%d %H:%M:%S%z", value: "2024-03-01 16:05:00+0200", expected: "2024-03-01T14:05:00.000Z"),
        TimeCase(format: "%y%m%d", value: "240301", expected: "2024-03-01T00:00:00.000Z"),
        TimeCase(format: "auto", value: "1709301900123", expected: "2024-03-01T14:05:00.123Z"),
        TimeCase(format: "auto", value: "2024-03-01T14:05Z", expected: "2024-03-01T14:05:00.000Z"),
    ]

    @Test("each time format", arguments: times)
    func timeFormats(_ c: TimeCase) throws {
        #expect(TimeFormat(c.format).parse(c.value).map(ISOTime.format) == c.expected)
        let (events, _, summary) = try importing("title,time\nA headline,\"\(c.value)\"\n") { $0.timeFormat = TimeFormat(c.format) }
        #expect(summary.skipped == 0)
        #expect(events.first.map { ISOTime.format($0.headline.published) } == c.expected)
    }

    @Test("numbers too large to be a time are not a time (found by fuzzing: it trapped)",
          arguments: ["epoch", "epoch-ms", "auto"], ["17176722561767225600", "1e300", "-1e30", "nan", "inf"])
    func hugeNumbers(_ format: String, _ value: String) throws {
        #expect(TimeFormat(format).parse(value) == nil)
        let (events, _, summary) = try importing("title,time\nA,\(value)\nB,1709301900\n") { $0.timeFormat = TimeFormat(format) }
        #expect(summary.skipped == 1)
        #expect(events.map(\.headline.title) == ["B"])
    }

    @Test("durations too large to convert are capped, not a trap")
    func hugeDurations() {
        #expect(DurationText.parse("1e300") == 9_000_000_000_000_000)
        #expect(DurationText.parse("99999999999999999999h") == 9_000_000_000_000_000)
        #expect(DurationText.milliseconds(seconds: -.infinity) == -9_000_000_000_000_000)
        #expect(DurationText.parse("90s") == 90_000)
    }

    @Test("an unparseable time is reported with the line and the format")
    func badTime() throws {
        let (events, _, summary) = try importing("title,time\nA,03/01/2024\nB,yesterday\n") { $0.timeFormat = .pattern("%m/%d/%Y") }
        #expect(events.count == 1)
        #expect(summary.problems.map(\.line) == [3])
        #expect(summary.problems[0].reason.contains("cannot read the time 'yesterday'"))
        #expect(throws: ImportError.self) {
            try importing("title,time\nA,03/01/2024\nB,yesterday\n") { $0.timeFormat = .pattern("%m/%d/%Y"); $0.strict = true }
        }
    }

    @Test("fields by column number without a header; renames and --only")
    func columnsRenamesOnly() throws {
        let csv = "1,2024-01-01T00:00:03Z,sport,Goal!,https://x/1\n2,2024-01-01T00:00:01Z,sci_tech,Chip,https://x/2\n3,2024-01-01T00:00:02Z,gossip,Gossip,\n"
        let (events, _, summary) = try importing(csv) {
            $0.header = false
            $0.id = .column(1)
            $0.time = .column(2)
            $0.source = .column(3)
            $0.title = .column(4)
            $0.fields[.url] = .column(5)
            $0.rename = ["sport": "sports", "sci_tech": "tech"]
            $0.only = ["tech", "sports"]
        }
        #expect(events.map(\.headline.title) == ["Chip", "Goal!"])
        #expect(events.map(\.headline.source) == ["tech", "sports"])
        #expect(events.map(\.headline.id) == ["2", "1"])
        #expect(events.map(\.headline.url) == ["https://x/2", "https://x/1"])
        #expect(summary.filteredOut == 1)
    }

    @Test("JSON Lines input, by field names, with bad lines reported")
    func jsonLines() throws {
        let jsonl = #"{"headline":"Rates cut","category":"business","date":1709301900,"link":"https://x"}"# + "\n"
            + #"{"headline":"Broken","category":"# + "\n"
            + #"{"headline":"Storm","category":"world","date":1709301800,"extra":{"a":[1]}}"# + "\n"
        let (events, _, summary) = try importing(jsonl, name: "in.jsonl") {
            $0.title = .name("headline")
            $0.source = .name("category")
            $0.time = .name("date")
            $0.fields[.url] = .name("link")
            $0.timeFormat = .epoch
        }
        #expect(events.map(\.headline.title) == ["Storm", "Rates cut"])
        #expect(events[1].headline.url == "https://x")
        #expect(summary.problems.map(\.line) == [2])
    }

    @Test("without a time field, --interval spaces events evenly in input order")
    func interval() throws {
        let (events, _, _) = try importing("title\nfirst\nsecond\nthird\n") { $0.interval = 2000 }
        #expect(events.map(\.offset) == [0, 2000, 4000])
        #expect(events.map(\.headline.title) == ["first", "second", "third"])
    }

    @Test("progress: reading with the share of the input, then sorting every row, then writing up to all of them")
    func progressPhases() throws {
        var csv = "title,time\n"
        for i in 0..<25_000 { csv += "row \(i),\(1_300_000_000 + (i * 7919) % 86_400)\n" }
        let input = temporaryPath("in.csv")
        defer { removeTemporary(input) }
        try writeFile(input, csv)
        for budget in [256 << 20, 64 << 10] {
            var options = ImportOptions(input: input, output: input + ".jsonl", format: .csv)
            options.overwrite = true
            options.memoryBudget = budget
            let seen = Protected<[ImportProgress]>([])
            let summary = try Importer(options: options) { step in seen.withLock { $0.append(step) } }.run()
            let steps = seen.withLock { $0 }
            #expect(summary.imported == 25_000)
            let phases = steps.map(\.phase)
            // In order, each phase once begun never returns.
            #expect(phases == phases.sorted { [.reading, .sorting, .writing].firstIndex(of: $0)! < [.reading, .sorting, .writing].firstIndex(of: $1)! })
            let reading = steps.filter { $0.phase == .reading }
            #expect(reading.map(\.rows) == [10_000, 20_000, 25_000], "budget \(budget)")
            #expect(reading.last?.fraction == 1)
            #expect(reading.first.map { $0.fraction > 0.3 && $0.fraction < 0.5 } == true, "\(reading)")
            #expect(steps.filter { $0.phase == .sorting }.map(\.rows) == [25_000])
            let writing = steps.filter { $0.phase == .writing }
            #expect(!writing.isEmpty && writing.map(\.rows) == writing.map(\.rows).sorted())
            #expect(writing.allSatisfy { $0.fraction > 0 && $0.fraction <= 1 })
        }
    }

    @Test("a sorted run that cannot be written is an output error naming it, and nothing is left behind")
    func runCannotBeWritten() throws {
        var csv = "title,time\n"
        for i in 0..<200 { csv += "row \(i),\(1_300_000_000 + i)\n" }
        let input = temporaryPath("in.csv")
        defer { removeTemporary(input) }
        try writeFile(input, csv)
        let dir = URL(fileURLWithPath: input).deletingLastPathComponent().path
        // A directory where the first run would go: it cannot be created as a file.
        let blocker = "\(dir)/.newsdesk-import-\(getpid())-0.tmp"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: false)
        var options = ImportOptions(input: input, output: dir + "/out.jsonl", format: .csv)
        options.runSize = 10
        #expect {
            try Importer(options: options).run()
        } throws: { error in
            guard case ImportError.output(let file) = error else { return false }
            return file.path == blocker && file.reason.contains("sorted run")
        }
        try FileManager.default.removeItem(atPath: blocker)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["in.csv"])
    }

    @Test("sorting by time with bounded memory (sorted runs on disk) gives the same as in memory; ties keep input order")
    func externalSort() throws {
        var csv = "title,time\n"
        for i in 0..<500 {
            csv += "row \(i),\(ISOTime.format(Timestamp(milliseconds: Int64((i * 7919) % 101) * 1000)))\n"
        }
        let inMemory = try importing(csv).events
        let spilled = try importing(csv) { $0.runSize = 37 }.events
        #expect(spilled == inMemory)
        #expect(inMemory.count == 500)
        #expect(inMemory.map(\.offset) == inMemory.map(\.offset).sorted())
        // Equal times: the original order.
        for pair in zip(inMemory, inMemory.dropFirst()) where pair.0.offset == pair.1.offset {
            let a = Int(pair.0.headline.title.dropFirst(4))!, b = Int(pair.1.headline.title.dropFirst(4))!
            #expect(a < b)
        }
        // No temporary runs are left behind (they go next to the output).
        let input = temporaryPath("in.csv")
        defer { removeTemporary(input) }
        try writeFile(input, csv)
        let dir = URL(fileURLWithPath: input).deletingLastPathComponent()
        var options = ImportOptions(input: input, output: dir.appendingPathComponent("out.jsonl").path, format: .csv)
        options.runSize = 37
        #expect(try Importer(options: options).run().imported == 500)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["in.csv", "out.jsonl"])
    }

    /// Runs an import of `text` into `output` (next to the input), returning the error if it threw.
    private func importError(_ text: String, _ configure: (inout ImportOptions) -> Void = { _ in })
        throws -> (error: ImportError?, outputExists: Bool)
    {
        let input = temporaryPath("in.csv")
        defer { removeTemporary(input) }
        try writeFile(input, text)
        let out = URL(fileURLWithPath: input).deletingLastPathComponent().appendingPathComponent("out.jsonl").path
        var options = ImportOptions(input: input, output: out, format: .csv)
        configure(&options)
        do {
            _ = try Importer(options: options).run()
            return (nil, FileManager.default.fileExists(atPath: out))
        } catch {
            return (error, FileManager.default.fileExists(atPath: out))
        }
    }

    @Test("the output is never the input, by device and inode: the same path, a symlink, a hard link, with or without overwrite")
    func outputIsInput() throws {
        let csv = "title,time\nA,2024-01-01T00:00:00Z\n"
        for link in ["same", "symlink", "hardlink"] {
            for overwrite in [false, true] {
                let input = temporaryPath("in.csv")
                defer { removeTemporary(input) }
                try writeFile(input, csv)
                let out = URL(fileURLWithPath: input).deletingLastPathComponent().appendingPathComponent("out.jsonl").path
                switch link {
                case "symlink": try FileManager.default.createSymbolicLink(atPath: out, withDestinationPath: input)
                case "hardlink": try FileManager.default.linkItem(atPath: input, toPath: out)
                default: break
                }
                var options = ImportOptions(input: input, output: link == "same" ? input : out, format: .csv)
                options.overwrite = overwrite
                #expect(throws: ImportError.self, "\(link), overwrite \(overwrite)") { try Importer(options: options).run() }
                do { _ = try Importer(options: options).run() } catch {
                    #expect(error.description.contains("is the input"))
                    if case .usage = error {} else { Issue.record("not a usage error: \(error)") }
                }
                #expect(try String(contentsOfFile: input, encoding: .utf8) == csv)
            }
        }
    }

    @Test("column numbers are checked against the header (or the first row) before any row is read")
    func columnPastTheEnd() throws {
        let header = try importError("title,time,source\nA,2024-01-01T00:00:00Z,x\n") { $0.title = .column(99) }
        guard case .usage(let text)? = header.error else { Issue.record("\(String(describing: header.error))"); return }
        #expect(text.contains("column 99") && text.contains("3 columns"))
        #expect(!header.outputExists)
        let noHeader = try importError("A,2024-01-01T00:00:00Z\n") { $0.header = false; $0.title = .column(1); $0.time = .column(4) }
        guard case .usage(let text2)? = noHeader.error else { Issue.record("\(String(describing: noHeader.error))"); return }
        #expect(text2.contains("column 4") && text2.contains("2 columns"))
        // Within range: fine.
        #expect(try importError("A,2024-01-01T00:00:00Z\n") { $0.header = false; $0.title = .column(1); $0.time = .column(2) }.error == nil)
    }

    @Test("time patterns: an unknown directive or no directive at all is a usage problem, the known ones are fine")
    func timePatterns() {
        #expect(TimeFormat.problem(in: "bogus") != nil)
        #expect(TimeFormat.problem(in: "%Y-%q") != nil)
        #expect(TimeFormat.problem(in: "%Y-%") != nil)
        #expect(TimeFormat.problem(in: "%m/%d/%Y %H:%M") == nil)
        #expect(TimeFormat.problem(in: "%d %b %Y %I:%M %p %% %z %f %S %y %e %B") == nil)
    }

    @Test("when no row is imported there is no output file, and an existing one is untouched")
    func nothingImported() throws {
        let bad = "title,time\nA,never\nB,nope\n"
        let fresh = try importError(bad)
        #expect(fresh.error == nil)
        #expect(!fresh.outputExists)
        let input = temporaryPath("in.csv")
        defer { removeTemporary(input) }
        try writeFile(input, bad)
        let out = URL(fileURLWithPath: input).deletingLastPathComponent().appendingPathComponent("old.jsonl").path
        try writeFile(out, "precious")
        var options = ImportOptions(input: input, output: out, format: .csv)
        options.overwrite = true
        let summary = try Importer(options: options).run()
        #expect(summary.imported == 0 && summary.skipped == 2)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "precious")
    }

    @Test("a UTF-8 byte order mark before the header (CSV) or the first object (JSON Lines) is not part of the data")
    func byteOrderMark() throws {
        let (events, _, summary) = try importing("\u{FEFF}title,time\nA,2024-01-01T00:00:00Z\n") { $0.title = .name("title") }
        #expect(summary.skipped == 0 && events.map(\.headline.title) == ["A"])
        let (json, _, jsonSummary) = try importing("\u{FEFF}" + #"{"title":"B","time":"2024-01-01T00:00:00Z"}"# + "\n", name: "in.jsonl")
        #expect(jsonSummary.skipped == 0 && json.map(\.headline.title) == ["B"])
    }

    @Test("a row with more fields than the header says so, with the counts")
    func tooManyFields() throws {
        let (events, _, summary) = try importing("title,time,source,url\nA,2024-01-01T00:00:00Z,x,u\nB,1, 2,x,u\n")
        #expect(events.map(\.headline.title) == ["A"])
        #expect(summary.problems.map(\.line) == [3])
        #expect(summary.problems.first?.reason == "5 fields, the header has 4")
    }

    @Test("an empty title is called empty, a missing one missing")
    func emptyTitle() throws {
        let (_, _, summary) = try importing("time,title\n2024-01-01T00:00:00Z,\n2024-01-01T00:00:00Z\n2024-01-01T00:00:00Z,C\n")
        #expect(summary.problems.map(\.reason) == ["empty title ('title')", "missing title ('title')"])
    }

    @Test("usage problems: an unknown column, no title, no time")
    func usage() throws {
        #expect(throws: ImportError.self) { try importing("title,time\nA,2024-01-01\n") { $0.title = .name("headline") } }
        #expect(throws: ImportError.self) { try importing("name,when\nA,2024-01-01\n") { $0.title = .name("name") } }
        #expect(throws: ImportError.self) { try importing("words,time\nA,2024-01-01\n") }
    }
}
