import ArgumentParser
import Foundation
import NewsApp
import NewsCore

/// `newsdesk import INPUT --out FILE`: a feed (RSS, Atom, JSON Feed) or headline data (CSV
/// or JSON Lines) to a recording.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a feed (RSS, Atom, JSON Feed) or headline data (CSV or JSON Lines) into a recording.",
        discussion: """
            The input's kind is told from its content (--format csv or jsonl reads it as that). \
            A feed's items become headlines with their id, title, date, outlet, summary and link, \
            ordered by date; the source's name is a short name from the feed's title, or --name. \
            An item whose date cannot be read takes the time of the import and a note saying so. \
            A feed that breaks keeps the items before the break and says where. A file that is \
            not a feed (an HTML page, say) is exit 65, a missing one 66.

            For CSV and JSON Lines, fields are chosen by header name or 1-based column number (CSV), or by name (JSON \
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
              newsdesk import feed.xml --out feed.jsonl --name kernel
            """)

    @Argument(help: ArgumentHelp("The data to import: a file, a pipe or FIFO, or - for standard input.", valueName: "input"))
    var input: String

    @Option(help: ArgumentHelp("The recording to write.", valueName: "file"))
    var out: String

    @Flag(help: "Overwrite the recording if it exists.")
    var force = false

    @Option(help: ArgumentHelp("csv or jsonl: read the input as this (default: by its content).", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("A feed's source name (default: a short name from the feed's title).", valueName: "name"))
    var name: String?

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
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name cannot be empty") }
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
        case .note: nil
        }
    }

    /// The options given that only CSV and JSON Lines take (a feed refuses them, by name).
    var tableOptions: [String] {
        var given: [String] = []
        func note(_ value: Any?, _ flag: String) { if value != nil { given.append(flag) } }
        note(title, "--title")
        note(time, "--time")
        note(source, "--source")
        note(id, "--id")
        for field in HeadlineField.allCases { note(option(for: field), "--\(field.key)") }
        if noHeader { given.append("--no-header") }
        note(timeFormat, "--time-format")
        note(renameSource, "--rename-source")
        note(only, "--only")
        note(interval, "--interval")
        return given
    }

    func run() async throws {
        let given = format.flatMap { ImportFormat(rawValue: $0.lowercased()) }
        var options = ImportOptions(input: input, output: out, format: given ?? ImportFormat.guess(input) ?? .csv)
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

        let request = ImportRequest(options: options, format: given, name: name, tableOptions: tableOptions,
                                    readTime: Timestamp(seconds: Date().timeIntervalSince1970))
        try await withExitCode { try await ImportRun.run(request) }
    }
}
