import ArgumentParser
import Foundation
import NewsApp
import NewsCore

/// `newsdesk record --out FILE`: the live merged feed to a recording, without a view.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record the merged live feed to a file (JSON Lines), without the view.",
        discussion: """
            Every merged headline is written as one line as it arrives. Ctrl-C, SIGTERM or \
            SIGHUP stop the recording with the file flushed and complete; even after kill -9, \
            every line written survives whole. An existing file is kept unless --force. \
            --out - writes the recording to standard output. At --speed max a recording needs \
            --count or --duration (it would grow by gigabytes a minute).
            """)

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
        if let count, count < 0 { throw ValidationError("--count must be 0 or more, not \(count)") }
        try duration?.validate("--duration")
        if feed.speed == .max && count == nil && duration == nil {
            throw ValidationError("record --speed max needs --count or --duration: without them it writes as fast as it can, without end")
        }
    }

    func run() async throws {
        let recorder = try out == "-" ? openStandardOutputRecorder() : openRecorder(path: out, force: force, feed: feed)
        let out = recorder.path
        let feed = self.feed, limit = count ?? .max
        let options = MergeOptions(endOffset: duration?.milliseconds, restart: feed.mergeRestart)
        // Progress goes to stderr; when the recording itself goes to the same terminal
        // (`--out -` on a tty), a progress line would be mixed into it.
        let progress = ProgressLine(enabled: !(self.out == "-" && isatty(STDOUT_FILENO) == 1))
        var failure: (any Error)?
        let status = await Interruptible.run(onError: { failure = $0 }) {
            let start = feed.resolvedStart()
            let sources = try feed.sources(start: start)
            guard limit > 0 else { return }
            try await recordFeed(sources, clock: ClockChoice(feed.speed), options: options, into: recorder, limit: limit, progress: progress)
        }
        progress.finish()
        // The reader of `--out -` has gone (`| head`): the recording ends there, quietly.
        if recorder.readerGone { return }
        if let failure {
            try? recorder.close()
            warn("\(failure)")
            throw ExitCode(failure is FileError ? 74 : 1)
        }
        do { try recorder.close() } catch {
            warn("\(error)")
            throw ExitCode(74)
        }
        if isatty(STDERR_FILENO) == 1 { warn("recorded \(CountText.counted(recorder.eventsWritten, "headline", "headlines")) to \(out)") }
        if status != 0 { throw ExitCode(status) }
    }

    /// `--out -`: the recording on (a duplicate of) standard output. A reader that goes
    /// away is EPIPE from write(), not a SIGPIPE that kills before the header is written.
    private func openStandardOutputRecorder() throws -> RecordingWriter {
        signal(SIGPIPE, SIG_IGN)
        do {
            return try RecordingWriter(fileDescriptor: dup(STDOUT_FILENO), name: "standard output", header: feed.recordingHeader)
        } catch {
            warn("\(error)")
            throw ExitCode(74)
        }
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
            skipped (or stop the replay with --strict, exit 65). FILE may be a pipe, a FIFO \
            or - (standard input): it is read once, as it arrives, and seeking works over what \
            has arrived; the duration is unknown until it ends, so --from takes a time there, \
            not a percentage (exit 64).
            """)

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

    func validate() throws {
        try validateFilter(filter)
        if let count, count < 0 { throw ValidationError("--count must be 0 or more, not \(count)") }
        if history < 1 { throw ValidationError("--history must be at least 1, not \(history)") }
    }

    func run() async throws {
        // Open it once here: a missing or empty file is exit 66, a bad header exit 65. A
        // stream (a pipe, a FIFO, "-") is read once, into a spool that every reader follows.
        if file == "-" && isatty(STDIN_FILENO) == 1 {
            warn("'replay -' reads the recording from standard input, which is a terminal: pipe or redirect one in")
            throw ExitCode(64)
        }
        let header: RecordingHeader
        let input: ReplayInput
        do {
            input = try ReplayInput.open(file)
            header = try RecordingReader(path: input.name, follow: input.spool).header
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
            guard input.spool == nil else {
                warn("--from \(timing.from!) needs the recording's duration, unknown for a stream until it ends: give a time like --from 90s")
                throw ExitCode(64)
            }
            let duration = (try? ReplayIndex.build(path: file, idleLimit: timing.idleLimitMilliseconds).duration) ?? 0
            from = Int64((Double(duration) * p / 100).rounded())
        case nil: break
        }
        if useView(plain: plain) {
            let settings = ReplaySettings(
                speed: timing.speed.factor, loop: timing.loop, strict: timing.strict, idleLimit: timing.idleLimitMilliseconds,
                staleAfter: timing.staleAfter.milliseconds, filter: filter, historyCapacity: history)
            let status = try await runView(color: color) {
                try await ReplaySession(input: input, header: header, settings: settings, from: from).run(on: $0, from: from)
            }
            if status != 0 { throw ExitCode(status) }
            return
        }
        let report = ReportBox()
        let source = ReplaySource(path: input.name, spool: input.spool, name: "replay", idleLimit: timing.idleLimitMilliseconds, from: from,
                                  loop: timing.loop, strict: timing.strict, report: { r in report.set(r) })
        let printer = PlainPrinter(query: queryFor(filter), limit: count ?? .max, color: color.enabled(for: STDOUT_FILENO),
                                   recorder: nil, strict: timing.strict, lineBuffered: lineBuffered, sourceOrder: header.sources)
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
        if let final = report.value { warnProblems(final, in: input.name) }
        if status != 0 { throw ExitCode(status) }
    }
}
