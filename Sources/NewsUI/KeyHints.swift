/// One hint of a status line or a page's bottom bar: the first key of each operation,
/// then a short name ("j/k next/previous", "[ ] ±1m"). The keys come from
/// ``KeyBindings/table``, so a rebound key shows as it is bound.
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

    public var text: String {
        let keys = operations.map { KeyBindings.binding($0, in: context).keys[0].description }
        return keys.joined(separator: joiner) + " " + (name ?? KeyBindings.binding(operations[0], in: context).hint)
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

    /// Hints two spaces apart, as a page's bottom bar shows them.
    public static func line(_ hints: [KeyHint]) -> String {
        hints.map(\.text).joined(separator: "  ")
    }
}
