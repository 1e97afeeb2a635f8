import ArgumentParser
import Foundation
import NewsCore

/// `newsdesk import INPUT --out FILE`: real headline data (CSV or JSON Lines) to a recording.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert headline data (CSV or JSON Lines) into a recording.")

    @Argument(help: ArgumentHelp("The data to import.", valueName: "input"))
    var input: String

    @Option(help: ArgumentHelp("The recording to write.", valueName: "file"))
    var out: String

    func run() async throws {
        warn("import: not built yet")
        throw ExitCode(1)
    }
}
