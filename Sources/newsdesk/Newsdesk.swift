import ArgumentParser
import Foundation
import NewsApp
import NewsUI
import NewsCore
import NewsTerminal

@main
struct Newsdesk: AsyncParsableCommand {
    static let version = "0.2.0"

    static let configuration = CommandConfiguration(
        commandName: "newsdesk",
        abstract: "A live, merged headline feed for the terminal.",
        discussion: HelpText.root,
        version: "newsdesk \(version)",
        subcommands: [LiveCommand.self, RecordCommand.self, ReplayCommand.self, ImportCommand.self, FeedsCommand.self, ExportCommand.self, SearchCommand.self, ConfigCommand.self],
        defaultSubcommand: LiveCommand.self
    )

    /// A first word that is not a command would reach `live` (the default), which takes
    /// no words, as an "unexpected argument": say that the command is unknown instead.
    /// Values that start with `-` are joined to their options (``CommandSuggestion/joiningValues(_:options:)``).
    static func main() async {
        // A file-size limit (ulimit -f) reached is a failed write (EFBIG), reported like a
        // full disk, not a signal that kills the process mid-write.
        signal(SIGXFSZ, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let word = arguments.first, let error = unknownCommand(word) {
            exit(withError: error)
        }
        await main(CommandSuggestion.joiningValues(arguments))
    }

    /// Why `word`, in a command's place, is not one (see ``CommandSuggestion``).
    static func unknownCommand(_ word: String) -> ValidationError? {
        CommandSuggestion.unknownCommand(word, commands: configuration.subcommands.compactMap { $0.configuration.commandName })
            .map(ValidationError.init)
    }
}

/// `newsdesk` / `newsdesk live`: the merged live feed, in the view or as lines.
struct LiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Watch the merged live feed (the default).",
        discussion: HelpText.live)

    @OptionGroup(title: "Feed") var feed: FeedOptions
    @OptionGroup(title: "Feeds") var live: LiveSourceOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Recording") var recording: RecordOptions
    @OptionGroup(title: "Store") var store: StoreOptions
    @OptionGroup(title: "Store") var keeping: KeepOptions
    @OptionGroup(title: "Config") var config: ConfigOptions

    func validate() throws {
        try live.validate(feed)
        // (A broken subscriptions file is run()'s to report.)
        let subscribed = (try? live.subscribed(feed, quiet: true)).flatMap { $0 }
        try validateFilter(output.filter, sources: LiveFeeds.filterSources(subscribed ?? live.specs, simulated: subscribed == nil && live.runsSimulated) ?? [])
        // As with `record`: at --speed max an unbounded recording grows as fast as the disk.
        let end = UsageRules.liveRecordProblem(record: recording.record, speed: feed.speed, count: output.count,
                                               duration: output.duration?.milliseconds)
        if let end { throw ValidationError(end) }
    }

    func run() async throws { try await withExitCode { try await runLive() } }

    /// Wiring only: what runs is ``LiveRun``'s.
    func runLive() async throws {
        // The config file first: a broken one stops the run before any terminal or feed is touched.
        let preferences = try self.config.preferences()
        let feed = self.feed, output = self.output, live = self.live
        // The feeds given, else the subscriptions file's, else none (the simulated sources).
        let subscribed = try live.subscribed(feed)
        let merge = MergeOptions(endOffset: output.duration?.milliseconds, restart: SimulatedFeed.restart)
        var run = LiveRun(
            specs: subscribed ?? live.specs, simulated: subscribed == nil && live.runsSimulated ? feed.simulated : nil,
            record: recording.record.map { ($0, recording.force) }, clock: ClockChoice(feed.speed), merge: merge,
            every: .milliseconds(live.every.milliseconds), timeout: .milliseconds(live.timeout.milliseconds), version: Newsdesk.version)
        run.fromSubscriptions = subscribed != nil
        run.statePath = FeedStateFile.defaultPath(environment: ProcessInfo.processInfo.environment)
        run.store = store.choice
        run.keep = keeping.keep.flatMap(Retention.init)
        run.showSeen = keeping.all
        var printer = PlainPrinter(query: output.query, limit: output.count ?? .max, color: output.color.enabled(for: STDOUT_FILENO),
                                   recorder: nil, lineBuffered: output.lineBuffered)
        // [colors.sources] colours the names in lines too (with --color, never under NO_COLOR).
        printer.sourceColors = preferences.colors.sources.mapValues(\.ansi)
        // The interactive view on a terminal; lines when asked, in a pipe, or where the view cannot run.
        let view: ((LiveRun.Wiring) async throws -> Int32)? = useView(plain: output.plain) ? { wiring in
            try await liveView(wiring, feed: feed, output: output, merge: merge, preferences: preferences)
        } : nil
        try CommandExit.check(try await run.run(printer: printer, view: view))
    }

    /// The live view on the terminal, fed by `wiring`.
    func liveView(_ wiring: LiveRun.Wiring, feed: FeedOptions, output: OutputOptions, merge: MergeOptions,
                  preferences: ViewPreferences) async throws -> Int32 {
        var settings = LiveSettings(wiring, clock: ClockChoice(feed.speed), merge: merge, historyCapacity: feed.history,
                                    filter: output.filter, staleAfter: output.staleAfter.milliseconds)
        settings.preferences = preferences
        return try await runView(color: output.color) { try await LiveSession(settings).run(on: $0) }
    }
}

/// Runs `body`, turning the ``CommandExit`` that NewsApp's runs end with into ArgumentParser's `ExitCode`.
func withExitCode(_ body: () async throws -> Void) async throws {
    do { try await body() } catch let status as CommandExit { throw ExitCode(status.code) }
}

/// Whether to open the interactive view (see ``OutputChoice/useView``).
func useView(plain: Bool) -> Bool { OutputChoice.useView(plain: plain, unavailableReason: Terminal.unavailableReason) }

/// Runs the interactive view on the terminal (restored on every way out); a terminal that
/// then cannot be used is one clear line, exit 74 (EX_IOERR).
@MainActor
func runView(color: ColorChoice, _ body: (Terminal) async throws -> Int32) async throws -> Int32 {
    do {
        let terminal = try Terminal(colorWanted: color != .never && ColorChoice.noColorUnset)
        defer { terminal.restore() }
        return try await body(terminal)
    } catch let error as Terminal.StartError {
        warn("\(error)")
        throw CommandExit(74)
    }
}
