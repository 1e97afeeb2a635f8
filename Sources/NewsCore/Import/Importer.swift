import Foundation

/// Converts headline data into a recording. Rows are read as they come (CSV or JSON
/// Lines), mapped to headlines, and sorted by time (the original order breaks ties) with
/// bounded memory: up to `runSize` rows are sorted in memory; beyond that, sorted runs go
/// to temporary files and are merged.
///
/// The recording is written to a temporary file next to the output and renamed into place
/// only when at least one row was imported: a failed, empty or interrupted import leaves no
/// output (an existing one untouched) and no temporary file. Cancelling the task stops it
/// within a few thousand rows (``ImportError/interrupted``).
public struct Importer {
    public let options: ImportOptions
    /// Called now and then with (rows read, fraction of the input read).
    public var progress: ((Int, Double) -> Void)?

    public init(options: ImportOptions, progress: ((Int, Double) -> Void)? = nil) {
        self.options = options
        self.progress = progress
    }

    static let titleNames = ["title", "headline", "name", "text"]
    static let timeNames = ["time", "published", "published_at", "publishedat", "date", "datetime", "timestamp", "pubdate", "created_at"]
    static let sourceNames = ["source", "category", "section", "feed", "topic"]
    static let idNames = ["id", "guid", "uuid"]

    /// One row mapped to a headline, with its time (or nil) and original position.
    struct Row {
        var time: Int64
        var index: Int
        var headline: Headline
    }

    /// Headlines that someone else reads (a feed, which NewsCore does not parse): the
    /// producer is given `add`, for each headline as it is read (the importer sorts and
    /// offsets them as it does rows), and `note`, for a problem that skips nothing.
    public typealias Producer = @Sendable (_ add: (Headline) throws(ImportError) -> Void,
                                 _ note: (LineProblem) throws(ImportError) -> Void) throws(ImportError) -> Void

    /// Imports `options.input` as its format says, or, given `produce`, the headlines it
    /// adds (the field options are then not used: each headline comes whole).
    public func run(headlines produce: Producer? = nil) throws(ImportError) -> ImportSummary {
        try checkOutput()
        if case .pattern(let pattern) = options.timeFormat, let problem = TimeFormat.problem(in: pattern) {
            throw .usage("--time-format '\(pattern)': \(problem); use iso8601, epoch, epoch-ms or a pattern like '%m/%d/%Y %H:%M'")
        }
        var summary = ImportSummary()
        var rows: [Row] = []
        // Every temporary file (sorted runs, the output being written) is removed at the end,
        // whatever the outcome; the output is renamed away from its temporary name on success.
        var temporaries: [String] = []
        let tempDir = URL(fileURLWithPath: options.output).deletingLastPathComponent().path
        defer { for path in temporaries { unlink(path) } }
        var index = 0
        var sources: [String] = []
        var sourceSet: Set<String> = []
        let importTime = Timestamp(seconds: Date().timeIntervalSince1970)

        func handle(_ problem: LineProblem) throws(ImportError) {
            if options.strict { throw .malformed(problem) }
            summary.skipped += 1
            if summary.problems.count < 100 { summary.problems.append(problem) }
        }

        // Maps a row's values (looked up by `value`) to a headline, or a reason it cannot be one.
        func make(line: Int, _ value: (FieldSpec) -> String?, resolve: (FieldSpec?, [String]) -> FieldSpec?) throws(ImportError) -> Row? {
            guard let titleSpec = resolve(options.title, Importer.titleNames) else { throw .usage("no title field found in \(options.input): name it with --title") }
            guard let rawTitle = value(titleSpec) else {
                try handle(LineProblem(path: options.input, line: line, reason: "missing title (\(titleSpec))"))
                return nil
            }
            let title = rawTitle.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !title.isEmpty else {
                try handle(LineProblem(path: options.input, line: line, reason: "empty title (\(titleSpec))"))
                return nil
            }
            var time: Int64
            if let spec = resolve(options.time, options.interval == nil ? Importer.timeNames : []) {
                guard let text = value(spec), !text.isEmpty else {
                    try handle(LineProblem(path: options.input, line: line, reason: "missing time (\(spec))"))
                    return nil
                }
                guard let t = options.timeFormat.parse(text) else {
                    try handle(LineProblem(path: options.input, line: line, reason: "cannot read the time '\(text.prefix(40))' (\(spec)) as \(timeFormatName)"))
                    return nil
                }
                time = t.milliseconds
            } else if let interval = options.interval {
                time = importTime.milliseconds + Int64(index) * min(max(interval, 0), 86_400_000)  // a day at most: no overflow
            } else {
                throw .usage("no time field found in \(options.input): name it with --time, or space events evenly with --interval")
            }
            var source = resolve(options.source, Importer.sourceNames).flatMap(value)?.trimmingCharacters(in: .whitespaces) ?? ""
            if source.isEmpty { source = "imported" }
            source = options.rename[source] ?? source
            if let only = options.only, !only.contains(source) {
                summary.filteredOut += 1
                return nil
            }
            if sourceSet.insert(source).inserted { sources.append(source) }
            func optional(_ spec: FieldSpec?, _ names: [String]) -> String? {
                guard let s = resolve(spec, names), let v = value(s), !v.isEmpty else { return nil }
                return v
            }
            time = max(time, -62_135_596_800_000)  // year 1 at the earliest
            var headline = Headline(
                id: optional(options.id, Importer.idNames) ?? "\(source)-\(index + 1)", source: source, title: title,
                published: Timestamp(milliseconds: time))
            for field in HeadlineField.allCases { headline[field] = optional(options.fields[field], field.importNames) }
            return Row(time: time, index: index, headline: headline)
        }

        var runs: [String] = []
        func add(_ row: Row) throws(ImportError) {
            rows.append(row)
            if rows.count >= options.runSize {
                let path = "\(tempDir)/.newsdesk-import-\(getpid())-\(runs.count).tmp"
                temporaries.append(path)  // before it is created: a failure half-way still removes it
                try spill(&rows, to: path)
                runs.append(path)
            }
        }
        /// Every few thousand rows: stop if the task was cancelled.
        func checkCancelled() throws(ImportError) {
            if index % 4096 == 0 && Task.isCancelled { throw .interrupted }
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
                try add(Row(time: time, index: index, headline: headline))
                index += 1
                try checkCancelled()
                if index % 10_000 == 0 { progress?(index, 0) }
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
            var firstRow: CSVReader.Record?
            switch reader.next() {
            case .fields(let names, _)? where options.header:
                headerWidth = names.count
                for (i, name) in names.enumerated() where columns[name.lowercased()] == nil {
                    columns[name.trimmingCharacters(in: .whitespaces).lowercased()] = i
                }
            case .fields(let fields, let line)?:
                firstRow = .fields(fields, line: line)
            case .problem(let p)? where options.header:
                throw .malformed(LineProblem(path: p.path, line: p.line, reason: "the header row: " + p.reason))
            case let other?:
                firstRow = other
            case nil: throw .input(FileError(path: options.input, reason: "the file has no rows"))
            }
            let width: Int? = if case .fields(let fields, _)? = firstRow { fields.count } else { headerWidth }
            if let width, let widest = options.givenSpecs.compactMap({ spec -> Int? in if case .column(let c) = spec { c } else { nil } }).max(),
               widest > width {
                throw .usage("column \(widest) is past the end: \(options.input) has \(width) columns (\(options.header ? "in the header" : "in the first row"))")
            }
            func resolve(_ spec: FieldSpec?, _ defaults: [String]) -> FieldSpec? {
                if let spec { return spec }
                guard options.header else { return nil }
                for name in defaults where columns[name] != nil { return .name(name) }
                return nil
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
            while let record = firstRow ?? reader.next() {
                firstRow = nil
                switch record {
                case .problem(let p): try handle(p)
                case .fields(let fields, let line) where headerWidth.map({ fields.count > $0 }) == true:
                    try handle(LineProblem(path: options.input, line: line, reason: "\(fields.count) fields, the header has \(headerWidth!)"))
                case .fields(let fields, let line):
                    let value: (FieldSpec) -> String? = { spec in
                        switch spec {
                        case .column(let c): return c <= fields.count ? fields[c - 1] : nil
                        case .name(let n): return columns[n.lowercased()].flatMap { $0 < fields.count ? fields[$0] : nil }
                        }
                    }
                    if let row = try make(line: line, value, resolve: resolve) { try add(row) }
                    index += 1
                    try checkCancelled()
                    if index % 10_000 == 0 { progress?(index, Double(reader.position) / Double(max(1, reader.size))) }
                }
            }
        case .jsonl:
            let lines: LineReader
            do { lines = try LineReader(path: options.readFrom ?? options.input) } catch { throw .input(error) }
            for spec in options.givenSpecs {
                if case .column = spec { throw .usage("JSON Lines fields are named, not numbered") }
            }
            var seenKeys: Set<String> = []
            func resolve(_ spec: FieldSpec?, _ defaults: [String]) -> FieldSpec? {
                if let spec { return spec }
                for name in defaults where seenKeys.contains(name) { return .name(name) }
                return defaults.first.map { .name($0) }
            }
            while let line = lines.next() {
                let number = lines.lineNumber
                switch line {
                case .tooLong(let length):
                    try handle(LineProblem(path: options.input, line: number, reason: "line is \(length) bytes, over the 1 MiB limit"))
                case .text(var bytes, _):
                    // A byte order mark (some editors write one) is not part of the first object.
                    if number == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    var values: [String: String] = [:]
                    do {
                        values = try Importer.jsonFields(bytes)
                    } catch {
                        try handle(LineProblem(path: options.input, line: number, reason: error.description))
                        continue
                    }
                    if index == 0 { seenKeys = Set(values.keys) }
                    let value: (FieldSpec) -> String? = { spec in
                        if case .name(let n) = spec { return values[n] ?? values[n.lowercased()] }
                        return nil
                    }
                    if let row = try make(line: number, value, resolve: resolve) { try add(row) }
                    index += 1
                    try checkCancelled()
                    if index % 10_000 == 0 { progress?(index, Double(lines.position) / Double(max(1, lines.size))) }
                }
            }
        }
        }
        progress?(index, 1)
        // Nothing to write: no output at all (an existing file stays as it was).
        guard !rows.isEmpty || !runs.isEmpty else { return summary }
        let temporary = "\(tempDir)/.newsdesk-import-\(getpid())-out.tmp"
        temporaries.append(temporary)
        try write(&rows, runs: runs, to: temporary, sources: sources, summary: &summary)
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
        var scanner = JSONScanner(bytes)
        var values: [String: String] = [:]
        try scanner.object { (s: inout JSONScanner, key) throws(JSONError) in
            let name = s.keyText(key)
            switch s.peek() {
            case 0x22?: values[name] = try s.string()
            case let b? where b == 0x2D || (0x30...0x39).contains(b):
                let start = s.position
                _ = try s.number()
                values[name] = String(decoding: UnsafeBufferPointer(rebasing: s.bytes[start..<s.position]), as: UTF8.self)
            case 0x74?: try s.literal("true"); values[name] = "true"
            case 0x66?: try s.literal("false"); values[name] = "false"
            default: try s.skipValue()  // null, objects and arrays carry no field we map
            }
        }
        try scanner.expectEnd()
        return values
    }

    /// Sorts `rows` by time (stable: original order breaks ties) and writes them to a
    /// temporary run file, in the recording's event format with absolute times.
    private func spill(_ rows: inout [Row], to path: String) throws(ImportError) {
        if Task.isCancelled { throw .interrupted }
        rows.sort { $0.time != $1.time ? $0.time < $1.time : $0.index < $1.index }
        let writer: RecordingWriter
        do {
            writer = try RecordingWriter(path: path, header: RecordingHeader(started: Timestamp(milliseconds: 0), sources: []), overwrite: true)
            try writer.write(rows.map { Arrival(offset: $0.time, headline: $0.headline) })
            try writer.close()
        } catch {
            throw .output(error)
        }
        rows.removeAll(keepingCapacity: true)
    }

    /// Writes the recording: the rows in memory (sorted) merged with the sorted runs.
    private func write(_ rows: inout [Row], runs: [String], to path: String, sources: [String],
                       summary: inout ImportSummary) throws(ImportError) {
        rows.sort { $0.time != $1.time ? $0.time < $1.time : $0.index < $1.index }
        // Runs hold earlier rows than memory; each reader yields (time, original position).
        var readers: [RecordingReader] = []
        do {
            for run in runs { readers.append(try RecordingReader(path: run)) }
        } catch {
            throw .output(FileError(path: runs.first ?? "", reason: "cannot read back a sorted run: \(error)"))
        }
        var heads: [Arrival?] = readers.map { (try? $0.next())?.arrival }
        var memory = 0
        // The earliest time decides the recording's start.
        var first: Int64? = rows.first?.time
        for head in heads { if let t = head?.offset { first = min(first ?? t, t) } }
        let started = Timestamp(milliseconds: first ?? Timestamp(seconds: Date().timeIntervalSince1970).milliseconds)
        let writer: RecordingWriter
        do {
            writer = try RecordingWriter(
                path: path,
                header: RecordingHeader(started: started, sources: sources, origin: URL(fileURLWithPath: options.input).lastPathComponent),
                overwrite: true)
        } catch {
            throw .output(FileError(path: options.output, reason: error.reason))
        }
        var batch: [Arrival] = []
        var last = started.milliseconds
        while true {
            // Pick the earliest: runs come from earlier input than memory, in run order.
            var best = -1
            var bestTime = Int64.max
            for (i, head) in heads.enumerated() {
                if let t = head?.offset, t < bestTime { best = i; bestTime = t }
            }
            var next: Headline
            if memory < rows.count && rows[memory].time < bestTime {
                next = rows[memory].headline
                bestTime = rows[memory].time
                memory += 1
            } else if best >= 0 {
                next = heads[best]!.headline
                heads[best] = (try? readers[best].next())?.arrival
            } else {
                break
            }
            next.published = Timestamp(milliseconds: bestTime)
            batch.append(Arrival(offset: bestTime - started.milliseconds, headline: next))
            last = bestTime
            if batch.count == 1024 {
                if Task.isCancelled { throw .interrupted }
                do { try writer.write(batch) } catch { throw .output(FileError(path: options.output, reason: error.reason)) }
                summary.imported += batch.count
                batch.removeAll(keepingCapacity: true)
            }
        }
        do {
            try writer.write(batch)
            try writer.close()
        } catch {
            throw .output(FileError(path: options.output, reason: error.reason))
        }
        summary.imported += batch.count
        summary.started = started
        summary.duration = last - started.milliseconds
    }
}
