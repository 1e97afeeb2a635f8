import Foundation
import NewsCore

/// The command line's rules on option values, as the usage error (exit 64) says each: the
/// executable's `validate()` methods throw what these return. Nil means no problem.
public enum UsageRules {
    /// `--count`: 0 or more.
    public static func countProblem(_ count: Int?) -> String? {
        if let count, count < 0 { return "--count must be 0 or more, not \(count)" }
        return nil
    }

    /// `--every`: at least a second (a feed polled more often than that is not polite).
    public static func everyProblem(_ every: DurationArgument) -> String? {
        every.milliseconds < 1000 ? "--every must be at least 1s, not \(every)" : nil
    }

    /// `--history`: at least 1.
    public static func historyProblem(_ history: Int) -> String? {
        history < 1 ? "--history must be at least 1, not \(history)" : nil
    }

    /// `--start-time`: an ISO 8601 time or a date.
    public static func startTimeProblem(_ startTime: String?) -> String? {
        if let startTime, ISOTime.parse(startTime) == nil {
            return "--start-time '\(startTime)' is not an ISO 8601 time like 2026-01-01T09:00:00Z or a date like 2026-01-01"
        }
        return nil
    }

    /// `--from`: a time or a percentage, not negative.
    public static func fromProblem(_ from: String?) -> String? {
        guard let from else { return nil }
        if from.hasPrefix("-") { return "--from must be 0 or more, not \(from)" }
        if ReplayStart.parse(from) == nil {
            return "--from '\(from)' is not a time like 90s, 12m, 1h5m or a percentage like 25%"
        }
        return nil
    }

    /// `record` at `--speed max` needs an end (`--count` or `--duration`).
    public static func recordProblem(speed: Speed, count: Int?, duration: Int64?) -> String? {
        guard speed == .max && count == nil && duration == nil else { return nil }
        return "record --speed max needs --count or --duration: without them it writes as fast as it can, without end"
    }

    /// `live --record` at `--speed max` needs an end, as `record` does.
    public static func liveRecordProblem(record: String?, speed: Speed, count: Int?, duration: Int64?) -> String? {
        guard record != nil && speed == .max && count == nil && duration == nil else { return nil }
        return "--record at --speed max needs --count or --duration: without them it writes as fast as it can, without end"
    }

    /// `--record -`: standard output already carries the view or the printed lines.
    public static func liveRecordTargetProblem(_ record: String?) -> String? {
        guard record == "-" else { return nil }
        return "--record - would mix the recording with the feed on standard output: give a file, or use 'newsdesk record --out -'"
    }
}

/// What the simulated feed's options ask for, as `live` and `record` give them.
public struct SimulatedFeedOptions: Sendable, Equatable {
    public var seed: UInt64?
    public var startTime: String?
    public var fault: String?

    public init(seed: UInt64? = nil, startTime: String? = nil, fault: String? = nil) {
        self.seed = seed
        self.startTime = startTime
        self.fault = fault
    }

    /// The first thing wrong with `--fault` or `--start-time`, or nil.
    public var problem: String? {
        fault.flatMap(SimulatedFeed.faultProblem) ?? UsageRules.startTimeProblem(startTime)
    }

    /// The seed to use: the one given, or one drawn once per run (recorded in a recording's header).
    public var resolvedSeed: UInt64 { seed ?? SimulatedFeedOptions.runSeed }
    private static let runSeed = UInt64.random(in: 0...UInt64(UInt32.max))

    /// The start time: the one given, or the time of this run (the same all through it).
    public var resolvedStart: Timestamp {
        if let startTime, let t = ISOTime.parse(startTime) { return t }
        return SimulatedFeedOptions.runStart
    }
    private static let runStart = Timestamp(seconds: Date().timeIntervalSince1970)

    /// The simulated sources, with any `--fault` put in, from `start` (else ``resolvedStart``).
    /// `tagged`: the ids carry the seed and the start (`tech-42-1767225600000-5`), unique
    /// per run, for a run that stores them.
    public func sources(start: Timestamp? = nil, tagged: Bool = false) throws -> [any HeadlineSource] {
        let start = start ?? resolvedStart
        return try SimulatedFeed.sources(seed: resolvedSeed, start: start, fault: fault,
                                         idTag: tagged ? "\(resolvedSeed)-\(start.milliseconds)" : nil)
    }

    /// A recording's first line: where this feed came from.
    public var recordingHeader: RecordingHeader {
        RecordingHeader(started: resolvedStart, seed: resolvedSeed, sources: SimulatedSource.defaultNames)
    }
}

extension LiveFeeds {
    /// What is wrong with `--feed` (given as `feeds`, making `specs`) and `--simulated`
    /// beside the other live options, or nil. Feeds run in real time on the real clock:
    /// what only makes sense for the simulated sources is refused without them, and
    /// `--speed`/`--start-time` with feeds at all.
    public static func optionProblem(feeds: [String], specs: [FeedSpec], simulated: Bool, speed: Speed,
                                     feed: SimulatedFeedOptions) -> String? {
        guard !feeds.isEmpty else {
            return simulated ? "--simulated goes with --feed (without --feed the simulated sources run anyway)" : nil
        }
        if let problem = usageProblem(specs) { return problem }
        if speed != .factor(1) {
            return "--speed does not go with --feed: feeds arrive in real time (record them, then replay at any speed)"
        }
        if feed.startTime != nil { return "--start-time does not go with --feed: feeds run on the real clock" }
        if !simulated {
            if feed.seed != nil { return "--seed is for the simulated sources: add --simulated to run them beside --feed" }
            if feed.fault != nil { return "--fault is for the simulated sources: add --simulated to run them beside --feed" }
        }
        return nil
    }
}

/// A length of time on the command line: `90s`, `12m`, `1h5m`, `500ms`, or a plain number
/// of seconds, read by `DurationText` as `--from` is. A leading `-` is kept, so that
/// ``problem(_:above:)`` can say that the value must not be negative.
public struct DurationArgument: Equatable, Sendable, CustomStringConvertible {
    /// Negative for `-5s`.
    public var milliseconds: Int64
    /// As it was typed (for messages and the help's default).
    public var description: String

    public init?(_ text: String) {
        let negative = text.hasPrefix("-")
        guard let ms = DurationText.parse(negative ? String(text.dropFirst()) : text) else { return nil }
        milliseconds = negative ? -ms : ms
        description = text
    }

    /// Unless the value is 0 or more (`above: true`: more than 0), what `option` must be.
    public func problem(_ option: String, above: Bool = false) -> String? {
        guard above ? milliseconds <= 0 : milliseconds < 0 else { return nil }
        return "\(option) must be \(above ? "above 0" : "0 or more"), not \(self) (a time like 90s, 12m, 1h5m, or seconds)"
    }
}
