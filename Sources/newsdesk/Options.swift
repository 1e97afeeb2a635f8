import ArgumentParser
import Foundation
import NewsApp
import NewsCore

/// `--speed`: a positive factor, or `max` for no waiting at all.
enum Speed: ExpressibleByArgument, Equatable, CustomStringConvertible {
    case factor(Double)
    case max

    /// Any finite number parses, so that `validate()` can say that 0 or less is not a speed
    /// (a nil here would only get a generic "invalid value").
    init?(argument: String) {
        if argument.lowercased() == "max" { self = .max; return }
        guard let value = Double(argument), value.isFinite else { return nil }
        self = .factor(value)
    }

    func validate() throws {
        if case .factor(let f) = self, !(f > 0) {
            throw ValidationError("--speed must be above 0, not \(self) (a factor like 10 or 0.5, or max)")
        }
    }

    var description: String {
        switch self {
        case .max: return "max"
        case .factor(let f): return f == f.rounded() ? String(Int(f)) : String(f)
        }
    }

    static var defaultValueDescription: String { "1" }

    /// The factor, `.infinity` for max (as the replay clock takes it).
    var factor: Double {
        switch self {
        case .max: return .infinity
        case .factor(let f): return f
        }
    }
}

extension ClockChoice {
    /// The clock for a live feed at `speed`.
    init(_ speed: Speed) {
        switch speed {
        case .max: self = .virtual
        case .factor(let f): self = .scaled(f)
        }
    }
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
        if let fault {
            do {
                let faults = try parseFaults(fault)
                if let unknown = faults.keys.first(where: { !SimulatedSource.defaultNames.contains($0) }) {
                    throw ValidationError("--fault: there is no source '\(unknown)' (sources: \(SimulatedSource.defaultNames.joined(separator: ", ")))")
                }
            } catch let error as SourceFault {
                throw ValidationError("--fault: \(error)")
            }
        }
        if let startTime, ISOTime.parse(startTime) == nil {
            throw ValidationError("--start-time '\(startTime)' is not an ISO 8601 time like 2026-01-01T09:00:00Z or a date like 2026-01-01")
        }
    }

    /// The simulated sources for this run, with any `--fault` put in.
    func sources(start: Timestamp) throws -> [any HeadlineSource] {
        let vocabulary = try Vocabulary.bundled()
        let faults = fault.flatMap { try? parseFaults($0) } ?? [:]
        return try SimulatedSource.defaultNames.map { name -> any HeadlineSource in
            guard let kind = faults[name] else {
                return try SimulatedSource(name: name, vocabulary: vocabulary, seed: resolvedSeed(), start: start)
            }
            let base = try SimulatedSource(name: name, vocabulary: vocabulary, seed: resolvedSeed(), start: start,
                                           batchSize: kind == .flood ? 256 : 1)
            return FaultySource(base: base, kind: kind)
        }
    }

    /// Failed sources are retried: after 1 s, 2 s, 4 s... up to a minute.
    var mergeRestart: RestartPolicy { RestartPolicy() }

    /// The seed to use: the one given, or one drawn once per run (recorded in a recording's header).
    func resolvedSeed() -> UInt64 { seed ?? fixedSeed }
    var fixedSeed: UInt64 { FeedOptions.runSeed }
    private static let runSeed = UInt64.random(in: 0...UInt64(UInt32.max))

    /// The start time: the one given, or the time of this run (the same all through it).
    func resolvedStart() -> Timestamp {
        if let startTime, let t = ISOTime.parse(startTime) { return t }
        return FeedOptions.runStart
    }
    private static let runStart = Timestamp(seconds: Date().timeIntervalSince1970)
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
        try validateFilter(filter, sources: SimulatedSource.defaultNames)
    }

    var query: Query { queryFor(filter) }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// NO_COLOR is not set (or empty): see https://no-color.org.
    static var noColorUnset: Bool {
        let value = ProcessInfo.processInfo.environment["NO_COLOR"] ?? ""
        return value.isEmpty
    }

    /// Whether to colour output written to `fd`.
    func enabled(for fd: Int32) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            let env = ProcessInfo.processInfo.environment
            if let noColor = env["NO_COLOR"], !noColor.isEmpty { return false }
            if env["TERM"] == "dumb" { return false }
            return isatty(fd) == 1
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

    var idleLimitMilliseconds: Int64? { idleLimit?.milliseconds }

    func validate() throws {
        try speed.validate()
        try idleLimit?.validate("--idle-limit")
        try staleAfter.validate("--stale-after", above: true)
        if let from, from.hasPrefix("-") {
            throw ValidationError("--from must be 0 or more, not \(from)")
        }
        if let from, ReplayTimingOptions.parseFrom(from) == nil {
            throw ValidationError("--from '\(from)' is not a time like 90s, 12m, 1h5m or a percentage like 25%")
        }
    }

    enum Start: Equatable { case offset(Int64), percent(Double) }

    static func parseFrom(_ text: String) -> Start? {
        if text.hasSuffix("%") {
            guard let p = Double(text.dropLast()), p >= 0, p <= 100 else { return nil }
            return .percent(p)
        }
        return DurationText.parse(text).map { .offset($0) }
    }
}

/// An invalid `--filter` is a usage error (exit 64) with a caret under the problem; so is
/// a `source:` that names none of `sources`, where they are known ahead (the list is given).
func validateFilter(_ filter: String?, sources: [String] = []) throws {
    guard let filter else { return }
    let query: Query
    do {
        query = try Query.parse(filter)
    } catch {
        throw ValidationError("invalid --filter: \(error.message)\n\(error.pointing(into: filter))")
    }
    if let unknown = query.unknownSources(among: sources).first {
        throw ValidationError("invalid --filter: \(unknown.message) (sources: \(sources.joined(separator: ", ")))\n\(unknown.pointing(into: filter))")
    }
}

func queryFor(_ filter: String?) -> Query {
    filter.map { (try? Query.parse($0)) ?? Query(lenient: $0) } ?? .all
}
