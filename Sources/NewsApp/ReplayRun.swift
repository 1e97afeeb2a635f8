import Foundation
import NewsCore
import NewsUI

/// `--from`: a point of the recording, as a time or a percentage of its duration.
public enum ReplayStart: Equatable, Sendable {
    case offset(Int64)
    case percent(Double)

    /// `90s`, `12m`, `1h5m` or `25%`; nil for anything else.
    public static func parse(_ text: String) -> ReplayStart? {
        if text.hasSuffix("%") {
            guard let p = Double(text.dropLast()), p >= 0, p <= 100 else { return nil }
            return .percent(p)
        }
        return DurationText.parse(text).map { .offset($0) }
    }
}

/// `newsdesk replay`'s steps that come before and after the view: opening the recording,
/// finding where to start, and playing it as lines (`--plain`).
public enum ReplayRun {
    /// Opens `file` once: a missing or empty file is exit 66, a bad header exit 65, standard
    /// input on a terminal 64. A stream (a pipe, a FIFO, "-") is read once, into a spool
    /// that every reader follows.
    public static func open(_ file: String, stdinIsTerminal: Bool = isatty(STDIN_FILENO) == 1) throws(CommandExit) -> (input: ReplayInput, header: RecordingHeader) {
        if file == "-" && stdinIsTerminal {
            warn("'replay -' reads the recording from standard input, which is a terminal: pipe or redirect one in")
            throw CommandExit(64)
        }
        do {
            let input = try ReplayInput.open(file)
            return (input, try RecordingReader(path: input.name, follow: input.spool).header)
        } catch let error as FileError {
            warn("\(error)")
            throw CommandExit(66)
        } catch {
            warn("\(error)")
            throw CommandExit(65)
        }
    }

    /// The offset `from` (the `--from` text, validated) starts at: a percentage of the
    /// recording's duration (found by indexing `file`, with `idleLimit`) needs a file, not
    /// a stream (exit 64).
    public static func startOffset(_ from: String?, input: ReplayInput, file: String, idleLimit: Int64?) throws(CommandExit) -> Int64 {
        switch from.flatMap(ReplayStart.parse) {
        case .offset(let ms): return ms
        case .percent(let p):
            guard input.spool == nil else {
                warn("--from \(from!) needs the recording's duration, unknown for a stream until it ends: give a time like --from 90s")
                throw CommandExit(64)
            }
            let duration = (try? ReplayIndex.build(path: file, idleLimit: idleLimit).duration) ?? 0
            return Int64((Double(duration) * p / 100).rounded())
        case nil: return 0
        }
    }

    /// Plays `input` from `from` as printed lines: at `speed` (`.infinity`: no waiting),
    /// only what `query` matches, at most `limit`. A malformed line with `strict` is exit
    /// 65, a file that cannot be read 66, a signal 130/143/129; the reader's problems are
    /// listed on stderr at the end.
    public static func plain(_ input: ReplayInput, from: Int64, settings: ReplaySettings, query: Query, limit: Int,
                             color: Bool, lineBuffered: Bool, sourceOrder: [String] = []) async throws(CommandExit) {
        let report = ReportBox()
        let source = ReplaySource(path: input.name, spool: input.spool, name: "replay", idleLimit: settings.idleLimit, from: from,
                                  loop: settings.loop, strict: settings.strict, report: { r in report.set(r) })
        var printer = PlainPrinter(query: query, limit: limit, color: color, recorder: nil, strict: settings.strict, lineBuffered: lineBuffered,
                                  sourceOrder: sourceOrder)
        printer.sourceColors = settings.preferences.colors.sources.mapValues(\.ansi)
        // Time starts once the first events are read, so they are not late.
        let clock: ClockChoice = settings.speed == .infinity ? .virtual : .replay(ReplayClock(speed: settings.speed, holdUntilReady: true))
        let failure = Protected<(any Error)?>(nil)
        let status = await Interruptible.run(onError: { error in failure.withLock { $0 = error } }) { [printer] in
            try await printer.run([source], clock: clock, options: MergeOptions())
        }
        let failed = failure.withLock { $0 }
        if let stop = failed as? StrictStop {
            warn("\(stop)")
            throw CommandExit(65)
        }
        if let fileError = failed as? FileError {
            warn("\(fileError)")
            throw CommandExit(66)
        }
        if let final = report.value { warnProblems(final, in: input.name) }
        try CommandExit.check(status)
    }
}
