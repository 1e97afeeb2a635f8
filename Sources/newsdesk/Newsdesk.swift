import ArgumentParser
import Foundation
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
            --count, --duration, --record...).

            Exit status: 0 done, 64 bad usage (for example an invalid --filter), 65 malformed \
            data with --strict, 66 a missing, unreadable or empty input, 73 an output file \
            that cannot be created, 130 interrupted.
            """,
        version: version,
        subcommands: [LiveCommand.self, RecordCommand.self, ReplayCommand.self, ImportCommand.self],
        defaultSubcommand: LiveCommand.self
    )
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

    func run() async throws {
        let recorder = try openRecorder(recording, feed: feed)
        defer { try? recorder?.close() }
        let feed = self.feed, output = self.output
        // The interactive view on a terminal; lines when asked, or when stdout is a pipe.
        if !output.plain && isatty(STDOUT_FILENO) == 1 {
            let status = try await runView { try await LiveView(feed: feed, output: output, recorder: recorder).run() }
            try recorder?.close()
            if status != 0 { throw ExitCode(status) }
            return
        }
        let status = await Interruptible.run {
            let start = feed.resolvedStart()
            let sources = try feed.sources(start: start)
            try await PlainPrinter(query: output.query, limit: output.count ?? .max, color: output.color.enabled(for: STDOUT_FILENO),
                                   recorder: recorder)
                .run(sources, clock: ClockChoice(feed.speed), options: MergeOptions(endOffset: output.endOffset, restart: feed.mergeRestart))
        }
        try recorder?.close()
        if status != 0 { throw ExitCode(status) }
    }
}

extension OutputOptions {
    var endOffset: Int64? { duration.map { DurationText.milliseconds(seconds: $0) } }
}

/// Opens the `--record` file (exit 73, EX_CANTCREAT, if it cannot be created).
func openRecorder(_ options: RecordOptions, feed: FeedOptions) throws -> RecordingWriter? {
    guard let path = options.record else { return nil }
    return try openRecorder(path: path, force: options.force, feed: feed)
}

func openRecorder(path: String, force: Bool, feed: FeedOptions) throws -> RecordingWriter {
    do {
        return try RecordingWriter(path: path, header: RecordingHeader(
            started: feed.resolvedStart(), seed: feed.resolvedSeed(), sources: SimulatedSource.defaultNames),
            overwrite: force)
    } catch {
        warn("\(error)")
        throw ExitCode(73)
    }
}

/// Runs the interactive view; a terminal that cannot be used is one clear line, exit 1.
@MainActor
func runView(_ body: () async throws -> Int32) async throws -> Int32 {
    do {
        return try await body()
    } catch let error as Terminal.StartError {
        warn("\(error)")
        throw ExitCode(1)
    }
}
