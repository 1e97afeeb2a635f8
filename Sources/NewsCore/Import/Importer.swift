import Foundation

/// Converts headline data into a recording. Rows are read as they come (CSV or JSON
/// Lines), mapped to headlines, and sorted by time (the original order breaks ties).
///
/// The pipeline works on UTF-8 bytes from end to end (issue 16): the readers hand over
/// each field's bytes, times are read from the bytes (``TimeFormat/parse(_:pattern:)``),
/// and each row is encoded once, as the recording's event line after its offset, into a
/// ``RowTable``, which sorts in memory while the rows fit `options.memoryBudget` and
/// spills sorted runs to temporary files beyond it, so memory stays bounded for any input.
/// The only strings made per row are its source (which is looked up) and a time that
/// cannot be read (for its message).
///
/// The recording is written to a temporary file next to the output and renamed into place
/// only when at least one row was imported: a failed, empty or interrupted import leaves no
/// output (an existing one untouched) and no temporary file. Cancelling the task stops it
/// within a few thousand rows (``ImportError/interrupted``).
public struct Importer {
    public let options: ImportOptions
    /// Called now and then with where the import is.
    public var progress: ((ImportProgress) -> Void)?

    public init(options: ImportOptions, progress: ((ImportProgress) -> Void)? = nil) {
        self.options = options
        self.progress = progress
    }

    static let titleNames = ["title", "headline", "name", "text"]
    static let timeNames = ["time", "published", "published_at", "publishedat", "date", "datetime", "timestamp", "pubdate", "created_at"]
    static let sourceNames = ["source", "category", "section", "feed", "topic"]
    static let idNames = ["id", "guid", "uuid"]

    /// Headlines that someone else reads (a feed, which NewsCore does not parse): the
    /// producer is given `add`, for each headline as it is read (the importer sorts and
    /// offsets them as it does rows), and `note`, for a problem that skips nothing.
    public typealias Producer = @Sendable (_ add: (Headline) throws(ImportError) -> Void,
                                 _ note: (LineProblem) throws(ImportError) -> Void) throws(ImportError) -> Void

    /// The fields of a row, by slot: title, time, source, id, then each ``HeadlineField``.
    enum Slot {
        static let title = 0, time = 1, source = 2, id = 3, fields = 4
        static let count = fields + HeadlineField.allCases.count
    }

    /// Which field of the input fills each slot (nil: none), decided once for the file.
    struct Plan {
        var specs: [FieldSpec?]

        init(options: ImportOptions, resolve: (FieldSpec?, [String]) -> FieldSpec?) {
            specs = Array(repeating: nil, count: Slot.count)
            specs[Slot.title] = resolve(options.title, Importer.titleNames)
            specs[Slot.time] = resolve(options.time, options.interval == nil ? Importer.timeNames : [])
            specs[Slot.source] = resolve(options.source, Importer.sourceNames)
            specs[Slot.id] = resolve(options.id, Importer.idNames)
            for (k, field) in HeadlineField.allCases.enumerated() { specs[Slot.fields + k] = resolve(options.fields[field], field.importNames) }
        }
    }

    public func run(headlines produce: Producer? = nil) throws(ImportError) -> ImportSummary {
        try checkOutput()
        if case .pattern(let pattern) = options.timeFormat, let problem = TimeFormat.problem(in: pattern) {
            throw .usage("--time-format '\(pattern)': \(problem); use iso8601, epoch, epoch-ms or a pattern like '%m/%d/%Y %H:%M'")
        }
        var summary = ImportSummary()
        // Every temporary file (sorted runs, the output being written) is removed at the end,
        // whatever the outcome; the output is renamed away from its temporary name on success.
        let temporaries = TemporaryFiles()
        let tempDir = URL(fileURLWithPath: options.output).deletingLastPathComponent().path
        defer { temporaries.removeAll() }
        var inputInfo = stat()
        let inputSize = produce == nil && stat(options.readFrom ?? options.input, &inputInfo) == 0 ? Int(inputInfo.st_size) : 0
        var table = RowTable(budget: options.memoryBudget, maxRows: options.runSize, expected: 2 * inputSize,
                             runPrefix: "\(tempDir)/.newsdesk-import-\(getpid())", created: temporaries.add)
        var index = 0
        var sources: [String] = []
        var sourceSet: Set<String> = []
        let importTime = Timestamp(seconds: Date().timeIntervalSince1970)
        let pattern: [UInt8] = if case .pattern(let p) = options.timeFormat { Array(p.utf8) } else { [] }
        let timeFormatName = self.timeFormatName
        let allFields = HeadlineField.allCases

        func handle(_ problem: LineProblem) throws(ImportError) {
            if options.strict { throw .malformed(problem) }
            summary.skipped += 1
            if summary.problems.count < 100 { summary.problems.append(problem) }
        }

        /// Maps a row to a headline in the table, or reports why it cannot be one.
        func make(line: Int, _ row: some ImportRow, plan: Plan) throws(ImportError) {
            guard let titleSpec = plan.specs[Slot.title] else { throw .usage("no title field found in \(options.input): name it with --title") }
            guard let rawTitle = row.value(Slot.title) else {
                try handle(LineProblem(path: options.input, line: line, reason: "missing title (\(titleSpec))"))
                return
            }
            let title = UnsafeBufferPointer(rebasing: rawTitle[UTF8Bytes.trimmed(rawTitle, newlines: true)])
            guard !title.isEmpty else {
                try handle(LineProblem(path: options.input, line: line, reason: "empty title (\(titleSpec))"))
                return
            }
            var time: Int64
            if let spec = plan.specs[Slot.time] {
                guard let text = row.value(Slot.time), !text.isEmpty else {
                    try handle(LineProblem(path: options.input, line: line, reason: "missing time (\(spec))"))
                    return
                }
                guard let t = pattern.withUnsafeBufferPointer({ options.timeFormat.parse(text, pattern: $0) }) else {
                    let shown = String(decoding: text, as: UTF8.self).prefix(40)
                    try handle(LineProblem(path: options.input, line: line, reason: "cannot read the time '\(shown)' (\(spec)) as \(timeFormatName)"))
                    return
                }
                time = t.milliseconds
            } else if let interval = options.interval {
                time = importTime.milliseconds + Int64(index) * min(max(interval, 0), 86_400_000)  // a day at most: no overflow
            } else {
                throw .usage("no time field found in \(options.input): name it with --time, or space events evenly with --interval")
            }
            var source = ""
            if plan.specs[Slot.source] != nil, let raw = row.value(Slot.source) {
                source = String(decoding: UnsafeBufferPointer(rebasing: raw[UTF8Bytes.trimmed(raw, newlines: false)]), as: UTF8.self)
            }
            if source.isEmpty { source = "imported" }
            source = options.rename[source] ?? source
            if let only = options.only, !only.contains(source) {
                summary.filteredOut += 1
                return
            }
            if sourceSet.insert(source).inserted { sources.append(source) }
            func optional(_ slot: Int) -> UnsafeBufferPointer<UInt8>? {
                guard plan.specs[slot] != nil, let v = row.value(slot), !v.isEmpty else { return nil }
                return v
            }
            time = max(time, -62_135_596_800_000)  // year 1 at the earliest
            // The body of the event line, as RecordingEvent.appendBody writes a headline's.
            let start = try table.beginRow()
            JSONWriter.appendRaw(",\"id\":", to: &table.arena)
            if let id = optional(Slot.id) {
                JSONWriter.appendString(id, to: &table.arena)
            } else {
                // "source-N", without making the string: the escapes of the source, then -N.
                JSONWriter.appendString(source, to: &table.arena)
                table.arena.removeLast()
                table.arena.append(0x2D)
                JSONWriter.appendInteger(Int64(index + 1), to: &table.arena)
                table.arena.append(0x22)
            }
            JSONWriter.appendRaw(",\"source\":", to: &table.arena)
            JSONWriter.appendString(source, to: &table.arena)
            JSONWriter.appendRaw(",\"title\":", to: &table.arena)
            JSONWriter.appendString(title, to: &table.arena)
            JSONWriter.appendRaw(",\"published\":\"", to: &table.arena)
            ISOTime.append(Timestamp(milliseconds: time), to: &table.arena)
            table.arena.append(0x22)
            for (k, field) in allFields.enumerated() {
                guard let value = optional(Slot.fields + k) else { continue }
                JSONWriter.appendRaw(",\"", to: &table.arena)
                JSONWriter.appendRaw(field.key, to: &table.arena)
                JSONWriter.appendRaw("\":", to: &table.arena)
                JSONWriter.appendString(value, to: &table.arena)
            }
            JSONWriter.appendRaw("}\n", to: &table.arena)
            table.endRow(time: time, start: start)
        }

        /// Every few thousand rows: stop if the task was cancelled.
        func checkCancelled() throws(ImportError) {
            if index % 4096 == 0 && Task.isCancelled { throw .interrupted }
        }
        func reading(_ position: Int, of size: Int) {
            if index % 10_000 == 0 { progress?(ImportProgress(phase: .reading, rows: index, fraction: Double(position) / Double(max(1, size)))) }
        }

        if let produce {
            func addHeadline(_ headline: Headline) throws(ImportError) {
                var headline = headline
                if let only = options.only, !only.contains(headline.source) {
                    summary.filteredOut += 1
                    return
                }
                if sourceSet.insert(headline.source).inserted { sources.append(headline.source) }
                let time = max(headline.published.milliseconds, -62_135_596_800_000)
                headline.published = Timestamp(milliseconds: time)
                let start = try table.beginRow()
                RecordingEvent.appendBody(headline, to: &table.arena)
                table.endRow(time: time, start: start)
                index += 1
                try checkCancelled()
                reading(0, of: 0)
            }
            func note(_ problem: LineProblem) throws(ImportError) {
                if options.strict { throw .malformed(problem) }
                summary.noted += 1
                if summary.problems.count < 100 { summary.problems.append(problem) }
            }
            try produce(addHeadline, note)
        } else {
        switch options.format {
        case .csv:
            let reader: CSVReader
            do { reader = try CSVReader(path: options.readFrom ?? options.input, name: options.input) } catch { throw .input(error) }
            var columns: [String: Int] = [:]
            // The header, or without one the first row (read again below as data): numbered
            // fields are checked against its width before any row is imported.
            var headerWidth: Int?
            var firstRow: CSVReader.Status?
            switch reader.next() {
            case .record? where options.header:
                let names = reader.strings()
                headerWidth = names.count
                for (i, name) in names.enumerated() where columns[name.lowercased()] == nil {
                    columns[name.trimmingCharacters(in: .whitespaces).lowercased()] = i
                }
            case let .problem(p)? where options.header:
                throw .malformed(LineProblem(path: p.path, line: p.line, reason: "the header row: " + p.reason))
            case let other?:
                firstRow = other
            case nil: throw .input(FileError(path: options.input, reason: "the file has no rows"))
            }
            let width: Int? = if case .record? = firstRow { reader.count } else { headerWidth }
            if let width, let widest = options.givenSpecs.compactMap({ spec -> Int? in if case .column(let c) = spec { c } else { nil } }).max(),
               widest > width {
                throw .usage("column \(widest) is past the end: \(options.input) has \(width) columns (\(options.header ? "in the header" : "in the first row"))")
            }
            // Named fields must exist in the header.
            for spec in options.givenSpecs {
                if case .name(let name) = spec {
                    guard options.header else { throw .usage("--no-header: name fields by column number, not '\(name)'") }
                    guard columns[name.lowercased()] != nil else {
                        throw .usage("no column '\(name)' in \(options.input) (columns: \(columns.sorted { $0.value < $1.value }.map(\.key).joined(separator: ", ")))")
                    }
                }
            }
            let plan = Plan(options: options) { spec, defaults in
                if let spec { return spec }
                guard options.header else { return nil }
                for name in defaults where columns[name] != nil { return .name(name) }
                return nil
            }
            let row = CSVRow(reader: reader, columns: plan.specs.map { spec in
                switch spec {
                case .column(let c)?: c - 1
                case .name(let n)?: columns[n.lowercased()]
                case nil: nil
                }
            })
            while let status = firstRow ?? reader.next() {
                firstRow = nil
                switch status {
                case .problem(let p): try handle(p)
                case .record(let line) where headerWidth.map({ reader.count > $0 }) == true:
                    try handle(LineProblem(path: options.input, line: line, reason: "\(reader.count) fields, the header has \(headerWidth!)"))
                case .record(let line):
                    try make(line: line, row, plan: plan)
                    index += 1
                    try checkCancelled()
                    reading(reader.position, of: reader.size)
                }
            }
        case .jsonl:
            let lines: LineReader
            do { lines = try LineReader(path: options.readFrom ?? options.input) } catch { throw .input(error) }
            for spec in options.givenSpecs {
                if case .column = spec { throw .usage("JSON Lines fields are named, not numbered") }
            }
            // Decided from the first object's fields (those with a value: a string, a number
            // or true/false), for every line after.
            var plan: Plan?
            var matcher = JSONLineFields(names: [])
            while let line = lines.next() {
                let number = lines.lineNumber
                switch line {
                case .tooLong(let length):
                    try handle(LineProblem(path: options.input, line: number, reason: "line is \(length) bytes, over the 1 MiB limit"))
                case .text(var bytes, _):
                    // A byte order mark (some editors write one) is not part of the first object.
                    if number == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    if plan == nil {
                        let seenKeys: Set<String>
                        do { seenKeys = try JSONLineFields.keys(bytes) } catch {
                            try handle(LineProblem(path: options.input, line: number, reason: error.description))
                            continue
                        }
                        let decided = Plan(options: options) { spec, defaults in
                            if let spec { return spec }
                            for name in defaults where seenKeys.contains(name) { return .name(name) }
                            return defaults.first.map { .name($0) }
                        }
                        plan = decided
                        matcher = JSONLineFields(names: decided.specs.map { spec in if case .name(let n)? = spec { n } else { nil } })
                    }
                    do { try matcher.read(bytes) } catch {
                        try handle(LineProblem(path: options.input, line: number, reason: error.description))
                        continue
                    }
                    try matcher.withRow { row throws(ImportError) in try make(line: number, row, plan: plan!) }
                    index += 1
                    try checkCancelled()
                    reading(lines.position, of: lines.size)
                }
            }
        }
        }
        progress?(ImportProgress(phase: .reading, rows: index, fraction: 1))
        // Nothing to write: no output at all (an existing file stays as it was).
        guard !table.isEmpty else { return summary }
        progress?(ImportProgress(phase: .sorting, rows: table.count, fraction: 0))
        table.sortInMemory()
        let temporary = "\(tempDir)/.newsdesk-import-\(getpid())-out.tmp"
        temporaries.add(temporary)
        try write(table, to: temporary, sources: sources, summary: &summary)
        try commit(temporary)
        return summary
    }

    /// Refuses an output that is the input (the same file by device and inode, so also
    /// through a symlink or a hard link), whatever `overwrite` says, and an existing output
    /// without `overwrite`, before any row is read.
    private func checkOutput() throws(ImportError) {
        var out = stat(), input = stat()
        guard stat(options.output, &out) == 0 else { return }
        if stat(options.input, &input) == 0 && out.st_dev == input.st_dev && out.st_ino == input.st_ino {
            throw .usage("\(options.output) is the input (\(options.input)): choose another --out")
        }
        if !options.overwrite { throw .output(FileError(path: options.output, reason: "already exists (use --force to overwrite it)")) }
    }

    /// Moves the finished recording into place: `rename` with `overwrite`; otherwise `link`,
    /// which fails if a file appeared at the output meanwhile.
    private func commit(_ temporary: String) throws(ImportError) {
        if options.overwrite {
            guard rename(temporary, options.output) == 0 else {
                throw .output(FileError(path: options.output, reason: "cannot create it (\(String(cString: strerror(errno))))"))
            }
            return
        }
        guard link(temporary, options.output) == 0 else {
            if errno == EEXIST { throw .output(FileError(path: options.output, reason: "already exists (use --force to overwrite it)")) }
            throw .output(FileError(path: options.output, reason: "cannot create it (\(String(cString: strerror(errno))))"))
        }
    }

    private var timeFormatName: String {
        switch options.timeFormat {
        case .iso8601: return "ISO 8601"
        case .epoch: return "epoch seconds"
        case .epochMilliseconds: return "epoch milliseconds"
        case .pattern(let p): return "'\(p)'"
        case .automatic: return "ISO 8601 or epoch (set --time-format)"
        }
    }

    /// A JSON object's top-level fields as text (strings as they are, numbers as written,
    /// booleans as true/false); nested values are skipped.
    static func jsonFields(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> [String: String] {
        var values: [String: String] = [:]
        try JSONLineFields.walk(bytes) { (s: inout JSONScanner, key, value) in
            switch value {
            case .raw(let range)?: values[s.keyText(key)] = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            case .text(let text)?: values[s.keyText(key)] = text
            case nil: break
            }
        }
        return values
    }

    /// Writes the recording: the rows in `table` (sorted) merged with its sorted runs,
    /// each as `{"offset":N` and its body.
    private func write(_ table: RowTable, to path: String, sources: [String], summary: inout ImportSummary) throws(ImportError) {
        let heads = try table.openRuns()
        let started = Timestamp(milliseconds: table.earliest(heads) ?? Timestamp(seconds: Date().timeIntervalSince1970).milliseconds)
        let writer: RecordingWriter
        do {
            writer = try RecordingWriter(
                path: path,
                header: RecordingHeader(started: started, sources: sources, origin: URL(fileURLWithPath: options.input).lastPathComponent),
                overwrite: true)
        } catch {
            throw .output(FileError(path: options.output, reason: error.reason))
        }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20 + 1 << 16)
        var pending = 0
        var last = started.milliseconds
        let total = table.count
        func flush() throws(ImportError) {
            do { try writer.write(encoded: out, events: pending) } catch { throw .output(FileError(path: options.output, reason: error.reason)) }
            summary.imported += pending
            pending = 0
            out.removeAll(keepingCapacity: true)
        }
        try table.merge(heads) { (time: Int64, body: UnsafeBufferPointer<UInt8>) throws(ImportError) in
            JSONWriter.appendRaw("{\"offset\":", to: &out)
            JSONWriter.appendInteger(time - started.milliseconds, to: &out)
            out.append(contentsOf: body)
            pending += 1
            last = time
            if out.count >= 1 << 20 {
                if Task.isCancelled { throw .interrupted }
                try flush()
                progress?(ImportProgress(phase: .writing, rows: summary.imported, fraction: Double(summary.imported) / Double(max(1, total))))
            }
        }
        try flush()
        do { try writer.close() } catch { throw .output(FileError(path: options.output, reason: error.reason)) }
        summary.started = started
        summary.duration = last - started.milliseconds
    }
}

/// Where an import is, for its progress line.
public struct ImportProgress: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case reading, sorting, writing
    }
    public var phase: Phase
    /// Rows read (reading, sorting) or written (writing).
    public var rows: Int
    /// How far through the phase, 0 to 1, when known (0 otherwise).
    public var fraction: Double
}

/// The temporary files of one import, removed at its end.
final class TemporaryFiles {
    private var paths: [String] = []
    func add(_ path: String) { paths.append(path) }
    func removeAll() {
        for path in paths { unlink(path) }
        paths.removeAll()
    }
}

/// A row's fields by slot (``Importer/Slot``): UTF-8 bytes, nil when the row has none.
protocol ImportRow {
    func value(_ slot: Int) -> UnsafeBufferPointer<UInt8>?
}

/// A CSV record's fields by slot: each slot's column, decided once for the file.
struct CSVRow: ImportRow {
    let reader: CSVReader
    let columns: [Int?]

    @inline(__always)
    func value(_ slot: Int) -> UnsafeBufferPointer<UInt8>? {
        guard let c = columns[slot], c < reader.count else { return nil }
        return reader.field(c)
    }
}
