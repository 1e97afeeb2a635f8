import NewsConfig
import NewsCore
import NewsUI
import Testing

/// A broken config file and the one message it must give, `FILE:LINE: reason`.
struct BadConfig: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var message: String
    var testDescription: String { name }
}

let keySyntax = Key.nameSyntax
let sectionList = "(sections: keys, filters, alerts, open, ui, colors)"

let badConfigs: [BadConfig] = [
    // Sections.
    BadConfig(name: "unknown section", text: """
        # my colours
        [colours]
        bar = "blue"
        """, message: "c.toml:2: unknown section [colours] \(sectionList)"),
    BadConfig(name: "an option outside any section", text: """

        mouse = false
        """, message: "c.toml:2: 'mouse' is outside any section: it belongs in [ui]"),
    BadConfig(name: "an unknown key outside any section", text: "colour = 3\n",
              message: "c.toml:1: 'colour' is outside any section \(sectionList)"),
    BadConfig(name: "a section as a top-level value", text: "ui = true\n",
              message: "c.toml:1: ui must be a section ([ui]), not a boolean"),
    BadConfig(name: "an array of tables", text: "[[keys]]\nquit = \"x\"\n",
              message: "c.toml:1: keys must be a section ([keys]), not an array"),
    // [ui]
    BadConfig(name: "unknown option in [ui]", text: "[ui]\n\n# the mouse\nmous = true\n",
              message: "c.toml:4: unknown option 'mous' in [ui] (options: mouse)"),
    BadConfig(name: "[ui] mouse of the wrong type", text: "[ui]\nmouse = \"yes\"\n",
              message: "c.toml:2: [ui] mouse must be true or false, not a string"),
    BadConfig(name: "[ui] mouse as an integer, after a multi-line string", text: """
        [filters]
        long = \"\"\"
        breaking
        news\"\"\"
        [ui]
        mouse = 1
        """, message: "c.toml:6: [ui] mouse must be true or false, not an integer"),
    // [keys]
    BadConfig(name: "unknown operation, near one", text: "[keys]\nqiut = \"x\"\n",
              message: "c.toml:2: unknown operation 'qiut' (did you mean 'quit'?)"),
    BadConfig(name: "unknown operation, near none", text: "[keys]\nfrobnicate = \"x\"\n",
              message: "c.toml:2: unknown operation 'frobnicate' (newsdesk config --default lists them all)"),
    BadConfig(name: "unknown operation in a context, by case", text: "[keys.help]\n\"help.scrolldown\" = \"x\"\n",
              message: "c.toml:2: unknown operation 'help.scrolldown' (did you mean 'help.scrollDown'?)"),
    BadConfig(name: "a context's own operation, misspelt", text: "[keys]\nhelp.scrolDown = \"x\"\n",
              message: "c.toml:2: unknown operation 'scrolDown' (did you mean 'scrollDown'?)"),
    BadConfig(name: "unknown context", text: "[keys]\nquit = \"x\"\n[keys.lst]\nquit = \"y\"\n",
              message: "c.toml:3: unknown key context [keys.lst] (contexts: list, detail, help, editor, replay, sources)"),
    BadConfig(name: "an operation of another context", text: "[keys.editor]\ndown = \"x\"\n",
              message: "c.toml:2: 'down' does not hold in [keys.editor] (it holds in list, detail)"),
    BadConfig(name: "a bad key name", text: "[keys]\nquit = \"Ctrl-\"\n",
              message: "c.toml:2: 'Ctrl-' is not a key name: use \(keySyntax)"),
    BadConfig(name: "a bad key name in a multi-line array, after comments", text: """
        [keys]
        down = [
            "j",     # vi
            # and the arrow:
            "Down",
            "Dwn",
        ]
        """, message: "c.toml:6: 'Dwn' is not a key name: use \(keySyntax)"),
    BadConfig(name: "a control character as a key", text: "[keys]\nquit = \"\\u0007\"\n",
              message: "c.toml:2: '\\u{7}' is not a key name: use \(keySyntax)"),
    BadConfig(name: "keys of the wrong type", text: "[keys]\nquit = 1\n",
              message: "c.toml:2: [keys] quit must be a key name or a list of them, not an integer"),
    BadConfig(name: "a key of the wrong type in a list", text: "[keys.list]\ndown = [\"j\",\n  2]\n",
              message: "c.toml:3: [keys.list] down: a key name must be a string, not an integer"),
    BadConfig(name: "an empty key name in a list", text: "[keys]\ndown = [\"j\", \"\"]\n",
              message: "c.toml:2: [keys] down: an empty key name in a list (\"\" or [] alone unbinds)"),
    BadConfig(name: "a key twice in a list", text: "[keys]\nquit = [\"Ctrl-x\", \"ctrl-X\"]\n",
              message: "c.toml:2: [keys] quit: 'Ctrl-x' is given twice"),
    BadConfig(name: "an operation twice in one section", text: "[keys]\nquit = \"x\"\n\ndown = \"n\"\nquit = \"y\"\n",
              message: "c.toml:5: 'quit' is given twice in [keys] (first on line 2)"),
    BadConfig(name: "an operation twice in a context section", text: "[keys.list]\nquit = \"x\"\n\"quit\" = \"y\"\n",
              message: "c.toml:3: 'quit' is given twice in [keys.list] (first on line 2)"),
    BadConfig(name: "help as an operation and as a context", text: "[keys]\nhelp = \"h\"\n[keys.help]\nclose = \"x\"\n",
              message: "c.toml:3: 'help' is given twice in [keys] (first on line 2)"),
    BadConfig(name: "nested key contexts", text: "[keys.list.detail]\nquit = \"x\"\n",
              message: "c.toml:1: [keys.list.detail]: key contexts do not nest (write [keys.detail])"),
    BadConfig(name: "a dotted key into an unknown context", text: "[keys]\nquit = \"x\"\nlsit.quit = \"y\"\n",
              message: "c.toml:3: unknown key context [keys.lsit] (contexts: list, detail, help, editor, replay, sources)"),
    // [filters]
    BadConfig(name: "a filter of the wrong type", text: "[filters]\ntech = [\"source:tech\"]\n",
              message: "c.toml:2: [filters] tech must be a query string (tech = \"...\"), not an array"),
    BadConfig(name: "a bad query", text: "[filters]\ntech = \"source:tech\"\nrates = 'rate AND'\n",
              message: "c.toml:3: [filters] rates: invalid query: 'AND' needs something to match on its right"),
    BadConfig(name: "a bad query with quotes, after a literal string holding # and [", text: """
        [filters]
        odd = '# [not a section]'
        bad = '""'
        """, message: "c.toml:3: [filters] bad: invalid query: empty quotes match nothing in particular"),
    // [alerts]
    BadConfig(name: "an alert that is not a table", text: "[alerts]\nbreaking = \"breaking\"\n",
              message: "c.toml:2: [alerts] breaking must be a table ({ query = \"...\", bell = true }), not a string"),
    BadConfig(name: "an unknown option in an inline table", text: "[alerts]\nbreaking = { query = \"breaking\", bel = true }\n",
              message: "c.toml:2: unknown option 'bel' in [alerts] breaking (options: query, bell)"),
    BadConfig(name: "an alert without a query", text: "[alerts]\n\nbreaking = { bell = true }\n",
              message: "c.toml:3: [alerts] breaking has no query ({ query = \"...\" })"),
    BadConfig(name: "an alert's bell of the wrong type", text: "[alerts]\na = { query = \"x\" }\nb = { query = \"y\", bell = \"yes\" }\n",
              message: "c.toml:3: [alerts] b: bell must be true or false, not a string"),
    BadConfig(name: "an alert's bad query, as a table", text: "[alerts.breaking]\nbell = true\nquery = \"breaking)\"\n",
              message: "c.toml:3: [alerts] breaking: invalid query: unmatched ')'"),
    // [open]
    BadConfig(name: "an open command as a string", text: "[open]\ncommand = \"firefox\"\n",
              message: "c.toml:2: [open] command must be a list of strings (command = [\"firefox\", \"--new-tab\"]), not a string"),
    BadConfig(name: "an empty open command", text: "[open]\ncommand = []\n",
              message: "c.toml:2: [open] command is empty: name a program (command = [\"xdg-open\"])"),
    BadConfig(name: "an open command item not a string", text: "[open]\ncommand = [\n  \"firefox\",\n  1,\n]\n",
              message: "c.toml:4: [open] command: each item must be a string, not an integer"),
    BadConfig(name: "an open command without a program", text: "[open]\ncommand = [\"\", \"--new-tab\"]\n",
              message: "c.toml:2: [open] command: the program (its first item) is empty"),
    BadConfig(name: "an unknown option in [open]", text: "[open]\nprogram = [\"firefox\"]\n",
              message: "c.toml:2: unknown option 'program' in [open] (options: command)"),
    // [colors]
    BadConfig(name: "an unknown colour option", text: "[colors]\nheader = \"blue\"\n",
              message: "c.toml:2: unknown option 'header' in [colors] (options: sources, bar, barTitle, barDim, barAlert, selected, unread, highlight, tab, tabCurrent, alert)"),
    BadConfig(name: "a colour that is not one", text: "[colors]\nbar = \"white on purple\"\n",
              message: "c.toml:2: [colors] bar: 'purple' is not a colour: use \(ColorSpec.syntax)"),
    BadConfig(name: "a misspelt colour", text: "[colors]\nbar = \"white on bleu\"\n",
              message: "c.toml:2: [colors] bar: 'bleu' is not a colour (did you mean 'blue'?)"),
    BadConfig(name: "two foreground colours", text: "[colors]\nbar = \"white blue\"\n",
              message: "c.toml:2: [colors] bar: has two colours: write the background after 'on' ('white on blue')"),
    BadConfig(name: "a colour of the wrong type", text: "[colors]\nselected = true\n",
              message: "c.toml:2: [colors] selected must be a colour (\"bold yellow on blue\"), not a boolean"),
    BadConfig(name: "a source colour with a background", text: "[colors.sources]\ntech = \"cyan\"\nworld = \"cyan on blue\"\n",
              message: "c.toml:3: [colors.sources] world: a source's colour is a colour, maybe bold (\"cyan\", \"bold cyan\"), not \"cyan on blue\""),
    BadConfig(name: "an empty colour", text: "[colors]\nunread = \"\"\n",
              message: "c.toml:2: [colors] unread: an empty colour: use \(ColorSpec.syntax)"),
    // TOML itself (toml++'s words, its line and column).
    BadConfig(name: "an unclosed table header", text: "# top\n\n[ui\nmouse = true\n",
              message: "c.toml:3: TOML: bad table header: expected ']', saw '\\n' (column 4)"),
    BadConfig(name: "a dangling comma in an inline table", text: "[alerts]\nx = { query = \"a\", }\n",
              message: "c.toml:2: TOML: bad inline table: expected key-value pair, saw closing '}' (dangling comma) (column 20)"),
    BadConfig(name: "a key both a value and a table", text: "[keys]\nlist = 1\nlist.quit = \"x\"\n",
              message: "c.toml:3: TOML: bad key-value pair: cannot redefine existing integer as dotted key-value pair (column 1)"),
    BadConfig(name: "a bare word as a value", text: "[ui]\nmouse = yes\n",
              message: "c.toml:2: TOML: bad value: could not determine value type (column 9)"),
    BadConfig(name: "a misspelt boolean: the newline toml++ saw is written as \\n", text: "[ui]\nmouse = tru\n",
              message: "c.toml:2: TOML: bad boolean: expected 'true', saw 'tru\\n' (column 12)"),
    // What TOMLKit cannot carry.
    BadConfig(name: "a NUL character", text: "[ui]\n# \u{0}\nmouse = true\n",
              message: "c.toml:2: a NUL character (TOML allows no control characters but tab)"),
    BadConfig(name: "an escaped NUL", text: "[filters]\n\nx = \"a\\u0000b\"\n",
              message: "c.toml:3: a string holds \\u0000 (NUL), which newsdesk cannot use"),
]

@Suite("Config errors: FILE:LINE: reason")
struct ConfigErrorTests {
    @Test("every broken file gives its one message, with the right line", arguments: badConfigs)
    func bad(_ config: BadConfig) {
        #expect(throws: ConfigError.self) { try ConfigFile.parse(text: config.text, path: "c.toml") }
        do {
            _ = try ConfigFile.parse(text: config.text, path: "c.toml")
        } catch {
            #expect(error.description == config.message)
            #expect(error.exitCode == 78)
        }
    }

    @Test("TOML syntax errors carry toml++'s line, after comments and multi-line values")
    func syntax() {
        let cases: [(String, Int)] = [
            ("[ui\nmouse = true\n", 1),
            ("# one\n\n[keys]\ndown = [\n  \"j\",\n  \"k\"\n]\nquit = = \"x\"\n", 8),
            ("[filters]\na = \"\"\"\nline\n\"\"\"\nb = 'unterminated\n", 5),
            ("[alerts]\nx = { query = \"a\", }\n", 2),
        ]
        for (text, line) in cases {
            do {
                _ = try ConfigFile.parse(text: text, path: "c.toml")
                Issue.record("\(text) parsed")
            } catch {
                #expect(error.line == line, "\(text)")
                #expect(error.description.hasPrefix("c.toml:\(line): TOML: "), "\(error)")
                #expect(error.exitCode == 78)
            }
        }
    }
}
