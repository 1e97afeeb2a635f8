/// Keys by name, as a config file writes them (`quit = "x"`, `down = ["n", "Down"]`):
/// a character (`x`, `?`, `é`), `Ctrl-x`, `Enter`, `Esc`, `Tab`, `Shift-Tab`, `Space`,
/// `Backspace`, `Del`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`, `Home`, `End`,
/// `F1`-`F12`. Names are case-insensitive apart from single characters (`G` is not `g`);
/// `Ctrl-X` and `Ctrl-x` are the same key. ``name`` writes a key back the way it is parsed.
extension Key {
    /// The named keys, in the order the error message lists them.
    static let named: [(String, Key)] = [
        ("Enter", .enter), ("Esc", .escape), ("Tab", .tab), ("Shift-Tab", .shiftTab),
        ("Space", .char(" ")), ("Backspace", .backspace), ("Del", .delete),
        ("Up", .up), ("Down", .down), ("Left", .left), ("Right", .right),
        ("PgUp", .pageUp), ("PgDn", .pageDown), ("Home", .home), ("End", .end),
    ]

    /// Other spellings people write for the same keys.
    private static let aliases: [String: Key] = [
        "return": .enter, "escape": .escape, "delete": .delete, "backtab": .shiftTab,
        "pageup": .pageUp, "pagedown": .pageDown,
    ]

    /// The key `name` names, or nil when it names none (see ``nameSyntax``).
    public init?(name: String) {
        if name.count == 1, let c = name.first {
            // A control character, a tab or a space typed into the file is not a key name:
            // say Tab or Space.
            guard let scalar = c.unicodeScalars.first, scalar.value >= 0x21, scalar.value != 0x7F,
                  !(0x80...0x9F).contains(scalar.value) else { return nil }
            self = .char(c)
            return
        }
        let lower = name.lowercased()
        if lower.hasPrefix("ctrl-"), name.count == 6, let c = lower.last, ("a"..."z").contains(c) {
            self = .ctrl(c)
            return
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n), !lower.dropFirst().hasPrefix("0") {
            self = .function(n)
            return
        }
        if let key = Key.named.first(where: { $0.0.lowercased() == lower })?.1 ?? Key.aliases[lower] {
            self = key
            return
        }
        return nil
    }

    /// The key's name as ``init(name:)`` reads it (`Ctrl-u`, `PgDn`, `F5`, `x`).
    public var name: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-\(c)"
        case .function(let n): return "F\(n)"
        default: return Key.named.first { $0.1 == self }?.0 ?? description
        }
    }

    /// What a key name may be, for an error message.
    public static let nameSyntax =
        "a character, Ctrl-a to Ctrl-z, " + named.map(\.0).joined(separator: ", ") + " or F1-F12"
}
