import ArgumentParser
import Foundation
import NewsApp
import NewsCore

/// `--store PATH` for the commands that read or change an existing store (no `--no-store`:
/// without a store they have nothing to do).
struct StoreFileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The store (default: $XDG_DATA_HOME/newsdesk/newsdesk.db).", valueName: "file"))
    var store: String?

    func validate() throws {
        if let store, store.isEmpty { throw ValidationError("--store: the path is empty") }
    }

    var choice: StoreChoice {
        StoreChoice.resolve(given: store, noStore: false, environment: ProcessInfo.processInfo.environment)
    }
}

/// `newsdesk export --out FILE`: the store's headlines as a recording.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the stored headlines as a recording that replay plays.",
        discussion: HelpText.export)

    @Option(help: ArgumentHelp("The recording to write ('-': standard output).", valueName: "file"))
    var out: String

    @Flag(help: "Overwrite the file if it exists.")
    var force = false

    @OptionGroup var store: StoreFileOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Only headlines published this recently: 2d, 12h, 90m.", valueName: "time"))
    var since: DurationArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("Only headlines matching this query (see newsdesk --help).", valueName: "query"))
    var filter: String?

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out: the path is empty") }
        try since?.validate("--since")
        try validateFilter(filter)
    }

    func run() throws {
        let run = ExportRun(out: out, force: force, since: since?.milliseconds, filter: filter, store: store.choice)
        do { try run.run() } catch { throw ExitCode(error.code) }
    }
}

/// `newsdesk search QUERY`: the whole store searched with the query language.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search every stored headline (newest first); exit 1 if none matches.",
        discussion: HelpText.search)

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The query (see newsdesk --help); several words are one query.", valueName: "query"))
    var words: [String] = []

    @OptionGroup var store: StoreFileOptions

    @Option(parsing: .unconditional, help: "Print at most this many (the newest).")
    var limit: Int?

    @Option(help: ArgumentHelp("Colour: auto, always or never.", valueName: "when"))
    var color: ColorChoice = .auto

    /// The words as one query (a `--` that ends the options is not part of it).
    var query: String { words.filter { $0 != "--" }.joined(separator: " ") }

    func validate() throws {
        if query.isEmpty { throw ValidationError("give a query: newsdesk search WORDS") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, not \(limit)") }
        if let problem = SearchRun.problem(query) { throw ValidationError(problem) }
    }

    func run() throws {
        do {
            try SearchRun.run(query: query, store: store.choice, limit: limit ?? .max, color: color.enabled(for: STDOUT_FILENO))
        } catch { throw ExitCode(error.code) }
    }
}

/// `newsdesk feeds forget NAME`: a feed's history and state out of the store.
struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Delete a feed's stored headlines (starred ones too) and its state from the store.")

    @Argument(help: ArgumentHelp("The feed's name in the store (its source name).", valueName: "name"))
    var name: String

    @OptionGroup var store: StoreFileOptions

    func run() throws {
        do { try ForgetRun.run(feed: name, store: store.choice) } catch { throw ExitCode(error.code) }
    }
}
