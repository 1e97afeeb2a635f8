import Foundation
import NewsCore

/// Opening recordings, with the exit status a failure ends the command with.
public enum Recorders {
    /// A recording file (`record --out FILE`, `--record FILE`): exit 73 (EX_CANTCREAT) if it
    /// exists without `force` or cannot be created.
    public static func open(path: String, force: Bool, header: RecordingHeader) throws(CommandExit) -> RecordingWriter {
        do {
            return try RecordingWriter(path: path, header: header, overwrite: force)
        } catch {
            warn("\(error)")
            throw CommandExit(73)
        }
    }

    /// `--out -`: the recording on (a duplicate of) standard output. A reader that goes
    /// away is EPIPE from write(), not a SIGPIPE that kills before the header is written.
    /// `--out`: standard output for `-`, else the file at `target`.
    public static func open(_ target: String, force: Bool, header: RecordingHeader) throws(CommandExit) -> RecordingWriter {
        try target == "-" ? openStandardOutput(header: header) : open(path: target, force: force, header: header)
    }

    public static func openStandardOutput(header: RecordingHeader) throws(CommandExit) -> RecordingWriter {
        signal(SIGPIPE, SIG_IGN)
        do {
            return try RecordingWriter(fileDescriptor: dup(STDOUT_FILENO), name: "standard output", header: header)
        } catch {
            warn("\(error)")
            throw CommandExit(74)
        }
    }
}

/// `newsdesk record`: the merged feed into a recording until `limit` headlines, the feed's
/// end or a signal, with a progress line on stderr; then the recording is closed.
public struct RecordRun: Sendable {
    public var limit: Int
    public var clock: ClockChoice
    public var options: MergeOptions
    /// Whether to show the progress line (on a terminal): not when the recording itself
    /// goes to the same terminal (`--out -` on a tty).
    public var showProgress: Bool

    /// A recording to `out`: the progress line goes to standard error, unless the recording
    /// itself is on the terminal (`--out -` there: the two would mix).
    public init(limit: Int, clock: ClockChoice, options: MergeOptions, out: String) {
        self.init(limit: limit, clock: clock, options: options, showProgress: !(out == "-" && isatty(STDOUT_FILENO) == 1))
    }

    public init(limit: Int, clock: ClockChoice, options: MergeOptions, showProgress: Bool) {
        self.limit = limit
        self.clock = clock
        self.options = options
        self.showProgress = showProgress
    }

    /// Records the feed of `sources` (made inside the interruptible work) into `recorder`.
    /// Returns normally when done (0) and when the reader of `--out -` went away; throws
    /// the exit status otherwise: 74 when the recording cannot be written, 1 for another
    /// failure, 130/143/129 after a signal.
    public func run(into recorder: RecordingWriter, sources: @escaping @Sendable () throws -> [any HeadlineSource]) async throws(CommandExit) {
        let progress = ProgressLine(enabled: showProgress)
        let failure = Protected<(any Error)?>(nil)
        let run = self
        let status = await Interruptible.run(onError: { error in failure.withLock { $0 = error } }) {
            let sources = try sources()
            guard run.limit > 0 else { return }
            try await recordFeed(sources, clock: run.clock, options: run.options, into: recorder, limit: run.limit, progress: progress)
        }
        progress.finish()
        // The reader of `--out -` has gone (`| head`): the recording ends there, quietly.
        if recorder.readerGone { return }
        if let failure = failure.withLock({ $0 }) {
            try? recorder.close()
            warn("\(failure)")
            throw CommandExit(failure is FileError ? 74 : 1)
        }
        do { try recorder.close() } catch {
            warn("\(error)")
            throw CommandExit(74)
        }
        if isatty(STDERR_FILENO) == 1 { warn("recorded \(CountText.counted(recorder.eventsWritten, "headline", "headlines")) to \(recorder.path)") }
        try CommandExit.check(status)
    }
}
