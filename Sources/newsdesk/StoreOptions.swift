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
        if store == "-" { throw ValidationError("--store -: a store is a file (SQLite), not standard input or output: give a path") }
    }

    var choice: StoreChoice {
        StoreChoice.resolve(given: store, noStore: noStore, environment: ProcessInfo.processInfo.environment)
    }
}

/// What a live run does with the store beyond keeping: `--keep` prunes, `--all` prints what it had seen.
struct KeepOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Prune the store at the start: headlines older than this (30d, 12h), or beyond this many (50000). Starred ones are never pruned.",
        valueName: "time|count"))
    var keep: String?

    @Flag(help: "With --plain and a store: print every headline, not only those the store had not seen before.")
    var all = false

    func validate() throws {
        if let keep, let problem = Retention.problem(keep) { throw ValidationError(problem) }
    }
}
