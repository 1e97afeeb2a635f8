import ArgumentParser
import Foundation
import NewsApp
import NewsCore
import NewsTerminal

@main
struct Newsdesk: AsyncParsableCommand {
    static let version = "0.2.0"

    static let configuration = CommandConfiguration(
        commandName: "newsdesk",
        abstract: "A live, merged headline feed for the terminal.",
        discussion: """
            Without a subcommand, newsdesk runs 'live': three simulated sources (tech, sports, \
            world) merged into one feed, shown in a full-screen view (press ? there for its \
            keys), or printed as lines with --plain or when stdout is not a terminal. \
            'newsdesk live --help' lists its options (--plain, --filter, --seed, --speed, \
            --count, --duration, --record...). Shell completions: \
            'newsdesk --generate-completion-script bash' (or zsh, fish).

            Exit status: 0 done (also when the reader of a pipe goes away), 1 an unexpected \
            failure, 64 bad usage (for example an invalid --filter or an unknown command), 65 \
            malformed data (a recording's header, a line with --strict, an import with no \
            usable row), 66 a missing, unreadable or empty input, 73 an output file that exists \
            (without --force) or cannot be created, 74 an output that cannot be written or a \
            terminal the view cannot start on, 130/143/129 interrupted by \
            SIGINT/SIGTERM/SIGHUP.
            """,
        version: "newsdesk \(version)",
        subcommands: [LiveCommand.self, RecordCommand.self, ReplayCommand.self, ImportCommand.self],
        defaultSubcommand: LiveCommand.self
    )

    /// A first word that is not a command would reach `live` (the default), which takes
    /// no words, as an "unexpected argument": say that the command is unknown instead.
    static func main() async {
        if let word = CommandLine.arguments.dropFirst().first, let error = unknownCommand(word) {
            exit(withError: error)
        }
        await main(nil)
    }

    /// Why `word`, in a command's place, is not one, with the nearest command if it looks
    /// like a typo (`repaly`), or `replay` if it names a file; nil for a command or an option.
    static func unknownCommand(_ word: String) -> ValidationError? {
        let names = configuration.subcommands.compactMap { $0.configuration.commandName }
        guard !word.hasPrefix("-"), !(names + ["help"]).contains(word) else { return nil }
        let nearest = names.map { (name: $0, distance: editDistance(word.lowercased(), $0)) }.min { $0.distance < $1.distance }
        var message = "unknown command '\(word)'"
        if let nearest, nearest.distance <= 2 {
            message += "; did you mean '\(nearest.name)'?"
        } else if FileManager.default.fileExists(atPath: word) {
            message += "; to play a recording: newsdesk replay \(word)"
        }
        return ValidationError(message + " (commands: \(names.joined(separator: ", ")))")
    }
}

/// Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`: `repaly`
/// is one swap from `replay`.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
        }
    }
    return d[a.count][b.count]
}

/// `newsdesk` / `newsdesk live`: the merged live feed, in the view or as lines.
struct LiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Watch the merged live feed (the default).",
        discussion: """
            Three simulated sources (tech, sports, world) run concurrently and are merged \
            into one feed. On a terminal it opens the full-screen view (press ? for its keys); \
            with --plain, or when stdout is not a terminal, each headline that passes --filter \
            is printed as a line.

            Query language (for --filter and the view's filter): words must all appear \
            (case-insensitive; a AND b says it outright); "a phrase" in quotes; -word (or NOT \
            word) excludes; a | b (or a OR b) matches either and binds tighter than AND; ( ) \
            groups; source:tech (or src:) keeps one source, -source:sports drops one. AND, OR \
            and NOT are operators only in capitals: and, or, not and "AND" are words.
            """)

    @OptionGroup(title: "Feed") var feed: FeedOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Recording") var recording: RecordOptions

    func validate() throws {
        // As with `record`: at --speed max an unbounded recording grows as fast as the disk.
        if recording.record != nil && feed.speed == .max && output.count == nil && output.duration == nil {
            throw ValidationError("--record at --speed max needs --count or --duration: without them it writes as fast as it can, without end")
        }
    }

    func run() async throws {
        let recorder = try openRecorder(recording, feed: feed)
        defer { try? recorder?.close() }
        let feed = self.feed, output = self.output
        // The interactive view on a terminal; lines when asked, in a pipe, or where the view cannot run.
        if useView(plain: output.plain) {
            let start = feed.resolvedStart()
            let settings = LiveSettings(
                sources: try feed.sources(start: start), start: start, clock: ClockChoice(feed.speed),
                merge: MergeOptions(endOffset: output.endOffset, restart: feed.mergeRestart), historyCapacity: feed.history,
                filter: output.filter, staleAfter: output.staleAfter.milliseconds, recorder: recorder)
            let status = try await runView(color: output.color) { try await LiveSession(settings).run(on: $0) }
            try recorder?.close()
            if status != 0 { throw ExitCode(status) }
            return
        }
        let status = await Interruptible.run {
            let start = feed.resolvedStart()
            let sources = try feed.sources(start: start)
            try await PlainPrinter(query: output.query, limit: output.count ?? .max, color: output.color.enabled(for: STDOUT_FILENO),
                                   recorder: recorder, lineBuffered: output.lineBuffered)
                .run(sources, clock: ClockChoice(feed.speed), options: MergeOptions(endOffset: output.endOffset, restart: feed.mergeRestart))
        }
        try recorder?.close()
        if status != 0 { throw ExitCode(status) }
    }
}

extension OutputOptions {
    var endOffset: Int64? { duration?.milliseconds }
}

/// Opens the `--record` file (exit 73, EX_CANTCREAT, if it cannot be created).
func openRecorder(_ options: RecordOptions, feed: FeedOptions) throws -> RecordingWriter? {
    guard let path = options.record else { return nil }
    return try openRecorder(path: path, force: options.force, feed: feed)
}

func openRecorder(path: String, force: Bool, feed: FeedOptions) throws -> RecordingWriter {
    do {
        return try RecordingWriter(path: path, header: feed.recordingHeader, overwrite: force)
    } catch {
        warn("\(error)")
        throw ExitCode(73)
    }
}

/// Whether to open the interactive view: not with `--plain` or in a pipe, and not where
/// the terminal cannot show it (`TERM=dumb`, no TERM, no terminal to read keys from):
/// there lines are printed as in a pipe, and one line on stderr says why.
func useView(plain: Bool) -> Bool {
    guard !plain && isatty(STDOUT_FILENO) == 1 else { return false }
    if let reason = Terminal.unavailableReason() {
        warn("\(reason); printing lines instead of the view")
        return false
    }
    return true
}

extension FeedOptions {
    /// A recording's first line: where this feed came from.
    var recordingHeader: RecordingHeader {
        RecordingHeader(started: resolvedStart(), seed: resolvedSeed(), sources: SimulatedSource.defaultNames)
    }
}

/// Runs the interactive view on the terminal (restored on every way out); a terminal that
/// then cannot be used is one clear line, exit 74 (EX_IOERR).
@MainActor
func runView(color: ColorChoice, _ body: (Terminal) async throws -> Int32) async throws -> Int32 {
    do {
        let terminal = try Terminal(colorWanted: color != .never && ColorChoice.noColorUnset)
        defer { terminal.restore() }
        return try await body(terminal)
    } catch let error as Terminal.StartError {
        warn("\(error)")
        throw ExitCode(74)
    }
}
