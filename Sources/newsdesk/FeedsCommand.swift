import ArgumentParser
import Foundation
import NewsApp
import NewsCore

/// `newsdesk feeds add|list|import|export`: the subscriptions file.
struct FeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Manage the subscriptions file: add, list, import OPML, export OPML; forget a feed's stored history.",
        discussion: HelpText.feeds,
        subcommands: [Add.self, List.self, Import.self, Export.self, ForgetCommand.self])

    struct Place: ParsableArguments {
        @Option(help: ArgumentHelp("The subscriptions file (default: $XDG_CONFIG_HOME/newsdesk/feeds).", valueName: "file"))
        var feeds: String?

        func run(_ body: (FeedsRun) -> Int32) throws {
            let status = body(FeedsRun(given: feeds))
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Subscribe to a feed (an http or https URL, or a file).")
        @Argument(help: ArgumentHelp("The feed's URL or path.", valueName: "url-or-path")) var location: String
        @Argument(help: ArgumentHelp("Its source name (default: from the URL's host).", valueName: "name")) var name: String?
        @Option(help: ArgumentHelp("Poll it this often (at least 1s): 10m, 1h.", valueName: "time")) var every: DurationArgument?
        @Option(name: .customLong("tag"), help: ArgumentHelp("A tag for it (repeatable).", valueName: "tag")) var tags: [String] = []
        @OptionGroup var place: Place

        func run() throws {
            try place.run { $0.add(location: location, name: name, every: every.map { .milliseconds($0.milliseconds) }, tags: tags) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the subscribed feeds.")
        @OptionGroup var place: Place
        func run() throws { try place.run { $0.list() } }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add the feeds of an OPML file (from another reader).")
        @Argument(help: ArgumentHelp("The OPML file.", valueName: "file.opml")) var opml: String
        @OptionGroup var place: Place
        func run() throws { try place.run { $0.importOPML(opml) } }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the subscriptions as OPML 2.0 to standard output.")
        @OptionGroup var place: Place
        func run() throws { try place.run { $0.export(now: LiveFeeds.realNow()) } }
    }
}
