import ArgumentParser
import Foundation
import NewsApp
import NewsUI
import NewsCore

/// `newsdesk record --out FILE`: the live merged feed to a recording, without a view.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record the merged live feed to a file (JSON Lines), without the view.",
        discussion: HelpText.record)

    @Option(help: ArgumentHelp("The recording to write ('-': standard output).", valueName: "file"))
    var out: String

    @Flag(help: "Overwrite the file if it exists.")
    var force = false

    @OptionGroup(title: "Feed") var feed: FeedOptions

    @Option(parsing: .unconditional, help: "Stop after recording this many headlines.")
    var count: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Stop after this much feed time: 90s, 1h, 1h30m or seconds (at --speed 1, wall-clock time).", valueName: "time"))
    var duration: DurationArgument?

    func validate() throws {
        if let problem = UsageRules.countProblem(count) { throw ValidationError(problem) }
        try duration?.validate("--duration")
        let end = UsageRules.recordProblem(speed: feed.speed, count: count, duration: duration?.milliseconds)
        if let end { throw ValidationError(end) }
    }

    func run() async throws {
        try await withExitCode {
            let recorder = try Recorders.open(out, force: force, header: feed.simulated.recordingHeader)
            let feed = self.feed
            let run = RecordRun(limit: count ?? .max, clock: ClockChoice(feed.speed),
                                options: MergeOptions(endOffset: duration?.milliseconds, restart: SimulatedFeed.restart), out: out)
            try await run.run(into: recorder) { try feed.simulated.sources() }
        }
    }
}

/// `newsdesk replay FILE`: a recording played into the view, or as lines.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a recording into the view (or as lines with --plain).",
        discussion: HelpText.replay)

    @Argument(help: ArgumentHelp("The recording to play (a file, a pipe, or - for standard input).", valueName: "file"))
    var file: String

    @OptionGroup(title: "Replay") var timing: ReplayTimingOptions

    @Flag(help: "Print matching headlines as lines instead of the interactive view.")
    var plain = false

    @Flag(name: .customLong("line-buffered"), help: "With --plain: write every line as soon as it is printed, even at --speed max.")
    var lineBuffered = false

    // `.unconditional`: a query may start with `-`, and `--count -1` gets its own message
    // (see FeedOptions).
    @Option(parsing: .unconditional, help: ArgumentHelp("Only headlines matching this query (see newsdesk --help).", valueName: "query"))
    var filter: String?

    @Option(parsing: .unconditional, help: "Stop after printing this many headlines (with --plain).")
    var count: Int?

    @Option(help: ArgumentHelp("Colour: auto, always or never.", valueName: "when"))
    var color: ColorChoice = .auto

    @Option(parsing: .unconditional, help: "Headlines kept in history (the newest are kept).")
    var history: Int = History.defaultCapacity

    @OptionGroup(title: "Config") var config: ConfigOptions

    func validate() throws {
        try validateFilter(filter)
        if let problem = UsageRules.countProblem(count) ?? UsageRules.historyProblem(history) { throw ValidationError(problem) }
    }

    func run() async throws {
        // The config file before the recording is opened or the terminal set up.
        let preferences = try self.config.preferences()
        try await withExitCode {
            let (input, header) = try ReplayRun.open(file)
            // The header names the recording's sources: a source: that names none is exit 64.
            try validateFilter(filter, sources: header.sources)
            let idleLimit = timing.idleLimit?.milliseconds
            let from = try ReplayRun.startOffset(timing.from, input: input, file: file, idleLimit: idleLimit)
            var settings = ReplaySettings(
                speed: timing.speed.factor, loop: timing.loop, strict: timing.strict, idleLimit: idleLimit,
                staleAfter: timing.staleAfter.milliseconds, filter: filter, historyCapacity: history)
            settings.preferences = preferences
            if useView(plain: plain) {
                try CommandExit.check(try await runView(color: color) {
                    try await ReplaySession(input: input, header: header, settings: settings, from: from).run(on: $0, from: from)
                })
            } else {
                try await ReplayRun.plain(input, from: from, settings: settings, query: Filters.query(filter), limit: count ?? .max,
                                          color: color.enabled(for: STDOUT_FILENO), lineBuffered: lineBuffered,
                                          sourceOrder: header.sources)
            }
        }
    }
}
