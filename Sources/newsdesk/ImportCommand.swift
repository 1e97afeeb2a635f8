import ArgumentParser
import Foundation
import NewsApp
import NewsCore

/// `newsdesk import INPUT --out FILE`: real headline data (CSV or JSON Lines) to a recording.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert headline data (CSV or JSON Lines) into a recording.",
        discussion: """
            Fields are chosen by header name or 1-based column number (CSV), or by name (JSON \
            Lines); without --title/--time/--source, common names are tried (title, headline; \
            time, published, date, timestamp; source, category, section). Rows are sorted by \
            time (the original order breaks ties), with bounded memory for any input size. \
            A malformed row is reported with its line number and skipped (--strict: exit 65). \
            The recording is written under a temporary name next to --out and renamed into \
            place at the end: an import that imports nothing exits 65 and writes no file, and \
            Ctrl-C, SIGTERM or SIGHUP remove every temporary file (exit 130, 143, 129). An \
            --out that is the input (the same file, also through a link) is refused with 64, \
            even with --force; so are column numbers past the header's width and unknown \
            --time-format patterns, before any row is read.

            Examples:
              newsdesk import news.csv --out news.jsonl --title headline --time date \\
                --time-format '%m/%d/%Y %H:%M' --rename-source sport=sports,sci_tech=tech
              newsdesk import items.jsonl --out items.rec --time published \\
                --time-format epoch-ms --only tech,world
            """)

    @Argument(help: ArgumentHelp("The data to import.", valueName: "input"))
    var input: String

    @Option(help: ArgumentHelp("The recording to write.", valueName: "file"))
    var out: String

    @Flag(help: "Overwrite the recording if it exists.")
    var force = false

    @Option(help: ArgumentHelp("csv or jsonl (default: by the input's extension).", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("The title field: a header name or a 1-based column number.", valueName: "field"))
    var title: String?

    @Option(help: ArgumentHelp("The time field.", valueName: "field"))
    var time: String?

    @Option(help: ArgumentHelp("The source field (default: 'imported' for every row).", valueName: "field"))
    var source: String?

    @Option(help: ArgumentHelp("The id field (default: source-row).", valueName: "field"))
    var id: String?

    @Option(help: ArgumentHelp("The URL field.", valueName: "field"))
    var url: String?

    @Option(help: ArgumentHelp("The summary field.", valueName: "field"))
    var summary: String?

    @Flag(name: .customLong("no-header"), help: "The CSV has no header row: name fields by column number.")
    var noHeader = false

    @Option(name: .customLong("time-format"), help: ArgumentHelp(
        "iso8601 (with or without zone; without: UTC), epoch, epoch-ms, or a pattern like '%m/%d/%Y %H:%M' (default: ISO 8601 or epoch, guessed).",
        valueName: "format"))
    var timeFormat: String?

    @Option(name: .customLong("rename-source"), help: ArgumentHelp("Rename sources: sport=sports,sci_tech=tech.", valueName: "a=b,..."))
    var renameSource: String?

    @Option(help: ArgumentHelp("Keep only these sources (after renaming): tech,sports,world.", valueName: "names"))
    var only: String?

    @Option(help: ArgumentHelp("Without a time field, space events this far apart: 2s, 500ms, 1m.", valueName: "duration"))
    var interval: String?

    @Flag(help: "Stop at the first malformed row (exit 65) instead of skipping it.")
    var strict = false

    func validate() throws {
        if let format, ImportFormat(rawValue: format.lowercased()) == nil {
            throw ValidationError("--format must be csv or jsonl, not '\(format)'")
        }
        if format == nil && ImportFormat.guess(input) == nil {
            throw ValidationError("cannot tell the format of '\(input)' from its extension: give --format csv or --format jsonl")
        }
        if let interval, DurationText.parse(interval) == nil {
            throw ValidationError("--interval '\(interval)' is not a duration like 2s, 500ms or 1m")
        }
        if let interval, let ms = DurationText.parse(interval), ms > 86_400_000 {
            throw ValidationError("--interval '\(interval)' is over a day; events are spaced at most a day apart")
        }
        if interval != nil && time != nil { throw ValidationError("use --time or --interval, not both") }
        if let renameSource, ImportRun.parseRenames(renameSource) == nil {
            throw ValidationError("--rename-source takes pairs like sport=sports,sci_tech=tech")
        }
        for spec in [title, time, source, id].compactMap({ $0 }) + HeadlineField.allCases.compactMap(option(for:)) {
            if spec.isEmpty { throw ValidationError("a field name cannot be empty") }
            if let n = Int(spec), n < 1 { throw ValidationError("column numbers start at 1, not \(n)") }
        }
    }

    /// The option that names or numbers an optional field (no option: only a column with one
    /// of its ``HeadlineField/importNames`` is read).
    func option(for field: HeadlineField) -> String? {
        switch field {
        case .outlet: nil
        case .summary: summary
        case .url: url
        }
    }

    func run() async throws {
        var options = ImportOptions(input: input, output: out,
                                    format: format.flatMap { ImportFormat(rawValue: $0.lowercased()) } ?? ImportFormat.guess(input)!)
        options.title = title.map(FieldSpec.init)
        options.time = time.map(FieldSpec.init)
        options.source = source.map(FieldSpec.init)
        options.id = id.map(FieldSpec.init)
        for field in HeadlineField.allCases {
            if let spec = option(for: field) { options.fields[field] = FieldSpec(spec) }
        }
        options.header = !noHeader
        options.timeFormat = timeFormat.map(TimeFormat.init) ?? .automatic
        options.rename = renameSource.flatMap(ImportRun.parseRenames) ?? [:]
        options.only = only.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        options.interval = interval.flatMap(DurationText.parse)
        options.strict = strict
        options.overwrite = force

        try await withExitCode { try await ImportRun.run(options) }
    }
}
