import ArgumentParser
import Foundation
import NewsCore

/// `newsdesk record --out FILE`: the live merged feed to a recording, without a view.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record the merged live feed to a file (JSON Lines), without the view.",
        discussion: """
            Every merged headline is written as one line as it arrives. Ctrl-C, SIGTERM or \
            SIGHUP stop the recording with the file flushed and complete; even after kill -9, \
            every line written survives whole. An existing file is kept unless --force.
            """)

    @Option(help: ArgumentHelp("The recording to write.", valueName: "file"))
    var out: String

    @Flag(help: "Overwrite the file if it exists.")
    var force = false

    @OptionGroup(title: "Feed") var feed: FeedOptions

    @Option(help: "Stop after recording this many headlines.")
    var count: Int?

    @Option(help: ArgumentHelp("Stop after this many seconds of feed time (at --speed 1, wall-clock seconds).", valueName: "seconds"))
    var duration: Double?

    func validate() throws {
        if let count, count < 0 { throw ValidationError("--count must be 0 or more, not \(count)") }
        if let duration, !(duration >= 0 && duration.isFinite) { throw ValidationError("--duration must be a number of seconds, 0 or more") }
    }

    func run() async throws {
        let recorder = try openRecorder(path: out, force: force, feed: feed)
        let feed = self.feed, limit = count ?? .max
        let options = MergeOptions(endOffset: duration.map { DurationText.milliseconds(seconds: $0) }, restart: feed.mergeRestart)
        let progress = ProgressLine()
        let status = await Interruptible.run {
            let start = feed.resolvedStart()
            let sources = try feed.sources(start: start)
            guard limit > 0 else { return }
            try await withFeed(sources, clock: ClockChoice(feed.speed), options: options) { cursor in
                loop: while let event = try await cursor.next() {
                    switch event {
                    case .headlines(var batch):
                        if recorder.eventsWritten + batch.count > limit { batch.removeLast(recorder.eventsWritten + batch.count - limit) }
                        try recorder.write(batch)
                        progress.show("recording \(out): \(recorder.eventsWritten.formatted()) headlines, \(DurationText.format(cursor.elapsed)) of feed")
                        if recorder.eventsWritten >= limit { break loop }
                    case .sourceFailed(let source, let error): warn("source '\(source)' failed: \(error)")
                    case .sourceRestarting(let source, let error, let delay): warnRestarting(source, error, delay)
                    case .sourceFinished: break
                    }
                }
            }
        }
        progress.finish()
        do { try recorder.close() } catch {
            warn("\(error)")
            throw ExitCode(74)
        }
        if isatty(STDERR_FILENO) == 1 { warn("recorded \(recorder.eventsWritten.formatted()) headlines to \(out)") }
        if status != 0 { throw ExitCode(status) }
    }
}


/// `newsdesk replay FILE`: a recording played into the view, or as lines.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a recording into the view (or as lines with --plain).",
        discussion: """
            Events are played at their recorded times, scheduled against one start instant: \
            --speed divides the recorded gaps (0.5 plays at half speed), --idle-limit caps \
            them, --from starts later, --loop starts over. In the view: Space pauses, . steps \
            one headline while paused, + and - double and halve the speed, ] and [ jump a \
            minute forward and back. Malformed lines are reported with their line number and \
            skipped (or stop the replay with --strict, exit 65).
            """)

    @Argument(help: ArgumentHelp("The recording to play.", valueName: "file"))
    var file: String

    @OptionGroup(title: "Replay") var timing: ReplayTimingOptions

    @Flag(help: "Print matching headlines as lines instead of the interactive view.")
    var plain = false

    @Option(help: ArgumentHelp("Only headlines matching this query (see newsdesk --help).", valueName: "query"))
    var filter: String?

    @Option(help: "Stop after printing this many headlines (with --plain).")
    var count: Int?

    @Option(help: ArgumentHelp("Colour: auto, always or never.", valueName: "when"))
    var color: ColorChoice = .auto

    @Option(help: "Headlines kept in history (the newest are kept).")
    var history: Int = History.defaultCapacity

    func validate() throws {
        try validateFilter(filter)
        if let count, count < 0 { throw ValidationError("--count must be 0 or more, not \(count)") }
        if history < 1 { throw ValidationError("--history must be at least 1, not \(history)") }
    }

    func run() async throws {
        // Open it once here: a missing or empty file is exit 66, a bad header exit 65.
        let header: RecordingHeader
        do {
            header = try RecordingReader(path: file).header
        } catch let error as FileError {
            warn("\(error)")
            throw ExitCode(66)
        } catch {
            warn("\(error)")
            throw ExitCode(65)
        }
        // The header names the recording's sources: a source: that names none is exit 64.
        try validateFilter(filter, sources: header.sources)
        var from: Int64 = 0
        switch timing.from.flatMap(ReplayTimingOptions.parseFrom) {
        case .offset(let ms): from = ms
        case .percent(let p):
            let duration = (try? ReplayIndex.build(path: file, idleLimit: timing.idleLimitMilliseconds).duration) ?? 0
            from = Int64((Double(duration) * p / 100).rounded())
        case nil: break
        }
        if !plain && isatty(STDOUT_FILENO) == 1 {
            let (file, timing, filter, color, history) = (self.file, self.timing, self.filter, self.color, self.history)
            let status = try await runView {
                try await ReplayView(path: file, header: header, timing: timing, filter: filter, color: color, history: history, from: from)
                    .run(from: from)
            }
            if status != 0 { throw ExitCode(status) }
            return
        }
        let report = ReportBox()
        let source = ReplaySource(path: file, name: "replay", idleLimit: timing.idleLimitMilliseconds, from: from,
                                  loop: timing.loop, strict: timing.strict, report: { r in report.set(r) })
        let printer = PlainPrinter(query: queryFor(filter), limit: count ?? .max, color: color.enabled(for: STDOUT_FILENO),
                                   recorder: nil, strict: timing.strict)
        // Time starts once the first events are read, so they are not late.
        let clock: ClockChoice
        switch timing.speed {
        case .max: clock = .virtual
        case .factor(let f): clock = .replay(ReplayClock(speed: f, holdUntilReady: true))
        }
        var failure: (any Error)?
        let status = await Interruptible.run(onError: { failure = $0 }) {
            try await printer.run([source], clock: clock, options: MergeOptions())
        }
        if let stop = failure as? StrictStop {
            warn("\(stop)")
            throw ExitCode(65)
        }
        if let fileError = failure as? FileError {
            warn("\(fileError)")
            throw ExitCode(66)
        }
        if let final = report.value {
            if final.malformed > 0 {
                let first = final.firstProblems.first.map { "; first: \($0)" } ?? ""
                warn("\(file): skipped \(final.malformed) malformed line\(final.malformed == 1 ? "" : "s")\(first)")
            }
            if let truncated = final.truncatedLastLine { warn("warning: \(truncated)") }
        }
        if status != 0 { throw ExitCode(status) }
    }
}
