import NewsCore
import NewsUI

/// Turns the file's tree into a ``Config``, section by section in file order; the first
/// problem is the error, with the line of the key (or array item) it is about.
struct ConfigChecker {
    let path: String
    let scan: TOMLScan

    init(path: String, scan: TOMLScan) {
        self.path = path
        self.scan = scan
    }

    static func dotted(_ path: TOMLPath) -> String {
        path.map { component -> String in
            guard case .key(let key) = component else { return "\(component)" }
            return key.isEmpty || !key.unicodeScalars.allSatisfy(isBare) ? "\"\(key)\"" : key
        }.joined(separator: ".")
    }

    private static func isBare(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }

    func fail(_ at: TOMLPath, _ reason: String) -> ConfigError {
        ConfigError(path: path, line: scan.line(of: at), reason: reason)
    }

    /// `'name'` for a message, a name that is not all printable written with escapes.
    static func quoted(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return "'\(out)'"
    }

    mutating func check(_ root: TOMLNode) throws(ConfigError) -> Config {
        var config = Config()
        guard case .table(let entries) = root else { return config }
        for (name, value) in entries {
            let at: TOMLPath = [.key(name)]
            guard ConfigFile.sections.contains(name) else {
                if case .table = value {
                    throw fail(at, "unknown section [\(Self.dotted(at))] (sections: \(ConfigFile.sections.joined(separator: ", ")))")
                }
                var reason = "\(Self.quoted(name)) is outside any section"
                if let section = Self.sectionHolding(name) { reason += ": it belongs in [\(section)]" } else {
                    reason += " (sections: \(ConfigFile.sections.joined(separator: ", ")))"
                }
                throw fail(at, reason)
            }
            guard case .table(let options) = value else {
                throw fail(at, "\(name) must be a section ([\(name)]), not \(value.kind)")
            }
            switch name {
            case "keys": config.keys = try keys(options, at: at)
            case "filters": config.filters = try filters(options, at: at)
            case "alerts": config.alerts = try alerts(options, at: at)
            case "open": config.openCommand = try open(options, at: at)
            case "ui": config.mouse = try ui(options, at: at)
            default: config.colors = try colors(options, at: at)
            }
        }
        return config
    }

    /// The section an option written outside any section belongs in (`mouse`: ui).
    static func sectionHolding(_ name: String) -> String? {
        if name == "mouse" { return "ui" }
        if name == "command" { return "open" }
        if ConfigColors.Element(rawValue: name) != nil { return "colors" }
        if Operation(rawValue: name) != nil { return "keys" }
        return nil
    }

    // MARK: - [keys]

    static let contextNames = KeyContext.allCases.map(\.rawValue)

    func keys(_ entries: [(key: String, value: TOMLNode)], at section: TOMLPath) throws(ConfigError) -> [ConfigKeyBinding] {
        var result: [ConfigKeyBinding] = []
        for (name, value) in entries {
            let at = section + [.key(name)]
            if case .table(let inner) = value {
                guard let context = KeyContext(rawValue: name) else {
                    throw fail(at, "unknown key context [keys.\(name)] (contexts: \(Self.contextNames.joined(separator: ", ")))")
                }
                for (operationName, keysValue) in inner {
                    let opAt = at + [.key(operationName)]
                    if case .table = keysValue {
                        throw fail(opAt, Operation(rawValue: operationName) == nil && KeyContext(rawValue: operationName) != nil
                                   ? "[keys.\(name).\(operationName)]: key contexts do not nest (write [keys.\(operationName)])"
                                   : "[keys.\(name)] \(operationName) must be a key name or a list of them, not a table")
                    }
                    result.append(try binding(operationName, keysValue, context: context, at: opAt))
                }
            } else {
                result.append(try binding(name, value, context: nil, at: at))
            }
        }
        return result
    }

    func binding(_ name: String, _ value: TOMLNode, context: KeyContext?, at: TOMLPath) throws(ConfigError) -> ConfigKeyBinding {
        let section = context.map { "[keys.\($0.rawValue)]" } ?? "[keys]"
        // `help.scrollDown = "j"` unquoted is TOML's [keys.help] scrollDown: in a context, the
        // name of one of its own operations may leave out the context's prefix.
        let prefix = context.map { $0.rawValue + "." }
        guard let operation = Operation(rawValue: name) ?? prefix.flatMap({ Operation(rawValue: $0 + name) }) else {
            var names = Operation.allCases.map(\.rawValue)
            if let prefix { names += names.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } }
            if let near = Suggestion.nearest(name, among: names) {
                throw fail(at, "unknown operation \(Self.quoted(name)) (did you mean '\(near)'?)")
            }
            throw fail(at, "unknown operation \(Self.quoted(name)) (newsdesk config --default lists them all)")
        }
        if let context {
            let holds = KeyContext.allCases.filter { c in KeyBindings.table.contains { $0.operation == operation && $0.contexts.contains(c) } }
            guard holds.contains(context) else {
                throw fail(at, "'\(operation.rawValue)' does not hold in \(section) (it holds in \(holds.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        var keys: [Key] = []
        switch value {
        case .string(let text):
            if !text.isEmpty { keys = [try key(text, at: at)] }
        case .array(let items):
            for (index, item) in items.enumerated() {
                let itemAt = at + [.index(index)]
                guard case .string(let text) = item else {
                    throw fail(itemAt, "\(section) \(name): a key name must be a string, not \(item.kind)")
                }
                guard !text.isEmpty else {
                    throw fail(itemAt, "\(section) \(name): an empty key name in a list (\"\" or [] alone unbinds)")
                }
                let key = try key(text, at: itemAt)
                if keys.contains(key) { throw fail(itemAt, "\(section) \(name): '\(key.name)' is given twice") }
                keys.append(key)
            }
        default:
            throw fail(at, "\(section) \(name) must be a key name or a list of them, not \(value.kind)")
        }
        return ConfigKeyBinding(context: context, operation: operation, keys: keys, line: scan.line(of: at))
    }

    func key(_ text: String, at: TOMLPath) throws(ConfigError) -> Key {
        guard let key = Key(name: text) else { throw fail(at, "\(Self.quoted(text)) is not a key name: use \(Key.nameSyntax)") }
        return key
    }

    // MARK: - [filters], [alerts]

    func query(_ text: String, _ what: String, at: TOMLPath) throws(ConfigError) -> Query {
        do {
            return try Query.parse(text)
        } catch {
            throw fail(at, "\(what): invalid query: \(error.message)")
        }
    }

    func filters(_ entries: [(key: String, value: TOMLNode)], at section: TOMLPath) throws(ConfigError) -> [ConfigFilter] {
        var result: [ConfigFilter] = []
        for (name, value) in entries {
            let at = section + [.key(name)]
            guard !name.isEmpty else { throw fail(at, "[filters]: a filter's name is empty") }
            guard case .string(let text) = value else {
                throw fail(at, "[filters] \(name) must be a query string (\(name) = \"...\"), not \(value.kind)")
            }
            result.append(ConfigFilter(name: name, query: try query(text, "[filters] \(name)", at: at), line: scan.line(of: at)))
        }
        return result
    }

    func alerts(_ entries: [(key: String, value: TOMLNode)], at section: TOMLPath) throws(ConfigError) -> [ConfigAlert] {
        var result: [ConfigAlert] = []
        for (name, value) in entries {
            let at = section + [.key(name)]
            guard !name.isEmpty else { throw fail(at, "[alerts]: an alert's name is empty") }
            guard case .table(let fields) = value else {
                throw fail(at, "[alerts] \(name) must be a table ({ query = \"...\", bell = true }), not \(value.kind)")
            }
            var query: Query?, bell = false
            for (field, fieldValue) in fields {
                let fieldAt = at + [.key(field)]
                switch field {
                case "query":
                    guard case .string(let text) = fieldValue else {
                        throw fail(fieldAt, "[alerts] \(name): query must be a string, not \(fieldValue.kind)")
                    }
                    query = try self.query(text, "[alerts] \(name)", at: fieldAt)
                case "bell":
                    guard case .boolean(let value) = fieldValue else {
                        throw fail(fieldAt, "[alerts] \(name): bell must be true or false, not \(fieldValue.kind)")
                    }
                    bell = value
                default:
                    throw fail(fieldAt, "unknown option \(Self.quoted(field)) in [alerts] \(name) (options: query, bell)")
                }
            }
            guard let query else { throw fail(at, "[alerts] \(name) has no query ({ query = \"...\" })") }
            result.append(ConfigAlert(name: name, query: query, bell: bell, line: scan.line(of: at)))
        }
        return result
    }

    // MARK: - [open], [ui]

    func open(_ entries: [(key: String, value: TOMLNode)], at section: TOMLPath) throws(ConfigError) -> [String]? {
        var command: [String]?
        for (name, value) in entries {
            let at = section + [.key(name)]
            guard name == "command" else { throw fail(at, "unknown option \(Self.quoted(name)) in [open] (options: command)") }
            guard case .array(let items) = value else {
                throw fail(at, "[open] command must be a list of strings (command = [\"firefox\", \"--new-tab\"]), not \(value.kind)")
            }
            guard !items.isEmpty else { throw fail(at, "[open] command is empty: name a program (command = [\"xdg-open\"])") }
            var words: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let word) = item else {
                    throw fail(at + [.index(index)], "[open] command: each item must be a string, not \(item.kind)")
                }
                words.append(word)
            }
            guard !words[0].isEmpty else { throw fail(at + [.index(0)], "[open] command: the program (its first item) is empty") }
            command = words
        }
        return command
    }

    func ui(_ entries: [(key: String, value: TOMLNode)], at section: TOMLPath) throws(ConfigError) -> Bool {
        var mouse = true
        for (name, value) in entries {
            let at = section + [.key(name)]
            guard name == "mouse" else { throw fail(at, "unknown option \(Self.quoted(name)) in [ui] (options: mouse)") }
            guard case .boolean(let on) = value else { throw fail(at, "[ui] mouse must be true or false, not \(value.kind)") }
            mouse = on
        }
        return mouse
    }

    // MARK: - [colors]

    static let colorOptions = ["sources"] + ConfigColors.Element.allCases.map(\.rawValue)

    func colors(_ entries: [(key: String, value: TOMLNode)], at section: TOMLPath) throws(ConfigError) -> ConfigColors {
        var colors = ConfigColors()
        for (name, value) in entries {
            let at = section + [.key(name)]
            if name == "sources" {
                guard case .table(let sources) = value else {
                    throw fail(at, "[colors] sources must be a section ([colors.sources], one source a line), not \(value.kind)")
                }
                for (source, colorValue) in sources {
                    let sourceAt = at + [.key(source)]
                    guard case .string(let text) = colorValue else {
                        throw fail(sourceAt, "[colors.sources] \(source) must be a colour name (\"cyan\", \"bold cyan\"), not \(colorValue.kind)")
                    }
                    let style = try style(text, "[colors.sources] \(source)", at: sourceAt)
                    guard style.background == .default, !style.underline, !style.reverse, !style.dim else {
                        throw fail(sourceAt, "[colors.sources] \(source): a source's colour is a colour, maybe bold (\"cyan\", \"bold cyan\"), not \"\(text)\"")
                    }
                    colors.sources.append(SourceColorRule(source: source, style: style, line: scan.line(of: sourceAt)))
                }
                continue
            }
            guard let element = ConfigColors.Element(rawValue: name) else {
                throw fail(at, "unknown option \(Self.quoted(name)) in [colors] (options: \(Self.colorOptions.joined(separator: ", ")))")
            }
            guard case .string(let text) = value else {
                throw fail(at, "[colors] \(name) must be a colour (\"bold yellow on blue\"), not \(value.kind)")
            }
            colors.elements[element] = try style(text, "[colors] \(name)", at: at)
        }
        return colors
    }

    func style(_ text: String, _ what: String, at: TOMLPath) throws(ConfigError) -> Style {
        switch ColorSpec.parse(text) {
        case .success(let style): return style
        case .failure(let error): throw fail(at, "\(what): \(error.reason)")
        }
    }
}
