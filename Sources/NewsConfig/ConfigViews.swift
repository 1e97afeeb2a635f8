import NewsUI

extension Config {
    /// The key table in force: the standard one with `[keys]` applied. A clash the table
    /// finds (a key bound twice, an operation outside its context, Ctrl-C) is reported at
    /// the line of the binding that caused it.
    public func keyMap(path: String) throws(ConfigError) -> KeyMap {
        guard !keys.isEmpty else { return .standard }
        do {
            return try KeyMap.standard.rebinding(keys.map { KeyRebinding(operation: $0.operation, context: $0.context, keys: $0.keys) })
        } catch {
            throw ConfigError(path: path, line: line(of: error), reason: error.description)
        }
    }

    /// The line of the binding behind `error`: the last one that binds the operation (and
    /// key) named, since the later binding is what made the clash.
    func line(of error: KeyMapError) -> Int? {
        func last(_ matching: (ConfigKeyBinding) -> Bool) -> Int? { keys.last(where: matching)?.line }
        switch error {
        case .notInContext(let operation, let context, _):
            return last { $0.operation == operation && $0.context == context }
        case .boundTwice(let key, let first, _, let second, _, _):
            return last { ($0.operation == first || $0.operation == second) && $0.keys.contains(key) }
                ?? last { $0.operation == first || $0.operation == second }
        case .fixedKey(let key, let operation), .typedInEditor(let key, let operation):
            return last { $0.operation == operation && $0.keys.contains(key) } ?? last { $0.operation == operation }
        }
    }

    /// What the view takes from the file: keys, saved filters, alerts, colours, the mouse
    /// and the link command.
    public func viewPreferences(path: String) throws(ConfigError) -> ViewPreferences {
        var preferences = ViewPreferences()
        preferences.keys = try keyMap(path: path)
        preferences.filters = filters.map { SavedFilter(name: $0.name, query: $0.query.text) }
        preferences.alerts = alerts.map { AlertRule(name: $0.name, query: $0.query.text, bell: $0.bell) }
        preferences.colors = themeColors
        preferences.mouse = mouse
        preferences.openCommand = openCommand
        return preferences
    }

    /// `[colors]` as the view's theme takes them.
    public var themeColors: ThemeColors {
        ThemeColors(elements: colors.elements,
                    sources: Dictionary(colors.sources.map { ($0.source, $0.style) }) { _, last in last })
    }
}
