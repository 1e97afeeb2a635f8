import ArgumentParser
import Foundation
import NewsCore
import NewsTerminal

@main
struct Newsdesk: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "newsdesk",
        abstract: "A live, merged headline feed for the terminal.",
        discussion: """
            Three simulated sources (tech, sports, world) run concurrently and are merged \
            into one feed. With --plain, each headline that passes --filter is printed as a line.

            Query language (for --filter): words must all appear (case-insensitive); \
            "a phrase" in quotes; -word excludes; a | b (or a OR b) matches either and binds \
            tighter than the implicit AND; ( ) groups; source:tech (or src:) keeps one source, \
            -source:sports drops one.

            Exit status: 0 done, 64 bad usage (for example an invalid --filter), 130 interrupted.
            """,
        version: version
    )

    @OptionGroup(title: "Feed") var feed: FeedOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    func run() async throws {
        // The interactive view on a terminal; lines when asked, or when stdout is a pipe.
        if !output.plain && isatty(STDOUT_FILENO) == 1 {
            let status: Int32
            do {
                status = try await InteractiveCommand(feed: feed, output: output).run()
            } catch let error as Terminal.StartError {
                FileHandle.standardError.write(Data("newsdesk: \(error)\n".utf8))
                throw ExitCode(1)
            }
            if status != 0 { throw ExitCode(status) }
            return
        }
        let status = await Interruptible.run { try await PlainCommand(feed: feed, output: output).run() }
        if status != 0 { throw ExitCode(status) }
    }
}
