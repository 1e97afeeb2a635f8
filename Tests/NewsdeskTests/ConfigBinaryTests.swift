import Foundation
import Testing

/// Issue 14's config file in the real binary: `config --default|--check|--path`, and a
/// live run or a replay stopped by a broken or missing file. Each test has its own
/// XDG_CONFIG_HOME, never the person's.
@Suite("The config file: the binary", .timeLimit(.minutes(2)))
struct ConfigBinaryTests {
    /// A new folder standing for XDG_CONFIG_HOME, with `config.toml` holding `text` when given.
    func configHome(_ text: String? = nil) throws -> String {
        let home = freshDataHome()
        if let text {
            try FileManager.default.createDirectory(atPath: home + "/newsdesk", withIntermediateDirectories: true)
            try text.write(toFile: home + "/newsdesk/config.toml", atomically: true, encoding: .utf8)
        }
        return home
    }

    func file(_ text: String) throws -> String {
        let path = freshDataHome() + "/my config.toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("config --default prints a file that --check finds ok and that names every section")
    func defaultFile() async throws {
        let home = try configHome()
        let printed = try await newsdesk("config", "--default", environment: ["XDG_CONFIG_HOME": home])
        #expect(printed.status == 0)
        #expect(printed.stderr == "")
        for section in ["[keys]", "[filters]", "[alerts]", "[open]", "[ui]", "[colors]", "[colors.sources]"] {
            #expect(printed.lines.contains(section), "\(section)")
        }
        #expect(printed.lines.contains { $0.hasPrefix("# \"help.scrollDown\" = [\"j\", \"Down\"]") })
        let path = try file(printed.stdout)
        let check = try await newsdesk("config", "--check", "--config", path, environment: ["XDG_CONFIG_HOME": home])
        #expect(check.status == 0)
        #expect(check.stdout == "\(path): ok\n")
    }

    @Test("[colors.sources] colours a source's name in --plain lines too, with --color always; NO_COLOR or --color never leaves them plain")
    func plainSourceColours() async throws {
        let home = try configHome("[colors.sources]\ntech = \"bold red\"\n")
        let arguments = ["--plain", "--seed", "1", "--speed", "max", "--count", "30", "--color", "always"]
        let coloured = try await run(newsdeskBinary, arguments, environment: ["XDG_CONFIG_HOME": home])
        #expect(coloured.status == 0)
        #expect(coloured.stdout.contains("\u{1B}[1;31mTech\u{1B}[0m: "), "\(coloured.stdout.prefix(300))")
        #expect(coloured.stdout.contains("\u{1B}[32mSports\u{1B}[0m: "), "the others keep the palette's colour")
        let never = try await run(newsdeskBinary, Array(arguments.dropLast()) + ["never"], environment: ["XDG_CONFIG_HOME": home])
        #expect(never.status == 0 && !never.stdout.contains("\u{1B}"))
        let noColor = try await run(newsdeskBinary, Array(arguments.dropLast(2)), environment: ["XDG_CONFIG_HOME": home, "NO_COLOR": "1"])
        #expect(noColor.status == 0 && !noColor.stdout.contains("\u{1B}"))
    }

    @Test("config --check: FILE:LINE: reason and exit 78; a missing default file is the defaults; a missing --config is 66")
    func check() async throws {
        let broken = try configHome("# mine\n[ui]\n\nmous = true\n")
        let bad = try await newsdesk("config", "--check", environment: ["XDG_CONFIG_HOME": broken])
        #expect(bad.status == 78)
        #expect(bad.stdout == "")
        #expect(bad.stderr == "\(broken)/newsdesk/config.toml:4: unknown option 'mous' in [ui] (options: mouse)\n")

        let empty = try configHome()
        let none = try await newsdesk("config", "--check", environment: ["XDG_CONFIG_HOME": empty])
        #expect(none.status == 0)
        #expect(none.stdout == "\(empty)/newsdesk/config.toml: no such file (the defaults hold)\n")

        let missing = empty + "/nowhere.toml"
        let given = try await newsdesk("config", "--check", "--config", missing, environment: ["XDG_CONFIG_HOME": empty])
        #expect(given.status == 66)
        #expect(given.stderr == "\(missing): no such file\n")

        // - is not standard input (which may be a feed, or where keys come from): 64, for the view too.
        for arguments in [["config", "--check", "--config", "-"], ["--plain", "--config", "-", "--count", "1"]] {
            let dash = try await run(newsdeskBinary, arguments, environment: ["XDG_CONFIG_HOME": empty])
            #expect(dash.status == 64, "\(arguments)")
            #expect(dash.stderr.contains("--config - : the config is read from a file"), "\(dash.stderr)")
        }

        let usage = try await newsdesk("config", environment: ["XDG_CONFIG_HOME": empty])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("say what to do: --default, --check or --path"))
    }

    @Test("config --path: --config, else XDG_CONFIG_HOME, else HOME/.config (a relative XDG_CONFIG_HOME is ignored)")
    func path() async throws {
        let home = try configHome()
        let xdg = try await newsdesk("config", "--path", environment: ["XDG_CONFIG_HOME": home])
        #expect(xdg.stdout == "\(home)/newsdesk/config.toml\n")
        let relative = try await newsdesk("config", "--path", environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/home/ada"])
        #expect(relative.stdout == "/home/ada/.config/newsdesk/config.toml\n")
        let given = try await newsdesk("config", "--path", "--config", "x.toml", environment: ["XDG_CONFIG_HOME": home])
        #expect(given.stdout == "x.toml\n")
    }

    @Test("a live run stops on a broken config (78) or a missing --config (66) before printing anything")
    func liveRun() async throws {
        let home = try configHome()
        let broken = try file("[keys]\ndown = [\n  \"j\",\n  \"Ctrl-\",\n]\n")
        let bad = try await newsdesk("--plain", "--seed", "1", "--speed", "max", "--count", "3", "--config", broken,
                                     environment: ["XDG_CONFIG_HOME": home])
        #expect(bad.status == 78)
        #expect(bad.stdout == "")
        #expect(bad.stderr.hasPrefix("\(broken):4: 'Ctrl-' is not a key name: use a character, Ctrl-a to Ctrl-z, "))

        let missing = home + "/missing.toml"
        let gone = try await newsdesk("--plain", "--seed", "1", "--speed", "max", "--count", "3", "--config", missing,
                                      environment: ["XDG_CONFIG_HOME": home])
        #expect(gone.status == 66)
        #expect(gone.stdout == "")
        #expect(gone.stderr == "\(missing): no such file\n")

        // The default file, broken, stops the run too; a good one lets it run.
        let defaultBroken = try configHome("[colours]\n")
        let viaDefault = try await newsdesk("--plain", "--seed", "1", "--speed", "max", "--count", "3",
                                            environment: ["XDG_CONFIG_HOME": defaultBroken])
        #expect(viaDefault.status == 78)
        #expect(viaDefault.stderr == "\(defaultBroken)/newsdesk/config.toml:1: unknown section [colours] (sections: keys, filters, alerts, open, ui, colors)\n")
        let good = try configHome("[ui]\nmouse = false\n[filters]\ntech = \"source:tech\"\n")
        let runs = try await newsdesk("--plain", "--seed", "1", "--speed", "max", "--count", "3",
                                      environment: ["XDG_CONFIG_HOME": good])
        #expect(runs.status == 0)
        #expect(runs.lines.count == 3)

        // --version reads no config.
        let version = try await newsdesk("--version", environment: ["XDG_CONFIG_HOME": defaultBroken])
        #expect(version.status == 0)
    }

    @Test("replay reads the config before the recording: a broken one is 78 whatever the recording")
    func replay() async throws {
        let home = try configHome()
        let broken = try file("[ui]\nmouse = \"no\"\n")
        let result = try await newsdesk("replay", home + "/no-such-recording.jsonl", "--plain", "--config", broken,
                                        environment: ["XDG_CONFIG_HOME": home])
        #expect(result.status == 78)
        #expect(result.stderr == "\(broken):2: [ui] mouse must be true or false, not a string\n")
    }
}
