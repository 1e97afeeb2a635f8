import NewsCore
import NewsUI
import Testing

/// The one key table: consistent in itself, and the help and hints generated from it.
@Suite("Key table")
struct KeyTableTests {
    /// The contexts whose keys hold at the same time (a replay's keys hold in the list).
    static let activeTogether: [[KeyContext]] = [[.list, .replay], [.detail], [.help], [.filterEditor], [.sourcePicker]]

    @Test("no key is bound twice in one context, nor in contexts that hold together")
    func noKeyTwice() {
        for contexts in Self.activeTogether {
            var seen: [Key: Operation] = [:]
            for binding in KeyBindings.table where !Set(binding.contexts).isDisjoint(with: contexts) {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(key) is bound to \(seen[key].map(\.rawValue) ?? "") and \(binding.operation.rawValue) in \(contexts)")
                    seen[key] = binding.operation
                }
            }
        }
    }

    @Test("every operation has a binding, at most one per context, with keys, a hint and help text")
    func everyOperationBound() {
        for operation in Operation.allCases {
            let entries = KeyBindings.table.filter { $0.operation == operation }
            #expect(!entries.isEmpty, "\(operation.rawValue) has no binding")
            let contexts = entries.flatMap(\.contexts)
            #expect(Set(contexts).count == contexts.count, "\(operation.rawValue) is in a context twice")
        }
        for binding in KeyBindings.table {
            #expect(!binding.keys.isEmpty && !binding.contexts.isEmpty, "\(binding.operation.rawValue)")
            #expect(!binding.hint.isEmpty && binding.help.hasSuffix("."), "\(binding.operation.rawValue)")
        }
    }

    @Test("operation names are stable identifiers: the context's own ones are prefixed with it")
    func operationNames() {
        #expect(Operation(rawValue: "quit") == .quit)
        #expect(Operation(rawValue: "help.scrollDown") == .helpScrollDown)
        #expect(Operation(rawValue: "editor.keep") == .editorKeep)
        #expect(Operation(rawValue: "detail.close") == .detailClose)
        for binding in KeyBindings.table where binding.contexts.count == 1 {
            let context = binding.contexts[0]
            if let dot = binding.operation.rawValue.firstIndex(of: ".") {
                #expect(binding.operation.rawValue[..<dot] == context.rawValue, "\(binding.operation.rawValue)")
            }
        }
    }

    @Test("the filter editor binds no printable character, so every one can be typed")
    func editorTypesCharacters() {
        for binding in KeyBindings.table where binding.contexts.contains(.filterEditor) {
            for key in binding.keys {
                if case .char = key { Issue.record("\(key) is bound in the editor") }
            }
        }
    }

    @Test("every binding is on the help screen, in its context's section", arguments: [false, true])
    func everyBindingOnHelp(replay: Bool) {
        let lines = HelpPage.lines(columns: 100, replay: replay)
        let headings: [KeyContext: String] = [
            .list: "Keys", .replay: "Keys", .detail: "In a headline (Enter)",
            .filterEditor: "Editing the filter (/)", .help: "In this help (?)", .sourcePicker: "In the sources screen (S)",
        ]
        for binding in KeyBindings.table {
            for context in binding.contexts {
                guard replay || context != .replay else { continue }
                let start = lines.firstIndex { $0.heading && $0.text == headings[context] }
                #expect(start != nil, "\(context)")
                guard let start else { continue }
                let section = lines[(start + 1)...].prefix { !$0.heading }
                // A group (1-9) is one entry: its first and last keys, the first one's help.
                let group = KeyBindings.table.filter { $0.helpGroup != nil && $0.helpGroup == binding.helpGroup && $0.contexts.contains(context) }
                let key = group.count > 1 ? "\(group.first!.keys[0])-\(group.last!.keys[0])" : KeyBindings.keyList(binding)
                let help = group.first?.help ?? binding.help
                // The keys, then the help text beside them (or under them, when too wide).
                let row = section.firstIndex { $0.key == key }
                #expect(row != nil, "\(binding.operation.rawValue) in \(context)")
                guard let row else { continue }
                let text = section[row].text.isEmpty && row + 1 < section.endIndex ? section[row + 1].text : section[row].text
                #expect(!text.isEmpty && help.hasPrefix(text), "\(binding.operation.rawValue) in \(context)")
            }
        }
        // The replay's keys only in a replay.
        #expect(lines.contains { $0.text.hasPrefix("Jump one minute") } == replay)
    }

    @Test("the help screen as drawn shows every section")
    func helpSections() {
        var state = makeState(count: 3, columns: 100, rows: 300, replay: true)
        state.apply(.key(.char("?")))
        let text = state.screen.joined(separator: "\n")
        for heading in ["Keys", "In a headline (Enter)", "Editing the filter (/)", "In the sources screen (S)", "In this help (?)", "Filters (/, or --filter)"] {
            #expect(text.contains(" " + heading), "\(heading)")
        }
    }

    @Test("keys 1-9 are one entry of the help (1-9), in the list's section and the source list's")
    func sourceTogglesGrouped() {
        let lines = HelpPage.lines(columns: 100, replay: false)
        #expect(lines.filter { $0.key == "1-9" }.count == 2)
        #expect(!lines.contains { ["1", "2", "9"].contains($0.key) })
        #expect(Operation.sourceToggles.map(\.rawValue) == (1...9).map { "toggleSource\($0)" })
        #expect(Operation.sourceToggles.map(\.toggledSource) == Array(0..<9))
        for (n, operation) in Operation.sourceToggles.enumerated() {
            #expect(KeyBindings.operation(for: .char(Character(String(n + 1))), in: [.list]) == operation)
            #expect(KeyBindings.operation(for: .char(Character(String(n + 1))), in: [.sourcePicker]) == operation)
        }
        // No help text names a simulated source: the sources are whatever the session has.
        for binding in KeyBindings.table {
            for name in ["tech", "sports", "world"] {
                #expect(!binding.help.contains(name) && !binding.hint.contains(name), "\(binding.operation.rawValue)")
            }
        }
    }

    @Test("the hints are generated from the table")
    func hints() {
        #expect(KeyHints.line(KeyHints.detail, .standard) == "Esc close  j/k next/previous  r read  s star  ? help")
        #expect(KeyHints.line(KeyHints.filterEditor, .standard) == "Enter keep  Esc cancel")
        #expect(KeyHints.line(KeyHints.help, .standard) == "j/k scroll  PgDn/PgUp page  Esc close")
        #expect(KeyHints.replay(paused: false).compactMap { $0.text(.standard) } == ["Space pause", ". step", "+/- speed", "[ ] ±1m", "? help", "q quit"])
        #expect(KeyHints.replay(paused: true)[0].text(.standard) == "Space resume")
        #expect(KeyHints.line(KeyHints.sourcePicker, .standard) == "Space show/hide  Esc close  a all  o only  R refresh  j/k move  ? help")
    }

    @Test("the replay's progress line shows its keys")
    func replayProgressHints() {
        var state = makeState(count: 3, columns: 120, rows: 10, replay: true)
        state.apply(.replayStatus(ReplayStatus(position: 1000, duration: 60_000, speed: 2, paused: true)))
        let status = state.screen.last!
        #expect(status.contains("Space resume  . step  +/- speed  [ ] ±1m  ? help  q quit"), "\(status)")
    }

    @Test("the keys that hold follow the mode: list (and replay), detail, help, editor")
    func keyContexts() {
        var state = makeState(count: 5, replay: true)
        #expect(state.keyContexts == [.replay, .list])
        state.apply(.key(.enter))
        #expect(state.keyContexts == [.detail])
        state.apply(.key(.char("?")))
        #expect(state.keyContexts == [.help])
        state.apply(.key(.escape), .key(.escape), .key(.char("S")))
        #expect(state.mode == .sources && state.keyContexts == [.sourcePicker])
        #expect(state.apply(.key(.char(" "))).isEmpty, "Space toggles a source in the picker, it does not pause the replay")
        state.apply(.key(.escape), .key(.char("/")))
        #expect(state.mode == .list && state.keyContexts == [.filterEditor])
        // Ctrl-C quits from every context; q types itself in the editor.
        #expect(state.apply(.key(.char("q"))).isEmpty && state.editor?.text == "q")
        #expect(state.apply(.key(.ctrl("c"))) == [.quit])
    }
}
