import ArgumentParser
import Foundation
import NewsApp

/// `--store PATH` / `--no-store`: which store a command uses (see NewsApp's ``StoreChoice``).
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The store: every headline seen, read and starred marks (SQLite). Default: $XDG_DATA_HOME/newsdesk/newsdesk.db. Naming it stores the simulated sources too.",
        valueName: "file"))
    var store: String?

    @Flag(name: .customLong("no-store"), help: "Run without the store: nothing is remembered.")
    var noStore = false

    func validate() throws {
        if store != nil && noStore { throw ValidationError("--store and --no-store cannot both be given") }
        if let store, store.isEmpty { throw ValidationError("--store: the path is empty") }
    }

    var choice: StoreChoice {
        StoreChoice.resolve(given: store, noStore: noStore, environment: ProcessInfo.processInfo.environment)
    }
}
