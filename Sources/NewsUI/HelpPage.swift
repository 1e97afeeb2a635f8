import NewsCore

/// The help screen's lines at a width: every key of the table by context (the replay's
/// too, in a replay), then the query language. ``AppState`` scrolls it, ``Renderer`` draws the part
/// that fits; both count the same lines.
public enum HelpPage {
    /// One screen row: a heading, or a key (on an entry's first row) and a line of its text.
    public struct Line: Equatable, Sendable {
        public var key = ""
        public var text: String
        public var heading = false
    }

    /// The query language, as the filter (`/`, `--filter`) reads it.
    static let queryLanguage: [(key: String, help: String)] = [
        ("goal final", "Both words, anywhere in the title."),
        ("\"rate cut\"", "The phrase, as written."),
        ("-rumour", "Without the word (also -\"a phrase\", -(...), -source:NAME)."),
        ("a | b, a OR b", "Either. Binds tighter than a space: goal | score final means (goal OR score) AND final."),
        ("a AND b", "Both, as a space does."),
        ("NOT b", "Without b, as -b does: bank NOT rates."),
        ("( )", "Group: (goal final) | (late winner)."),
        ("source:tech", "Only the sources whose name starts so (src:sp too); -source:world leaves one out. The keys 1-9 and the sources screen (S) hide sources apart from the filter."),
        ("", "AND, OR and NOT are operators only in capitals. Matching ignores case, in any script: ZÜRICH finds Zürich."),
    ]

    /// The width of the key column.
    static func keyWidth(columns: Int) -> Int { min(14, max(6, columns / 4)) }

    /// The sections of keys, one per context, in the order the help shows them; the
    /// replay's keys are among the list's (they hold there), in table order. A heading
    /// names the list's key that leads there, as bound (none when it is unbound).
    static func sections(replay: Bool, keys: KeyMap) -> [(heading: String, contexts: [KeyContext], note: String?)] {
        func heading(_ text: String, _ operation: Operation) -> String {
            guard let key = keys.keys(operation, in: .list).first else { return text }
            return "\(text) (\(key.description))"
        }
        return [
            ("Keys", replay ? [.list, .replay] : [.list], nil),
            (heading("In a headline", .open), [.detail], nil),
            (heading("Editing the filter", .editFilter), [.filterEditor], "Any other key types itself at the cursor."),
            (heading("In the sources screen", .sourcePicker), [.sourcePicker], nil),
            (heading("In this help", .help), [.help], nil),
        ]
    }

    /// The keys of a binding ("j/↓"), or of a group of bindings ("1-9").
    public static func keyList(_ bindings: ArraySlice<Binding>) -> String {
        guard bindings.count > 1, let first = bindings.first?.keys.first, let last = bindings.last?.keys.first else {
            return bindings.first.map(KeyMap.keyList) ?? ""
        }
        return first.description + "-" + last.description
    }

    /// Whether a group's bindings show as one entry ("1-9"): one key each, characters in
    /// a row, as by default. Rebound otherwise, each shows on its own.
    static func isRun(_ bindings: ArraySlice<Binding>) -> Bool {
        var previous: UInt32?
        for binding in bindings {
            guard binding.keys.count == 1, case .char(let c) = binding.keys[0], c.unicodeScalars.count == 1,
                  let scalar = c.unicodeScalars.first?.value else { return false }
            if let previous, scalar != previous + 1 { return false }
            previous = scalar
        }
        return true
    }

    /// The help's lines for the keys in force (the standard ones by default).
    public static func lines(columns: Int, replay: Bool, keys: KeyMap = .standard) -> [Line] {
        let keyWidth = keyWidth(columns: columns)
        let textWidth = columns - keyWidth - 3
        var lines: [Line] = []
        func add(_ key: String, _ help: String) {
            var first = true
            if TextWidth.columns(key) > keyWidth {
                // Too wide for the key column: on a row of its own, the text under it.
                lines.append(Line(key: key, text: ""))
                first = false
            }
            for text in Renderer.wrap(help, width: textWidth) {
                lines.append(Line(key: first ? key : "", text: text))
                first = false
            }
        }
        for section in sections(replay: replay, keys: keys) {
            if !lines.isEmpty { lines.append(Line(text: "")) }
            lines.append(Line(text: section.heading, heading: true))
            let bindings = keys.table.filter { !Set($0.contexts).isDisjoint(with: section.contexts) }
            var i = 0
            while i < bindings.count {
                // A group (1-9) is one entry: its first and last keys, the first one's help.
                var end = i + 1
                if let group = bindings[i].helpGroup {
                    while end < bindings.count && bindings[end].helpGroup == group { end += 1 }
                    if !isRun(bindings[i..<end]) { end = i + 1 }
                }
                add(keyList(bindings[i..<end]), bindings[i].help)
                i = end
            }
            if let note = section.note { add("", note) }
        }
        lines.append(Line(text: ""))
        let filterKey = keys.keys(.editFilter, in: .list).first.map { "\($0.description), or " } ?? ""
        lines.append(Line(text: "Filters (\(filterKey)--filter)", heading: true))
        for entry in queryLanguage { add(entry.key, entry.help) }
        return lines
    }
}
