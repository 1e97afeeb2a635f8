import ArgumentParser
import Foundation
import NewsConfig
import NewsUI

/// `--config FILE`: the config file a command reads (see NewsConfig's ``ConfigLocation``).
struct ConfigOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The config file (default: $XDG_CONFIG_HOME/newsdesk/config.toml, ~/.config/newsdesk/config.toml, when it exists). See docs/config.md.",
        valueName: "file"))
    var config: String?

    func validate() throws {
        if let config, config.isEmpty { throw ValidationError("--config: the path is empty") }
        // Standard input may be a feed (--feed -) or the keys' terminal; a config is a file.
        if config == "-" { throw ValidationError("--config - : the config is read from a file, not standard input (--config FILE)") }
    }

    var location: ConfigLocation {
        ConfigLocation.resolve(given: config, environment: ProcessInfo.processInfo.environment)
    }

    /// The config, read before anything else starts (the terminal above all); a broken
    /// file is its `FILE:LINE: reason` on stderr and exit 78, a missing `--config FILE` 66.
    func load() throws -> Config {
        do {
            return try ConfigFile.load(location)
        } catch {
            reportConfigError(error)
            throw ExitCode(error.exitCode)
        }
    }

    /// What the view takes from the config (the defaults without a file).
    func preferences() throws -> ViewPreferences {
        let config = try load()
        do {
            return try config.viewPreferences(path: location.path ?? "config.toml")
        } catch {
            reportConfigError(error)
            throw ExitCode(error.exitCode)
        }
    }
}

/// The error's `FILE:LINE: reason` alone on stderr, as compilers write theirs (so that an
/// editor can jump to the line).
func reportConfigError(_ error: ConfigError) {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
}
