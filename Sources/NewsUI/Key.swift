/// A key press, as the app sees it (the terminal backend translates from ncurses).
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    /// Ctrl plus a letter (lower case): `.ctrl("u")` is Ctrl-U.
    case ctrl(Character)
    case enter, escape, backspace, delete, tab
    case up, down, left, right, pageUp, pageDown, home, end

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

/// What a key does. One table (``KeyBindings/table``) maps keys to operations and
/// generates the help screen and the status-line hints.
public enum Operation: String, CaseIterable, Sendable {
    case editFilter, clearFilter
    case down, up, pageDown, pageUp, newest, oldest
    case open, close
    case pause
    case toggleSource1, toggleSource2, toggleSource3
    case toggleTime, help, quit
    // Replays only.
    case replayStep, replayFaster, replaySlower, replayForward, replayBack
}

public struct Binding: Sendable {
    public var operation: Operation
    /// Short name for the status line ("filter", "pause").
    public var name: String
    public var keys: [Key]
    public var help: String
    /// Only when replaying a recording.
    public var replayOnly = false
}

public enum KeyBindings {
    /// Every key of the list view, in help-screen order.
    public static let table: [Binding] = [
        Binding(operation: .editFilter, name: "filter", keys: [.char("/")],
                help: "Edit the filter; the list re-filters as you type. Enter keeps it, Esc restores the previous one, Ctrl-U clears the line."),
        Binding(operation: .clearFilter, name: "clear", keys: [.char("\\")], help: "Clear the filter (sources hidden with 1-3 stay hidden)."),
        Binding(operation: .down, name: "down", keys: [.char("j"), .down], help: "Select the next (older) headline."),
        Binding(operation: .up, name: "up", keys: [.char("k"), .up], help: "Select the previous (newer) headline."),
        Binding(operation: .pageDown, name: "page down", keys: [.pageDown, .ctrl("f")], help: "One page down (older)."),
        Binding(operation: .pageUp, name: "page up", keys: [.pageUp, .ctrl("b")], help: "One page up (newer)."),
        Binding(operation: .newest, name: "live", keys: [.char("G"), .end],
                help: "Jump to the newest headline and follow the live feed (also resumes after a pause). Once you move the selection or open a headline, new arrivals leave it where it is, until G."),
        Binding(operation: .oldest, name: "oldest", keys: [.char("g"), .home], help: "Jump to the oldest headline in history."),
        Binding(operation: .open, name: "open", keys: [.enter], help: "Show the selected headline in full: title, source, outlet, time, id, URL."),
        Binding(operation: .close, name: "close", keys: [.escape], help: "Close the detail or help view."),
        Binding(operation: .pause, name: "pause", keys: [.char(" ")],
                help: "Pause the list: headlines keep arriving into history but the list stands still. Again to resume. In a replay: pause the replay itself."),
        Binding(operation: .replayStep, name: "step", keys: [.char(".")], help: "While the replay is paused: play the next headline.", replayOnly: true),
        Binding(operation: .replayFaster, name: "faster", keys: [.char("+"), .char("=")], help: "Replay twice as fast.", replayOnly: true),
        Binding(operation: .replaySlower, name: "slower", keys: [.char("-")], help: "Replay half as fast.", replayOnly: true),
        Binding(operation: .replayForward, name: "+1m", keys: [.char("]")], help: "Jump one minute of the recording forward.", replayOnly: true),
        Binding(operation: .replayBack, name: "-1m", keys: [.char("[")], help: "Jump one minute of the recording back.", replayOnly: true),
        Binding(operation: .toggleSource1, name: "tech", keys: [.char("1")], help: "Show or hide the first source (tech)."),
        Binding(operation: .toggleSource2, name: "sports", keys: [.char("2")], help: "Show or hide the second source (sports)."),
        Binding(operation: .toggleSource3, name: "world", keys: [.char("3")], help: "Show or hide the third source (world)."),
        Binding(operation: .toggleTime, name: "time", keys: [.char("t")], help: "Switch between relative (4s, 2m) and clock times."),
        Binding(operation: .help, name: "help", keys: [.char("?")], help: "Show this help: j/k, ↓/↑, PgDn/PgUp and Space scroll it, any other key closes it."),
        Binding(operation: .quit, name: "quit", keys: [.char("q"), .ctrl("c")], help: "Quit (q closes a detail or help view first; Ctrl-C always quits)."),
    ]

    private static let byKey: [Key: Operation] = {
        var map: [Key: Operation] = [:]
        for binding in table { for key in binding.keys { map[key] = binding.operation } }
        return map
    }()

    public static func operation(for key: Key) -> Operation? { byKey[key] }

    public static func binding(_ operation: Operation) -> Binding {
        table.first { $0.operation == operation }!
    }

    /// "j/↓" for the help screen.
    public static func keyList(_ binding: Binding) -> String {
        binding.keys.map(\.description).joined(separator: "/")
    }
}
