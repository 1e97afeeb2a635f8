import ArgumentParser
import Foundation
import NewsApp
import NewsCore

/// `newsdesk import INPUT --out FILE` (or `--store DB`): a feed (RSS, Atom, JSON Feed) or headline data (CSV
/// or JSON Lines) to a recording.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a feed (RSS, Atom, JSON Feed) or headline data (CSV or JSON Lines) into a recording, or add it to the store.",
        discussion: HelpText.importing)

    @Argument(help: ArgumentHelp("The data to import: a file, a pipe or FIFO, or - for standard input.", valueName: "input"))
    var input: String

    @Option(help: ArgumentHelp("The recording to write.", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("Add the headlines to this store (a recording is added as it is); with --out, write the recording too.", valueName: "file"))
    var store: String?

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
        if out == nil && store == nil { throw ValidationError("give --out FILE (a recording to write) or --store FILE (the store to add to)") }
        if let store, store.isEmpty { throw ValidationError("--store: the path is empty") }
        if let problem = arguments.problem { throw ValidationError(problem) }
    }

    /// The options as NewsApp's ``ImportArguments`` holds them (and checks them).
    var arguments: ImportArguments {
        ImportArguments(input: input, out: out ?? "", force: force, format: format, name: name, title: title, time: time,
                        source: source, id: id, url: url, summary: summary, noHeader: noHeader, timeFormat: timeFormat,
                        renameSource: renameSource, only: only, interval: interval, strict: strict)
    }

    func run() async throws {
        let request = arguments.request(readTime: Timestamp(seconds: Date().timeIntervalSince1970))
        if let store {
            let choice = StoreChoice(path: store, explicit: true)
            try await withExitCode { try await StoreImport.run(request, out: out, store: choice) }
        } else {
            try await withExitCode { try await ImportRun.run(request) }
        }
    }
}
