import ArgumentParser
import Foundation
import NewsConfig

/// `newsdesk config --default | --check | --path`: the config file (issue 14).
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the default config file, check a config file, or say where it is looked for.",
        discussion: """
            The config file is $XDG_CONFIG_HOME/newsdesk/config.toml (~/.config/newsdesk/config.toml \
            by default), or the file given with --config FILE; without one, the defaults hold. \
            A broken file stops newsdesk with FILE:LINE: reason and exit 78; a --config FILE \
            that cannot be read is exit 66. See docs/config.md.
            """)

    @Flag(name: .customLong("default"), help: "Print a config file with every option and its default, commented out.")
    var printDefault = false

    @Flag(help: "Read the config file and say 'FILE: ok', or what is wrong with it (exit 78).")
    var check = false

    @Flag(help: "Print where the config file is looked for.")
    var path = false

    @OptionGroup var options: ConfigOptions

    func validate() throws {
        let asked = [printDefault, check, path].filter { $0 }.count
        if asked == 0 { throw ValidationError("say what to do: --default, --check or --path") }
        if asked > 1 { throw ValidationError("--default, --check and --path are one at a time") }
        if printDefault && options.config != nil { throw ValidationError("--default prints the defaults: it reads no file (--config)") }
    }

    func run() throws {
        if printDefault {
            FileHandle.standardOutput.write(Data(DefaultConfigFile.text.utf8))
            return
        }
        let location = options.location
        guard let file = location.path else {
            FileHandle.standardError.write(Data("newsdesk: no config file is looked for: neither XDG_CONFIG_HOME nor HOME is an absolute path\n".utf8))
            throw ExitCode(ConfigError.noInput)
        }
        if path {
            print(file)
            return
        }
        if !location.given, !ConfigFile.exists(file) {
            print("\(file): no such file (the defaults hold)")
            return
        }
        do {
            _ = try ConfigFile.load(location)
            print("\(file): ok")
        } catch {
            reportConfigError(error)
            throw ExitCode(error.exitCode)
        }
    }
}
