import Foundation
import NewsConfig
import NewsCore
import NewsUI
import Testing

@Suite("Config files that are right")
struct ConfigFileTests {
    func parse(_ text: String) throws -> Config { try ConfigFile.parse(text: text, path: "c.toml") }

    @Test("a file with every section reads into the model, in file order, with lines")
    func everySection() throws {
        let config = try parse("""
            # newsdesk
            [keys]
            quit = "x"
            down = ["n", "Down"]
            toggleStar = ""          # unbound
            "help.scrollDown" = []

            [keys.list]
            pause = "Ctrl-p"

            [filters]
            zeta = "source:tech"
            alpha = '"rate cut" | inflation'
            mid = "breaking"

            [alerts]
            breaking = { query = "breaking", bell = true }
            quiet = { query = "update" }

            [open]
            command = [
              "firefox",   # the browser
              "--new-tab",
            ]

            [ui]
            mouse = false

            [colors]
            bar = "Black on Cyan"
            selected = "bold reverse"

            [colors.sources]
            tech = "bold magenta"
            world = "default"
            """)
        #expect(config.keys == [
            ConfigKeyBinding(context: nil, operation: .quit, keys: [.char("x")], line: 3),
            ConfigKeyBinding(context: nil, operation: .down, keys: [.char("n"), .down], line: 4),
            ConfigKeyBinding(context: nil, operation: .toggleStar, keys: [], line: 5),
            ConfigKeyBinding(context: nil, operation: .helpScrollDown, keys: [], line: 6),
            ConfigKeyBinding(context: .list, operation: .pause, keys: [.ctrl("p")], line: 9),
        ])
        #expect(config.filters.map(\.name) == ["zeta", "alpha", "mid"])
        #expect(config.filters.map(\.line) == [12, 13, 14])
        #expect(config.filters[1].query == (try Query.parse("\"rate cut\" | inflation")))
        #expect(config.alerts.map(\.name) == ["breaking", "quiet"])
        #expect(config.alerts.map(\.bell) == [true, false])
        #expect(config.alerts.map(\.line) == [17, 18])
        #expect(config.alerts[0].query == (try Query.parse("breaking")))
        #expect(config.openCommand == ["firefox", "--new-tab"])
        #expect(config.mouse == false)
        #expect(config.colors.style(.bar) == Style(foreground: .black, background: .cyan))
        #expect(config.colors.style(.selected) == Style(bold: true, reverse: true))
        #expect(config.colors.style(.highlight) == ConfigColors.Element.highlight.defaultStyle)
        #expect(config.colors.sources == [
            SourceColorRule(source: "tech", style: Style(foreground: .magenta, bold: true), line: 34),
            SourceColorRule(source: "world", style: Style(), line: 35),
        ])
    }

    @Test("an empty file, and a file of comments, are the defaults")
    func empty() throws {
        #expect(try parse("") == Config())
        #expect(try parse("# nothing\n\n   # at all\n") == Config())
        #expect(try parse("[keys]\n[filters]\n[alerts]\n[open]\n[ui]\n[colors]\n[colors.sources]\n") == Config())
        #expect(Config().mouse == true && Config().openCommand == nil)
    }

    @Test("a dotted key, a context header and a context's short names are the same binding")
    func dottedKeys() throws {
        let a = try parse("[keys]\nlist.quit = \"x\"\nhelp.scrollDown = \"n\"\n")
        let b = try parse("[keys.list]\nquit = \"x\"\n[keys.help]\n\"help.scrollDown\" = \"n\"\n")
        #expect(a.keys.map(\.operation) == [.quit, .helpScrollDown])
        #expect(a.keys.map(\.context) == [.list, .help])
        #expect(a.keys.map(\.keys) == b.keys.map(\.keys))
        #expect(a.keys.map(\.line) == [2, 3])
        #expect(b.keys.map(\.line) == [2, 4])
        // `help` is an operation in [keys] and a context in [keys.help] (not both in one file: see the errors).
        #expect(try parse("[keys]\nhelp = \"h\"\n").keys.map(\.operation) == [.help])
        #expect(try parse("[keys.help]\nclose = \"x\"\n").keys.map(\.operation) == [.helpClose])
    }

    @Test("alerts as tables of their own; tables keep the file's order, not the keys' order")
    func alertTables() throws {
        let config = try parse("""
            [alerts.zz]
            query = "fire"

            [alerts.aa]
            bell = true
            query = "flood"
            """)
        #expect(config.alerts.map(\.name) == ["zz", "aa"])
        #expect(config.alerts.map(\.line) == [1, 4])
        #expect(config.alerts.map(\.bell) == [false, true])
    }

    @Test("CRLF line ends, a byte-order mark and quoted names with escapes")
    func textForms() throws {
        let config = try parse("\u{FEFF}[filters]\r\n\"caf\\u00e9 news\" = \"caf\u{E9}\"\r\n'x y' = \"y\"\r\n")
        #expect(config.filters.map(\.name) == ["caf\u{E9} news", "x y"])
        #expect(config.filters.map(\.line) == [2, 3])
    }

    @Test("colour words in any order and case")
    func colors() throws {
        #expect(try ColorSpec.parse("on blue BOLD yellow").get() == Style(foreground: .yellow, background: .blue, bold: true))
        #expect(try ColorSpec.parse("underline dim").get() == Style(underline: true, dim: true))
        #expect((try? ColorSpec.parse("on").get()) == nil)
        for element in ConfigColors.Element.allCases {
            #expect(try ColorSpec.parse(ColorSpec.text(element.defaultStyle)).get() == element.defaultStyle)
        }
    }
}

@Suite("The default config file")
struct DefaultConfigFileTests {
    @Test("as printed it reads as the defaults")
    func parsesToDefaults() throws {
        #expect(try ConfigFile.parse(text: DefaultConfigFile.text, path: "default.toml") == Config())
    }

    @Test("it names every section, every operation and every colour element")
    func complete() {
        let text = DefaultConfigFile.text
        for section in ConfigFile.sections { #expect(text.contains("\n[\(section)]\n"), "\(section)") }
        for operation in Operation.allCases {
            let name = operation.rawValue.contains(".") ? "\"\(operation.rawValue)\"" : operation.rawValue
            #expect(text.contains("\n# \(name) = "), "\(operation)")
        }
        for element in ConfigColors.Element.allCases { #expect(text.contains("\n# \(element.rawValue) = "), "\(element)") }
        #expect(text.contains("# mouse = true"))
    }

    @Test("every commented option, uncommented, is valid and gives the key table's own keys")
    func uncommented() throws {
        let lines = DefaultConfigFile.text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            // `# name = value   # comment`: an option; prose has no ` = ` after one word.
            guard line.hasPrefix("# "), let eq = line.range(of: " = "),
                  !line[line.index(line.startIndex, offsetBy: 2)..<eq.lowerBound].contains(" ") else { return String(line) }
            return String(line.dropFirst(2))
        }
        let config = try ConfigFile.parse(text: lines.joined(separator: "\n"), path: "all.toml")
        #expect(config.keys.count == Set(KeyBindings.table.map(\.operation)).count)
        for rebinding in config.keys {
            #expect(rebinding.context == nil)
            #expect(rebinding.keys == KeyBindings.binding(rebinding.operation).keys, "\(rebinding.operation)")
        }
        for element in ConfigColors.Element.allCases { #expect(config.colors.style(element) == element.defaultStyle) }
        #expect(config.mouse == true)
        #expect(config.filters.map(\.name) == ["tech", "rates"])
        #expect(config.alerts.map(\.name) == ["breaking"])
        #expect(config.openCommand == ["firefox", "--new-tab"])
        #expect(config.colors.sources.map(\.source) == ["tech"])
    }
}

@Suite("Where the config file is")
struct ConfigLocationTests {
    @Test("--config, else XDG_CONFIG_HOME when absolute, else HOME/.config, else none")
    func resolve() {
        let env = ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/ada"]
        #expect(ConfigLocation.resolve(given: "my.toml", environment: env) == ConfigLocation(path: "my.toml", given: true))
        #expect(ConfigLocation.resolve(given: nil, environment: env) == ConfigLocation(path: "/x/cfg/newsdesk/config.toml", given: false))
        #expect(ConfigLocation.defaultPath(environment: ["XDG_CONFIG_HOME": "/x/cfg/", "HOME": "/home/ada"]) == "/x/cfg/newsdesk/config.toml")
        #expect(ConfigLocation.defaultPath(environment: ["XDG_CONFIG_HOME": "", "HOME": "/home/ada"]) == "/home/ada/.config/newsdesk/config.toml")
        #expect(ConfigLocation.defaultPath(environment: ["XDG_CONFIG_HOME": "cfg", "HOME": "/home/ada"]) == "/home/ada/.config/newsdesk/config.toml")
        #expect(ConfigLocation.defaultPath(environment: ["HOME": "home"]) == nil)
        #expect(ConfigLocation.defaultPath(environment: [:]) == nil)
    }
}

@Suite("Config files on disk")
struct ConfigLoadTests {
    let dir: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newsdesk-config-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    func load(_ location: ConfigLocation) -> Result<Config, ConfigError> {
        do { return .success(try ConfigFile.load(location)) } catch { return .failure(error) }
    }

    @Test("a missing default file is the defaults; a missing --config FILE is 66, naming it")
    func missing() throws {
        let path = dir + "/none.toml"
        #expect(try load(ConfigLocation(path: path, given: false)).get() == Config())
        #expect(try load(ConfigLocation(path: nil, given: false)).get() == Config())
        guard case .failure(let error) = load(ConfigLocation(path: path, given: true)) else { Issue.record("loaded"); return }
        #expect(error.description == "\(path): no such file")
        #expect(error.exitCode == 66)
    }

    @Test("a real file is read; a folder, a dangling link or a FIFO is 66, even where the default is looked for")
    func files() throws {
        let file = dir + "/config.toml"
        try "[ui]\nmouse = false\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try load(ConfigLocation(path: file, given: false)).get().mouse == false)

        let folder = dir + "/folder.toml"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let link = dir + "/link.toml"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: dir + "/gone.toml")
        let fifo = dir + "/fifo.toml"
        #expect(mkfifo(fifo, 0o600) == 0)
        let expected = [(folder, "is a folder, not a config file"), (link, "a symbolic link to a file that does not exist"),
                        (fifo, "is not a regular file")]
        for (path, reason) in expected {
            for given in [true, false] {
                guard case .failure(let error) = load(ConfigLocation(path: path, given: given)) else { Issue.record("\(path) loaded"); continue }
                #expect(error.description == "\(path): \(reason)")
                #expect(error.exitCode == 66)
            }
        }
    }

    @Test("a file that is not UTF-8 is 78 at the line of the first bad byte")
    func notUTF8() throws {
        let file = dir + "/latin1.toml"
        let bytes = Array("[filters]\n# ok\ncaf".utf8) + [0xE9] + Array(" = \"x\"\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        guard case .failure(let error) = load(ConfigLocation(path: file, given: true)) else { Issue.record("loaded"); return }
        #expect(error.description == "\(file):3: the file is not UTF-8 text (TOML is UTF-8)")
        #expect(error.exitCode == 78)
    }

    @Test("an unreadable file is 66", .enabled(if: getuid() != 0, "root reads any file"))
    func unreadable() throws {
        let file = dir + "/secret.toml"
        try "[ui]\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0)
        guard case .failure(let error) = load(ConfigLocation(path: file, given: true)) else { Issue.record("loaded"); return }
        #expect(error.description == "\(file): cannot be read: Permission denied")
        #expect(error.exitCode == 66)
    }
}

@Suite("docs/config.md")
struct ConfigDocsTests {
    @Test("every TOML example in docs/config.md is a valid config file")
    func examples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/config.md"), encoding: .utf8)
        let blocks = doc.components(separatedBy: "```toml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 5)
        for block in blocks {
            #expect(throws: Never.self, "\(block)") { try ConfigFile.parse(text: block, path: "docs/config.md") }
        }
    }
}

@Suite("The default file's comments")
struct DefaultCommentTests {
    @Test("each operation's comment is the first sentence of its help, cut outside parentheses")
    func sentences() {
        let text = DefaultConfigFile.text
        #expect(text.contains("# list: List only unread headlines, or all again (apart from the filter; the header says so)."))
        #expect(text.contains("# list: Edit the filter.\n"))
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("# ") && !$0.contains(" = ") && $0.count > 90 })
    }
}
