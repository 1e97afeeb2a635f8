/// One change of a key map, as a config file's `[keys]` section asks it: `down = ["n", "Down"]`
/// (no context: every entry of the operation) or `[keys.detail] down = "n"` (the entry that
/// holds in that context only). The keys replace the operation's defaults; no keys unbinds it.
public struct KeyRebinding: Equatable, Sendable {
    public var operation: Operation
    /// Nil: every entry of the operation (the `[keys]` section).
    public var context: KeyContext?
    public var keys: [Key]

    public init(operation: Operation, context: KeyContext? = nil, keys: [Key]) {
        self.operation = operation
        self.context = context
        self.keys = keys
    }
}

/// Why a set of ``KeyRebinding``s cannot make a key map. The data are there for the config
/// reader (which knows the file and line); ``description`` is the message for the person.
public enum KeyMapError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The operation has no entry in the context named (`[keys.help] open = "x"`): it holds
    /// in `holdsIn` only.
    case notInContext(Operation, context: KeyContext, holdsIn: [KeyContext])
    /// After every change, `key` means two operations where they hold together (one
    /// context, or a replay's and the list's). `byDefault` is the one of them that was not
    /// rebound, whose default key it is (nil when both were rebound).
    case boundTwice(Key, first: Operation, firstContext: KeyContext, second: Operation, secondContext: KeyContext, byDefault: Operation?)
    /// Ctrl-C always quits (``KeyMap/quitKey``): it cannot be bound to another operation.
    case fixedKey(Key, operation: Operation)
    /// A character bound in the filter editor, where every character types itself.
    case typedInEditor(Key, operation: Operation)

    public var description: String {
        switch self {
        case .notInContext(let operation, let context, let holdsIn):
            return "\(operation.rawValue) cannot be bound in \(context.rawValue): it holds only in "
                + KeyMapError.list(holdsIn.map(\.rawValue))
        case .boundTwice(let key, let first, let firstContext, let second, let secondContext, let byDefault):
            var text = "\(key.name) is bound to both \(first.rawValue) and \(second.rawValue) in \(firstContext.rawValue)"
            if firstContext != secondContext {
                text = "\(key.name) is bound to both \(first.rawValue) in \(firstContext.rawValue) and \(second.rawValue) in "
                    + "\(secondContext.rawValue), and a replay's keys hold in the list too"
            }
            if let byDefault { text += " (\(key.name) is \(byDefault.rawValue)'s default: rebind or unbind \(byDefault.rawValue) too)" }
            return text
        case .fixedKey(let key, let operation):
            return "\(key.name) always quits, in every context, so that the terminal can always be left: it cannot be bound to \(operation.rawValue)"
        case .typedInEditor(let key, let operation):
            return "\(key.name) cannot be bound to \(operation.rawValue): in the filter editor every character types itself "
                + "(bind a key such as Ctrl-x, Tab, Shift-Tab or F1-F12)"
        }
    }

    /// "list", "list and detail", "list, detail and sources".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}

/// The keys in force: the table of ``Binding``s (in help-screen order) and the look-up of a
/// key's operation in each context. ``standard`` is ``KeyBindings/table``; ``rebinding(_:)``
/// makes another one from a config's changes. ``AppState`` dispatches through
/// ``AppConfig/keys``, and ``HelpPage`` and ``KeyHints`` show it.
///
/// Ctrl-C (``quitKey``) quits in every context whatever the changes: a rebinding of `quit`
/// replaces its other keys and keeps Ctrl-C, and Ctrl-C cannot be bound to anything else.
/// (In the terminal Ctrl-C is a signal anyway, which quits even while the app is busy.)
public struct KeyMap: Sendable {
    /// Every binding in force, in help-screen order. An entry with no keys is unbound.
    public private(set) var table: [Binding]
    private var byKey: [KeyContext: [Key: Operation]]

    /// The default keys.
    public static let standard = KeyMap(table: KeyBindings.table)

    /// The key that quits everywhere and cannot be rebound.
    public static let quitKey = Key.ctrl("c")

    /// The contexts whose keys hold at the same time (a replay's keys hold in the list):
    /// a key may mean one operation in each group only.
    static let activeTogether: [[KeyContext]] = [[.list, .replay], [.detail], [.help], [.filterEditor], [.sourcePicker]]

    init(table: [Binding]) {
        self.table = table
        var map: [KeyContext: [Key: Operation]] = [:]
        for binding in table {
            for context in binding.contexts {
                for key in binding.keys where map[context]?[key] == nil { map[context, default: [:]][key] = binding.operation }
            }
        }
        byKey = map
    }

    /// The operation `key` performs in the first of `contexts` that binds it.
    public func operation(for key: Key, in contexts: [KeyContext]) -> Operation? {
        for context in contexts {
            if let operation = byKey[context]?[key] { return operation }
        }
        return nil
    }

    /// The entry of `operation` (in `context`, when given). Every operation has one in
    /// every context it holds in, bound or not.
    public func binding(_ operation: Operation, in context: KeyContext? = nil) -> Binding {
        table.first { $0.operation == operation && (context.map($0.contexts.contains) ?? true) }!
    }

    /// The keys of `operation` in `context` (none: unbound there, or it does not hold there).
    public func keys(_ operation: Operation, in context: KeyContext) -> [Key] {
        table.first { $0.operation == operation && $0.contexts.contains(context) }?.keys ?? []
    }

    /// The contexts `operation` holds in, in ``KeyContext`` order.
    public func contexts(of operation: Operation) -> [KeyContext] {
        let held = Set(table.filter { $0.operation == operation }.flatMap(\.contexts))
        return KeyContext.allCases.filter(held.contains)
    }

    /// "j/↓" for the help screen; "(unbound)" for no keys.
    public static func keyList(_ binding: Binding) -> String {
        binding.keys.isEmpty ? unbound : binding.keys.map(\.description).joined(separator: "/")
    }

    /// What the help screen shows for an operation with no keys.
    public static let unbound = "(unbound)"

    private struct Place: Hashable {
        var operation: Operation
        var context: KeyContext
    }

    /// This map with `changes` made. The changes without a context are made first, then
    /// the ones for one context (so `[keys.detail] down` wins over `[keys] down`, in
    /// whatever order they come); of two changes of the same entry the later wins. A
    /// change for one context of an entry that holds in several splits it: the other
    /// contexts keep their keys. A `[keys]` change of `quit` leaves the entry that makes
    /// Ctrl-C quit in the other contexts (``Binding/safety``) as it is.
    public func rebinding(_ changes: [KeyRebinding]) throws(KeyMapError) -> KeyMap {
        var table = self.table
        var rebound: Set<Place> = []
        let ordered = changes.filter { $0.context == nil } + changes.filter { $0.context != nil }
        for change in ordered {
            var keys: [Key] = []
            for key in change.keys where !keys.contains(key) { keys.append(key) }
            if change.operation == .quit {
                keys.removeAll { $0 == Self.quitKey }
                keys.append(Self.quitKey)
            } else if keys.contains(Self.quitKey) {
                throw .fixedKey(Self.quitKey, operation: change.operation)
            }
            if let context = change.context {
                guard let index = table.firstIndex(where: { $0.operation == change.operation && $0.contexts.contains(context) }) else {
                    throw .notInContext(change.operation, context: context, holdsIn: contexts(of: change.operation))
                }
                if table[index].contexts.count > 1 {
                    var split = table[index]
                    split.contexts = [context]
                    split.keys = keys
                    split.safety = false
                    table[index].contexts.removeAll { $0 == context }
                    table.insert(split, at: index + 1)
                } else {
                    table[index].keys = keys
                    table[index].safety = false
                }
                rebound.insert(Place(operation: change.operation, context: context))
            } else {
                for index in table.indices where table[index].operation == change.operation && !table[index].safety {
                    table[index].keys = keys
                    for context in table[index].contexts { rebound.insert(Place(operation: change.operation, context: context)) }
                }
            }
        }
        for binding in table where binding.contexts.contains(.filterEditor) {
            for key in binding.keys {
                if case .char = key { throw .typedInEditor(key, operation: binding.operation) }
            }
        }
        for group in Self.activeTogether {
            var seen: [Key: Place] = [:]
            for binding in table {
                guard let context = binding.contexts.first(where: group.contains) else { continue }
                let place = Place(operation: binding.operation, context: context)
                for key in binding.keys {
                    guard let earlier = seen[key] else {
                        seen[key] = place
                        continue
                    }
                    guard earlier.operation != place.operation else { continue }
                    let byDefault = !rebound.contains(earlier) ? earlier.operation : !rebound.contains(place) ? place.operation : nil
                    throw .boundTwice(key, first: earlier.operation, firstContext: earlier.context, second: place.operation, secondContext: place.context,
                                      byDefault: byDefault)
                }
            }
        }
        return KeyMap(table: table)
    }
}
