import ArgumentParser
import Foundation
import NewsApp
import NewsCore

extension Speed: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    func validate() throws { if let problem { throw ValidationError(problem) } }
}

/// A length of time on the command line: `90s`, `12m`, `1h5m`, `500ms`, or a plain number
/// of seconds, read by `DurationText` as `--from` is. A leading `-` is kept, so that
/// `validate()` can say that the value must not be negative.
struct DurationArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
    /// Negative for `-5s`.
    var milliseconds: Int64
    /// As it was typed (for messages and the help's default).
    var description: String

    init?(argument: String) {
        let negative = argument.hasPrefix("-")
        guard let ms = DurationText.parse(negative ? String(argument.dropFirst()) : argument) else { return nil }
        milliseconds = negative ? -ms : ms
        description = argument
    }

    var defaultValueDescription: String { description }

    /// Throws unless the value is 0 or more (`above: true`: more than 0).
    func validate(_ option: String, above: Bool = false) throws {
        if above ? milliseconds <= 0 : milliseconds < 0 {
            throw ValidationError("\(option) must be \(above ? "above 0" : "0 or more"), not \(self) (a time like 90s, 12m, 1h5m, or seconds)")
        }
    }
}

/// Where the simulated feed comes from and how fast it runs.
struct FeedOptions: ParsableArguments {
    // Numeric options parse `.unconditional`ly: otherwise ArgumentParser takes `-1` for an
    // option and says "Missing value" instead of what is wrong with the number.
    @Option(parsing: .unconditional, help: "Seed for the simulated sources: the same seed gives the same headlines, sources, order and gaps.")
    var seed: UInt64?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Speed factor: 10 runs ten times faster, 0.5 at half speed, max without waiting.",
        valueName: "factor|max"))
    var speed: Speed = .factor(1)

    @Option(name: .customLong("start-time"), help: ArgumentHelp(
        "Pretend the simulated feed started at this time (ISO 8601, e.g. 2026-01-01T09:00:00Z, or a date alone for midnight UTC). Default: now.",
        valueName: "time"))
    var startTime: String?

    @Option(parsing: .unconditional, help: "Headlines kept in history (the newest are kept).")
    var history: Int = History.defaultCapacity

    @Option(help: ArgumentHelp(
        "Make sources misbehave, to see how newsdesk copes: fail (fails every 20 headlines, retried with backoff), stall (stops after 5), flood (as fast as it can). E.g. sports=fail,world=stall.",
        valueName: "source=kind,..."))
    var fault: String?

    func validate() throws {
        try speed.validate()
        if history < 1 { throw ValidationError("--history must be at least 1, not \(history)") }
        if let problem = fault.flatMap(SimulatedFeed.faultProblem) { throw ValidationError(problem) }
        if let startTime, ISOTime.parse(startTime) == nil {
            throw ValidationError("--start-time '\(startTime)' is not an ISO 8601 time like 2026-01-01T09:00:00Z or a date like 2026-01-01")
        }
    }

    /// The simulated sources for this run, with any `--fault` put in.
    func sources(start: Timestamp) throws -> [any HeadlineSource] {
        try SimulatedFeed.sources(seed: resolvedSeed(), start: start, fault: fault)
    }

    /// The seed to use: the one given, or one drawn once per run (recorded in a recording's header).
    func resolvedSeed() -> UInt64 { seed ?? FeedOptions.runSeed }
    private static let runSeed = UInt64.random(in: 0...UInt64(UInt32.max))

    /// The start time: the one given, or the time of this run (the same all through it).
    func resolvedStart() -> Timestamp {
        if let startTime, let t = ISOTime.parse(startTime) { return t }
        return FeedOptions.runStart
    }
    private static let runStart = Timestamp(seconds: Date().timeIntervalSince1970)

    /// A recording's first line: where this feed came from.
    var recordingHeader: RecordingHeader {
        RecordingHeader(started: resolvedStart(), seed: resolvedSeed(), sources: SimulatedSource.defaultNames)
    }
}

/// What to print and when to stop.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print matching headlines as lines ('[HH:MM:SS] Tech: headline') instead of the interactive view.")
    var plain = false

    // `.unconditional`: a query may start with `-` (`-source:sports`).
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Only headlines matching this query, e.g. 'breaking | update', '\"rate cut\" -source:sports'.",
        valueName: "query"))
    var filter: String?

    @Option(parsing: .unconditional, help: "Stop after printing this many headlines.")
    var count: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Stop after this much feed time: 90s, 1h, 1h30m or seconds (at --speed 1, wall-clock time).", valueName: "time"))
    var duration: DurationArgument?

    @Option(help: ArgumentHelp("Colour: auto (only on a terminal, and never when NO_COLOR is set), always or never.", valueName: "when"))
    var color: ColorChoice = .auto

    @Option(name: .customLong("stale-after"), parsing: .unconditional, help: ArgumentHelp(
        "Show a source as stale in the view when it has sent nothing for this long (feed time): 30s, 2m or seconds.",
        valueName: "time"))
    var staleAfter = DurationArgument(argument: "30s")!

    @Flag(name: .customLong("line-buffered"), help: "Write every line as soon as it is printed, even at --speed max.")
    var lineBuffered = false

    func validate() throws {
        if let count, count < 0 { throw ValidationError("--count must be 0 or more, not \(count)") }
        try duration?.validate("--duration")
        try staleAfter.validate("--stale-after", above: true)
        // --filter's source names depend on the sources: `LiveCommand.validate` checks it.
    }

    var query: Query { Filters.query(filter) }
}

extension ColorChoice: ExpressibleByArgument {}

/// Feeds as live sources (`--feed`), and whether the simulated ones run beside them.
struct LiveSourceOptions: ParsableArguments {
    @Option(name: .customLong("feed"), help: ArgumentHelp(
        "Watch a feed file (RSS, Atom, JSON Feed) as a live source: its items, then new ones as the file changes. NAME=PATH names the source; - reads standard input, one headline a line (JSON with a title, or plain text). Repeatable.",
        valueName: "[name=]path"))
    var feeds: [String] = []

    @Flag(help: "Run the simulated sources too when --feed is given.")
    var simulated = false

    /// The feeds, a file without NAME= named by its feed's title (read from the file's start).
    var specs: [FeedSpec] { LiveFeeds.specs(feeds, taken: simulated ? SimulatedSource.defaultNames : [], title: LiveFeeds.feedTitle) }
    /// Whether the simulated sources run: without feeds, or with --simulated.
    var runsSimulated: Bool { feeds.isEmpty || simulated }

    /// The names of the sources run, in the header's order: the feeds as given, then the simulated ones.
    func names(_ specs: [FeedSpec]) -> [String] { specs.map(\.name) + (runsSimulated ? SimulatedSource.defaultNames : []) }

    /// Feeds run in real time on the real clock: what only makes sense for the simulated
    /// sources is refused without them, and `--speed`/`--start-time` with feeds at all.
    func validate(_ feed: FeedOptions) throws {
        guard !feeds.isEmpty else {
            if simulated { throw ValidationError("--simulated goes with --feed (without --feed the simulated sources run anyway)") }
            return
        }
        if let problem = LiveFeeds.usageProblem(specs) { throw ValidationError(problem) }
        if feed.speed != .factor(1) {
            throw ValidationError("--speed does not go with --feed: feeds arrive in real time (record them, then replay at any speed)")
        }
        if feed.startTime != nil { throw ValidationError("--start-time does not go with --feed: feeds run on the real clock") }
        if !simulated {
            if feed.seed != nil { throw ValidationError("--seed is for the simulated sources: add --simulated to run them beside --feed") }
            if feed.fault != nil { throw ValidationError("--fault is for the simulated sources: add --simulated to run them beside --feed") }
        }
    }
}

/// `--record FILE` while watching (or printing) the live feed.
struct RecordOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Record every merged headline to this file (JSON Lines; see docs/recording-format.md).", valueName: "file"))
    var record: String?

    @Flag(help: "Overwrite the recording file if it exists.")
    var force = false

    /// Standard output already carries the view or the printed lines: a recording there
    /// would be mixed with them.
    func validate() throws {
        if record == "-" {
            throw ValidationError("--record - would mix the recording with the feed on standard output: give a file, or use 'newsdesk record --out -'")
        }
    }
}

/// How a recording is played.
struct ReplayTimingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Speed factor: 10 plays ten times faster, 0.5 at half speed, max without waiting.", valueName: "factor|max"))
    var speed: Speed = .factor(1)

    @Option(name: .customLong("idle-limit"), parsing: .unconditional, help: ArgumentHelp(
        "Cap every gap between headlines at this long (for data that spans months): 2s, 1m or seconds.", valueName: "time"))
    var idleLimit: DurationArgument?

    @Flag(help: "Start over at the end, forever.")
    var loop = false

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Start at this point of the recording: 90s, 12m, 1h5m, or a percentage like 25%.", valueName: "time"))
    var from: String?

    @Flag(help: "Stop at the first malformed line (exit 65) instead of skipping it.")
    var strict = false

    @Option(name: .customLong("stale-after"), parsing: .unconditional, help: ArgumentHelp(
        "Show a source as stale in the view when it has sent nothing for this long (recording time): 30s, 2m or seconds.",
        valueName: "time"))
    var staleAfter = DurationArgument(argument: "30s")!

    func validate() throws {
        try speed.validate()
        try idleLimit?.validate("--idle-limit")
        try staleAfter.validate("--stale-after", above: true)
        if let from, from.hasPrefix("-") {
            throw ValidationError("--from must be 0 or more, not \(from)")
        }
        if let from, ReplayStart.parse(from) == nil {
            throw ValidationError("--from '\(from)' is not a time like 90s, 12m, 1h5m or a percentage like 25%")
        }
    }

}

/// An invalid `--filter` is a usage error (exit 64) with a caret under the problem (see ``Filters/problem``).
func validateFilter(_ filter: String?, sources: [String] = []) throws {
    if let problem = Filters.problem(filter, sources: sources) { throw ValidationError(problem) }
}
