import Foundation
import NewsCore

/// `newsdesk import`: runs the ``Importer`` as interruptible work with a progress line,
/// then reports what it did.
public enum ImportRun {
    /// Imports as `options` say. Returns when at least one headline was imported (the
    /// summary line on stderr); throws the exit status otherwise, its message on stderr:
    /// 64, 65, 66 or 73 for the ``ImportError``, 65 for nothing imported, 130/143/129
    /// after a signal (which stops the importer, so that it removes its temporary files).
    public static func run(_ options: ImportOptions) async throws(CommandExit) {
        let progress = ProgressLine()
        let started = Date()
        let input = options.input
        let result = Protected<Result<ImportSummary, ImportError>?>(nil)
        let status = await Interruptible.run {
            let importer = Importer(options: options) { rows, fraction in
                let rate = Double(rows) / max(0.001, Date().timeIntervalSince(started))
                progress.show("importing \(input): \(CountText.counted(rows, "row", "rows")), \(Int(fraction * 100))%, \(Int(rate).formatted()) rows/s")
            }
            do throws(ImportError) {
                let summary = try importer.run()
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
            let (lines, status) = report(summary, input: input, out: options.output)
            for line in lines { warn(line) }
            try CommandExit.check(status)
        case .failure(let error)?:
            warn("\(error)")
            throw CommandExit(exitStatus(error))
        case nil: throw CommandExit(130)
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

    /// The lines (for stderr) that report `summary`: the first 20 problems, how many more,
    /// then what was imported; and the exit status, 65 when nothing was (no file is written:
    /// an empty recording would only block the retry with "already exists").
    public static func report(_ summary: ImportSummary, input: String, out: String) -> (lines: [String], status: Int32) {
        var lines = summary.problems.prefix(20).map { "\($0)" }
        if summary.problems.count > 20 { lines.append("... and \(summary.skipped - 20) more") }
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
