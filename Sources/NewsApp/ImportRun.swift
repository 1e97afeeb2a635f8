import Foundation
import NewsCore
import NewsFeeds

/// What `newsdesk import` was asked: the options for a table (CSV or JSON Lines; their
/// `format` is decided from the content unless `format` was given), the feed's `--name`,
/// and which table-only options were given (a feed refuses them).
public struct ImportRequest: Sendable {
    public var options: ImportOptions
    /// `--format`: read as this table format, whatever the content.
    public var format: ImportFormat?
    /// `--name`: the feed's source name (a table refuses it: its `--source` names a field).
    public var name: String?
    /// The options given that only a table takes, as written (`--title`, `--only`...).
    public var tableOptions: [String]
    /// When the feed was read: the date of an item whose own date cannot be read.
    public var readTime: Timestamp

    public init(options: ImportOptions, format: ImportFormat? = nil, name: String? = nil, tableOptions: [String] = [],
                readTime: Timestamp) {
        self.options = options
        self.format = format
        self.name = name
        self.tableOptions = tableOptions
        self.readTime = readTime
    }

    /// What the input is imported as, from `--format` or its content (see
    /// ``ImportInput/decide(_:byExtension:path:)``), with the options checked against it:
    /// a table option given with a feed, or `--name` with a table, is 64 naming it.
    public func input(sniffed: () -> Result<SniffedKind, ImportInput.Refusal>) -> Result<ImportInput, ImportInput.Refusal> {
        let path = options.input
        let decided: ImportInput
        if let format {
            decided = .table(format)
        } else {
            switch sniffed() {
            case .failure(let refusal): return .failure(refusal)
            case .success(let kind):
                switch ImportInput.decide(kind, byExtension: ImportFormat.guess(path), path: path) {
                case .failure(let refusal): return .failure(refusal)
                case .success(let input): decided = input
                }
            }
        }
        switch decided {
        case .feed:
            if let option = tableOptions.first {
                return .failure(.init(status: 64, message: "\(option) is for CSV and JSON Lines; \(path) is a feed (its source's name: --name NAME)"))
            }
        case .table:
            if name != nil {
                return .failure(.init(status: 64, message: "--name is for feeds; \(path) is read as CSV or JSON Lines (its source field: --source FIELD)"))
            }
        }
        return .success(decided)
    }
}

/// `newsdesk import`: runs the ``Importer`` as interruptible work with a progress line,
/// then reports what it did.
public enum ImportRun {
    /// Imports a feed, CSV or JSON Lines as the content (or `--format`) says; see
    /// ``run(_:feed:)`` for the rest.
    ///
    /// A stream (`-` for standard input, a pipe, a FIFO) is opened and read from once,
    /// whatever `--format` says: its start tells the format, and the import goes on from
    /// the same descriptor with those bytes first (``ImportStream``).
    /// `outName` names the output in the summary line (``StoreImport``'s temporary recording: "the store").
    public static func run(_ request: ImportRequest, outName: String? = nil) async throws(CommandExit) {
        let path = request.options.input
        var stream: ImportStream?
        var streamKind: SniffedKind?
        if ImportInput.isStream(path) {
            switch ImportInput.openOnce(path: path) {
            case .failure(let refusal):
                warn(TerminalSafe.sanitize(refusal.message))
                throw CommandExit(refusal.status)
            case .success(let (kind, opened)):
                (streamKind, stream) = (kind, opened)
            }
        }
        switch request.input(sniffed: { streamKind.map { .success($0) } ?? ImportInput.sniff(path: path) }) {
        case .failure(let refusal):
            warn(TerminalSafe.sanitize(refusal.message))
            throw CommandExit(refusal.status)
        case .success(.table(let format)):
            var options = request.options
            options.format = format
            if let stream {
                switch stream.relay() {
                case .failure(let refusal):
                    warn(TerminalSafe.sanitize(refusal.message))
                    throw CommandExit(refusal.status)
                case .success(let relayed): options.readFrom = relayed
                }
            }
            try await run(options, outName: outName)
        case .success(.feed):
            // A feed's headlines carry their summaries, about the feed's size again: sorted
            // runs of about a thousand keep the peak near the parser's own (DECISIONS.md).
            var options = request.options
            options.runSize = min(options.runSize, ImportRun.feedRunSize)
            try await run(options, feed: FeedImport.producer(path: path, name: request.name,
                                                             readTime: request.readTime, stream: stream), outName: outName)
        }
    }


    /// Imports as `options` say. Returns when at least one headline was imported (the
    /// summary line on stderr); throws the exit status otherwise, its message on stderr:
    /// 64, 65, 66 or 73 for the ``ImportError``, 65 for nothing imported, 130/143/129
    /// after a signal (which stops the importer, so that it removes its temporary files).
    public static func run(_ options: ImportOptions, feed: Importer.Producer? = nil, outName: String? = nil) async throws(CommandExit) {
        var given = options
        // The memory budget in bytes, for the binary's tests of an import that spills
        // (DECISIONS.md, 2026-12-02); not an option a user needs.
        if let text = ProcessInfo.processInfo.environment["NEWSDESK_IMPORT_MEMORY"], let bytes = Int(text), bytes > 0 {
            given.memoryBudget = bytes
        }
        let options = given
        let progress = ProgressLine()
        let started = Date()
        let input = options.input
        let result = Protected<Result<ImportSummary, ImportError>?>(nil)
        let status = await Interruptible.run {
            let importer = Importer(options: options) { step in
                progress.show(progressText(step, input: input, feed: feed != nil, seconds: Date().timeIntervalSince(started)),
                              force: step.phase == .sorting)
            }
            do throws(ImportError) {
                let summary = try importer.run(headlines: feed)
                result.withLock { $0 = .success(summary) }
            } catch .interrupted {
                throw CancellationError()
            } catch {
                result.withLock { $0 = .failure(error) }
            }
        }
        progress.finish()
        try CommandExit.check(status)
        switch result.withLock({ $0 }) {
        case .success(let summary)?:
            let (lines, status) = report(summary, input: input, out: outName ?? options.output)
            for line in lines { warn(TerminalSafe.sanitize(line)) }
            try CommandExit.check(status)
        case .failure(let error)?:
            warn(TerminalSafe.sanitize("\(error)"))
            throw CommandExit(exitStatus(error))
        case nil: throw CommandExit(130)
        }
    }

    /// The progress line of an import `seconds` into it: rows read, how far through the
    /// input and the rate; then sorting; then writing, how far.
    public static func progressText(_ step: ImportProgress, input: String, feed: Bool, seconds: Double) -> String {
        let (one, many) = feed ? ("item", "items") : ("row", "rows")
        switch step.phase {
        case .reading:
            let rate = Int(Double(step.rows) / max(0.001, seconds)).formatted()
            let share = feed ? "" : ", \(Int(step.fraction * 100))%"
            return "importing \(input): reading, \(CountText.counted(step.rows, one, many))\(share), \(rate) \(many)/s"
        case .sorting:
            return "importing \(input): sorting \(CountText.counted(step.rows, one, many))"
        case .writing:
            return "importing \(input): writing, \(CountText.counted(step.rows, one, many)) written, \(Int(step.fraction * 100))%"
        }
    }

    /// The exit status of an import that failed with `error`.
    public static func exitStatus(_ error: ImportError) -> Int32 {
        switch error {
        case .usage: 64
        case .input: 66
        case .malformed: 65
        case .output: 73
        case .interrupted: 130
        }
    }

    /// Items of a feed sorted in memory at a time before they spill to a sorted run.
    public static let feedRunSize = 1024

    /// The lines (for stderr) that report `summary`: the first 20 problems, how many more,
    /// then what was imported; and the exit status, 65 when nothing was (no file is written:
    /// an empty recording would only block the retry with "already exists").
    public static func report(_ summary: ImportSummary, input: String, out: String) -> (lines: [String], status: Int32) {
        var lines = summary.problems.prefix(20).map { "\($0)" }
        if summary.skipped + summary.noted > 20 { lines.append("... and \(summary.skipped + summary.noted - 20) more") }
        let malformed = CountText.counted(summary.skipped, "malformed row", "malformed rows")
        if summary.imported == 0 {
            var line = "nothing imported from \(input); \(out) was not written"
            if summary.skipped > 0 { line += " (\(malformed))" }
            if summary.filteredOut > 0 { line += " (\(summary.filteredOut.formatted()) left out by --only)" }
            return (lines + [line], 65)
        }
        var line = "imported \(CountText.counted(summary.imported, "headline", "headlines")) into \(out)"
        line += ", spanning \(DurationText.format(summary.duration))"
        if summary.skipped > 0 { line += "; skipped \(malformed)" }
        if summary.noted > 0 { line += "; \(CountText.counted(summary.noted, "problem", "problems")) noted" }
        if summary.filteredOut > 0 { line += "; left out \(summary.filteredOut.formatted()) by --only" }
        return (lines + [line], 0)
    }

    /// `--rename-source a=b,c=d`: the renames, or nil if it is not pairs like that.
    public static func parseRenames(_ text: String) -> [String: String]? {
        var map: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            map[parts[0]] = parts[1]
        }
        return map.isEmpty ? nil : map
    }
}
