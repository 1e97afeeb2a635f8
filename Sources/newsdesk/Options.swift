import ArgumentParser
import Foundation
import NewsCore

/// `--speed`: a positive factor, or `max` for no waiting at all.
enum Speed: ExpressibleByArgument, Equatable, CustomStringConvertible {
    case factor(Double)
    case max

    init?(argument: String) {
        if argument.lowercased() == "max" { self = .max; return }
        guard let value = Double(argument), value > 0, value.isFinite else { return nil }
        self = .factor(value)
    }

    var description: String {
        switch self {
        case .max: return "max"
        case .factor(let f): return f == f.rounded() ? String(Int(f)) : String(f)
        }
    }

    static var defaultValueDescription: String { "1" }
}

/// Where the simulated feed comes from and how fast it runs.
struct FeedOptions: ParsableArguments {
    @Option(help: "Seed for the simulated sources: the same seed gives the same headlines, sources, order and gaps.")
    var seed: UInt64?

    @Option(help: ArgumentHelp(
        "Speed factor: 10 runs ten times faster, 0.5 at half speed, max without waiting.",
        valueName: "factor|max"))
    var speed: Speed = .factor(1)

    @Option(name: .customLong("start-time"), help: ArgumentHelp(
        "Pretend the simulated feed started at this time (ISO 8601, e.g. 2026-01-01T09:00:00Z). Default: now.",
        valueName: "time"))
    var startTime: String?

    @Option(help: "Headlines kept in history (the newest are kept).")
    var history: Int = History.defaultCapacity

    @Option(help: ArgumentHelp(
        "Make sources misbehave, to see how newsdesk copes: fail (fails every 20 headlines, retried with backoff), stall (stops after 5), flood (as fast as it can). E.g. sports=fail,world=stall.",
        valueName: "source=kind,..."))
    var fault: String?

    func validate() throws {
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
        if let startTime, parseISO8601(startTime) == nil {
            throw ValidationError("--start-time '\(startTime)' is not an ISO 8601 time like 2026-01-01T09:00:00Z")
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
        if let startTime, let t = parseISO8601(startTime) { return t }
        return FeedOptions.runStart
    }
    private static let runStart = Timestamp(seconds: Date().timeIntervalSince1970)
}

/// What to print and when to stop.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print matching headlines as lines ('[HH:MM:SS] Tech: headline') instead of the interactive view.")
    var plain = false

    @Option(help: ArgumentHelp(
        "Only headlines matching this query, e.g. 'breaking | update', '\"rate cut\" -source:sports'.",
        valueName: "query"))
    var filter: String?

    @Option(help: "Stop after printing this many headlines.")
    var count: Int?

    @Option(help: ArgumentHelp("Stop after this many seconds of feed time (at --speed 1, wall-clock seconds).", valueName: "seconds"))
    var duration: Double?

    @Option(help: ArgumentHelp("Colour: auto (only on a terminal, and never when NO_COLOR is set), always or never.", valueName: "when"))
    var color: ColorChoice = .auto

    @Option(name: .customLong("stale-after"), help: ArgumentHelp(
        "Show a source as stale in the view when it has sent nothing for this many seconds of feed time.", valueName: "seconds"))
    var staleAfter: Double = 30

    func validate() throws {
        if let count, count < 0 { throw ValidationError("--count must be 0 or more, not \(count)") }
        if let duration, !(duration >= 0 && duration.isFinite) {
            throw ValidationError("--duration must be a number of seconds, 0 or more")
        }
        if !(staleAfter > 0 && staleAfter.isFinite) { throw ValidationError("--stale-after must be a number of seconds above 0") }
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

/// Parses `2026-01-01T09:00:00Z`, `2026-01-01T09:00:00.250+01:00` and `2026-01-01T09:00:00` (UTC).
func parseISO8601(_ text: String) -> Timestamp? {
    let formatter = ISO8601DateFormatter()
    for options: ISO8601DateFormatter.Options in [
        [.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime],
        [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate],
    ] {
        formatter.formatOptions = options
        if let date = formatter.date(from: text) { return Timestamp(seconds: date.timeIntervalSince1970) }
    }
    return nil
}

/// `--record FILE` while watching (or printing) the live feed.
struct RecordOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Record every merged headline to this file (JSON Lines; see docs/recording-format.md).", valueName: "file"))
    var record: String?

    @Flag(help: "Overwrite the recording file if it exists.")
    var force = false
}

/// How a recording is played.
struct ReplayTimingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Speed factor: 10 plays ten times faster, 0.5 at half speed, max without waiting.", valueName: "factor|max"))
    var speed: Speed = .factor(1)

    @Option(name: .customLong("idle-limit"), help: ArgumentHelp("Cap every gap between headlines at this many seconds (for data that spans months).", valueName: "seconds"))
    var idleLimit: Double?

    @Flag(help: "Start over at the end, forever.")
    var loop = false

    @Option(help: ArgumentHelp("Start at this point of the recording: 90s, 12m, 1h5m, or a percentage like 25%.", valueName: "time"))
    var from: String?

    @Flag(help: "Stop at the first malformed line (exit 65) instead of skipping it.")
    var strict = false

    var idleLimitMilliseconds: Int64? { idleLimit.map { DurationText.milliseconds(seconds: $0) } }

    func validate() throws {
        if let idleLimit, !(idleLimit >= 0 && idleLimit.isFinite) {
            throw ValidationError("--idle-limit must be a number of seconds, 0 or more")
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
