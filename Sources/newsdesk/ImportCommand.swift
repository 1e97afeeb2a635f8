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
        if let problem = arguments.problem { throw ValidationError(problem) }
    }

    /// The options as NewsApp's ``ImportArguments`` holds them (and checks them).
    var arguments: ImportArguments {
        ImportArguments(input: input, out: out, force: force, format: format, name: name, title: title, time: time,
                        source: source, id: id, url: url, summary: summary, noHeader: noHeader, timeFormat: timeFormat,
                        renameSource: renameSource, only: only, interval: interval, strict: strict)
    }

    func run() async throws {
        let request = arguments.request(readTime: Timestamp(seconds: Date().timeIntervalSince1970))
        try await withExitCode { try await ImportRun.run(request) }
    }
}
