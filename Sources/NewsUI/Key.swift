/// A key press, as the app sees it (the terminal backend translates from ncurses).
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    /// Ctrl plus a letter (lower case): `.ctrl("u")` is Ctrl-U.
    case ctrl(Character)
    case enter, escape, backspace, delete, tab
    /// Shift-Tab (back-tab: ncurses' `KEY_BTAB`, or `ESC [ Z`).
    case shiftTab
    case up, down, left, right, pageUp, pageDown, home, end
    /// F1 to F12.
    case function(Int)

    /// How the help screen and status line name the key.
    public var description: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-\(c.uppercased())"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .shiftTab: return "Shift-Tab"
        case .function(let n): return "F\(n)"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        }
    }
}
