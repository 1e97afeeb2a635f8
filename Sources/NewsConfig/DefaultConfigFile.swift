import NewsUI

/// `newsdesk config --default`: every section and option with its default, commented out,
/// so that the file as printed reads as the defaults and uncommenting a line changes one
/// thing. The key bindings come from the key table (``KeyBindings/table``).
public enum DefaultConfigFile {
    public static var text: String {
        var lines: [String] = []
        func add(_ line: String = "") { lines.append(line) }
        /// `# name = value` padded, then a short comment.
        func option(_ assignment: String, _ comment: String) {
            let padded = assignment.count < 34 ? assignment + String(repeating: " ", count: 34 - assignment.count) : assignment + " "
            add("# " + padded + "# " + comment)
        }

        add("# newsdesk's config file. newsdesk reads $XDG_CONFIG_HOME/newsdesk/config.toml")
        add("# (~/.config/newsdesk/config.toml), or the file given with --config FILE.")
        add("# Every option is shown commented out, with its default: take the '#' away to")
        add("# change it. 'newsdesk config --check' checks the file; docs/config.md has it all.")
        add("# A mistake stops newsdesk with FILE:LINE: reason (exit 78): nothing is ignored.")
        add()
        add("[keys]")
        add("# An operation and its key, or a list of keys: quit = \"x\", down = [\"n\", \"Down\"];")
        add("# \"\" or [] unbinds it. Here it is rebound wherever it holds; in [keys.CONTEXT]")
        add("# (" + KeyContext.allCases.map(\.rawValue).joined(separator: ", ") + ") in that context only.")
        lines += wrapped("Key names: " + Key.nameSyntax + ".")
        add("# The defaults (the context each holds in, and what it does):")
        var seen: Set<Operation> = []
        for binding in KeyBindings.table where !seen.contains(binding.operation) {
            seen.insert(binding.operation)
            let entries = KeyBindings.table.filter { $0.operation == binding.operation }
            var comment = entries.map { entry in
                let contexts = entry.contexts.map(\.rawValue).joined(separator: ", ")
                return entries.count > 1 ? "\(contexts): \(keysValue(entry.keys))" : contexts
            }.joined(separator: "; ")
            comment += ": " + firstSentence(binding.help)
            let name = binding.operation.rawValue
            // Quoted, a dotted name is one key: unquoted, TOML reads `help.scrollDown` as [keys.help] scrollDown.
            option("\(name.contains(".") ? tomlString(name) : name) = \(keysValue(binding.keys))", comment)
        }
        add()
        add("[filters]")
        add("# Saved filters, name and query (as --filter takes it), in the order of their tabs.")
        add("# None by default; for example:")
        option("tech = \"source:tech\"", "one source")
        option("rates = '\"rate cut\" | inflation -source:sports'", "a phrase, OR, and a source left out")
        add()
        add("[alerts]")
        add("# A name and { query = \"...\", bell = true }: headlines that match are alerts; bell")
        add("# (default false) rings the terminal's bell too. None by default; for example:")
        option("breaking = { query = \"breaking\", bell = true }", "an alert with the bell")
        add()
        add("[open]")
        add("# The program a headline's link is opened with, and its first arguments (the link")
        add("# comes last): a list of strings, the program first. Not set by default (newsdesk's")
        add("# own choice); for example:")
        option("command = [\"firefox\", \"--new-tab\"]", "a list of strings, the program first")
        add()
        add("[ui]")
        option("mouse = true", "clicks and the wheel in the view (true or false)")
        add()
        add("[colors]")
        lines += wrapped("Colours of the view (never in monochrome: NO_COLOR, --color never): words, in any order: " + ColorSpec.syntax + ".")
        for element in ConfigColors.Element.allCases {
            option("\(element.rawValue) = \"\(ColorSpec.text(element.defaultStyle))\"", element.help)
        }
        add()
        add("[colors.sources]")
        add("# A source's colour: a colour, maybe bold. By default each source has one of cyan,")
        add("# green, yellow, magenta and red, plain then bold, by its place; for example:")
        option("tech = \"bold cyan\"", "the source named tech")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `"x"` for one key, `["j", "Down"]` for several, `""` for none.
    static func keysValue(_ keys: [Key]) -> String {
        let names = keys.map { tomlString($0.name) }
        return names.count == 1 ? names[0] : "[" + names.joined(separator: ", ") + "]"
    }

    /// A TOML basic string.
    static func tomlString(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// Up to the first ". " or "; " outside parentheses.
    static func firstSentence(_ text: String) -> String {
        var depth = 0
        var previous: Character = " "
        for index in text.indices {
            let c = text[index]
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if c == " ", depth == 0, previous == "." || previous == ";" {
                return String(text[..<text.index(before: index)]) + "."
            }
            previous = c
        }
        return text
    }

    /// `text` as comment lines of at most 90 columns.
    static func wrapped(_ text: String) -> [String] {
        var lines: [String] = [], line = "#"
        for word in text.split(separator: " ") {
            if line.count + 1 + word.count > 90, line != "#" { lines.append(line); line = "#" }
            line += " " + word
        }
        return lines + [line]
    }
}
