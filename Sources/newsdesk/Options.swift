import ArgumentParser
import Foundation
import NewsApp
import NewsCore

extension Speed: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    func validate() throws { if let problem { throw ValidationError(problem) } }
}

/// `--duration`, `--stale-after` and `--idle-limit` (see NewsApp's ``DurationArgument``).
extension DurationArgument: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public var defaultValueDescription: String { description }

    func validate(_ option: String, above: Bool = false) throws {
        if let problem = problem(option, above: above) { throw ValidationError(problem) }
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
        if let problem = UsageRules.historyProblem(history) ?? simulated.problem { throw ValidationError(problem) }
    }

    /// The options of the simulated sources, as NewsApp takes them.
    var simulated: SimulatedFeedOptions { SimulatedFeedOptions(seed: seed, startTime: startTime, fault: fault) }

    /// Whether an option of the simulated sources' own is given (then they run, not the subscriptions).
    var simulatedAsked: Bool { speed != .factor(1) || seed != nil || fault != nil || startTime != nil }
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
        if let problem = UsageRules.countProblem(count) { throw ValidationError(problem) }
        try duration?.validate("--duration")
        try staleAfter.validate("--stale-after", above: true)
        // --filter's source names depend on the sources: `LiveCommand.validate` checks it.
    }

    var query: Query { Filters.query(filter) }
}

extension ColorChoice: ExpressibleByArgument {}

/// Feeds as live sources (`--feed`, else the subscriptions file), and whether the simulated ones run beside them.
struct LiveSourceOptions: ParsableArguments {
    @Option(name: .customLong("feed"), help: ArgumentHelp(
        "Watch a feed (RSS, Atom, JSON Feed) as a live source: an http(s) URL, polled; a file, read again when it changes; - reads standard input, one headline a line (JSON with a title, or plain text). NAME=... names the source. Repeatable.",
        valueName: "[name=]url|path"))
    var feeds: [String] = []

    @Flag(help: "Run the simulated sources too when --feed is given.")
    var simulated = false

    @Option(name: .customLong("feeds"), help: ArgumentHelp(
        "The subscriptions file watched without --feed (default: $XDG_CONFIG_HOME/newsdesk/feeds, when it exists).", valueName: "file"))
    var subscriptions: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Poll each URL this often (at least 1s), unless its subscription says: 10m, 90s.", valueName: "time"))
    var every = DurationArgument("15m")!

    @Option(parsing: .unconditional, help: ArgumentHelp("Give up on a fetch (connecting and the whole body) after this long.", valueName: "time"))
    var timeout = DurationArgument("20s")!

    /// The feeds, a file without NAME= named by its feed's title (read from the file's start).
    var specs: [FeedSpec] { LiveFeeds.specs(feeds, taken: simulated ? SimulatedSource.defaultNames : [], title: LiveFeeds.feedTitle) }
    /// Whether the simulated sources run: without feeds, or with --simulated.
    var runsSimulated: Bool { feeds.isEmpty || simulated }

    /// The subscriptions file's feeds (see ``LiveFeeds/subscribed(given:feedsGiven:simulatedAsked:)``).
    func subscribed(_ feed: FeedOptions, quiet: Bool = false) throws(CommandExit) -> [FeedSpec]? {
        try LiveFeeds.subscribed(given: subscriptions, feedsGiven: !feeds.isEmpty, simulatedAsked: simulated || feed.simulatedAsked, quiet: quiet)
    }

    /// See ``LiveFeeds/optionProblem(feeds:specs:simulated:speed:feed:)``.
    func validate(_ feed: FeedOptions) throws {
        let problem = LiveFeeds.optionProblem(feeds: feeds, specs: specs, simulated: simulated, speed: feed.speed, feed: feed.simulated)
        if let problem { throw ValidationError(problem) }
        try every.validate("--every", above: true)
        try timeout.validate("--timeout", above: true)
        if let problem = UsageRules.everyProblem(every) { throw ValidationError(problem) }
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
        if let problem = UsageRules.liveRecordTargetProblem(record) { throw ValidationError(problem) }
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
        if let problem = UsageRules.fromProblem(from) { throw ValidationError(problem) }
    }
}

/// An invalid `--filter` is a usage error (exit 64) with a caret under the problem (see ``Filters/problem``).
func validateFilter(_ filter: String?, sources: [String] = []) throws {
    if let problem = Filters.problem(filter, sources: sources) { throw ValidationError(problem) }
}
