/// One hint of a status line or a page's bottom bar: the first key of each operation,
/// then a short name ("j/k next/previous", "[ ] ±1m"). The keys come from the map in force
/// (``AppConfig/keys``), so a rebound key shows as it is bound, and an unbound one not at all.
public struct KeyHint: Sendable {
    public var operations: [Operation]
    public var context: KeyContext
    /// Nil: the binding's own short name.
    public var name: String?
    /// Between the keys of several operations.
    public var joiner = "/"

    public init(_ operations: Operation..., in context: KeyContext, name: String? = nil, joiner: String = "/") {
        self.operations = operations
        self.context = context
        self.name = name
        self.joiner = joiner
    }

    /// The hint with `keys`' keys; nil when none of its operations has a key. Of several
    /// operations with one unbound, the others show, a single one under its own name.
    public func text(_ keys: KeyMap) -> String? {
        let bound = operations.compactMap { operation in keys.keys(operation, in: context).first.map { (operation, $0) } }
        guard let first = bound.first else { return nil }
        let name = bound.count == 1 && operations.count > 1 ? nil : self.name
        return bound.map(\.1.description).joined(separator: joiner) + " " + (name ?? keys.binding(first.0, in: context).hint)
    }
}

/// The hints of each context, in the order they show. The list's status line picks from
/// its hints by state and rank itself (``Renderer``).
public enum KeyHints {
    public static let detail = [
        KeyHint(.detailClose, in: .detail),
        KeyHint(.down, .up, in: .detail, name: "next/previous"),
        KeyHint(.toggleRead, in: .detail),
        KeyHint(.toggleStar, in: .detail),
        KeyHint(.help, in: .detail),
    ]

    public static let help = [
        KeyHint(.helpScrollDown, .helpScrollUp, in: .help, name: "scroll"),
        KeyHint(.helpPageDown, .helpPageUp, in: .help, name: "page"),
        KeyHint(.helpClose, in: .help),
    ]

    /// The source picker's bottom bar, most needed first (where they do not all fit, the
    /// last go first).
    public static let sourcePicker = [
        KeyHint(.pickerToggle, in: .sourcePicker),
        KeyHint(.pickerClose, in: .sourcePicker),
        KeyHint(.pickerShowAll, in: .sourcePicker),
        KeyHint(.pickerOnly, in: .sourcePicker),
        KeyHint(.refresh, in: .sourcePicker),
        KeyHint(.pickerDown, .pickerUp, in: .sourcePicker, name: "move"),
        KeyHint(.help, in: .sourcePicker),
    ]

    public static let filterEditor = [
        KeyHint(.editorKeep, in: .filterEditor),
        KeyHint(.editorCancel, in: .filterEditor),
    ]

    /// The replay's progress line.
    public static func replay(paused: Bool) -> [KeyHint] {
        [
            KeyHint(.pause, in: .list, name: paused ? "resume" : "pause"),
            KeyHint(.replayStep, in: .replay),
            KeyHint(.replayFaster, .replaySlower, in: .replay, name: "speed"),
            KeyHint(.replayBack, .replayForward, in: .replay, name: "±1m", joiner: " "),
            KeyHint(.help, in: .list),
            KeyHint(.quit, in: .list),
        ]
    }

    /// Hints two spaces apart, as a page's bottom bar shows them (the unbound left out).
    public static func line(_ hints: [KeyHint], _ keys: KeyMap) -> String {
        hints.compactMap { $0.text(keys) }.joined(separator: "  ")
    }
}
