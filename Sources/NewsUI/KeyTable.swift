import NewsCore

/// Where a key is pressed. The same key means different things in different contexts
/// (`j` moves the selection in the list, scrolls in the help, types a `j` in the filter
/// editor), so every binding names the contexts it holds in.
public enum KeyContext: String, CaseIterable, Sendable {
    case list
    /// One headline in full (Enter).
    case detail
    /// The help screen (`?`).
    case help
    /// The filter line being edited (`/`).
    case filterEditor = "editor"
    /// Replays only; active together with ``list``.
    case replay
    /// The source picker (`S`): every source, its colour, count and whether it is shown.
    case sourcePicker = "sources"
}

/// What a key does. The raw values are stable identifiers, meant to outlive a rename of
/// the case: a config file will rebind keys by these names (`quit`, `help.scrollDown`).
/// An operation that means the same in several contexts (`down` in the list and the
/// detail view) is one operation, so that rebinding it rebinds it everywhere.
public enum Operation: String, CaseIterable, Sendable {
    case editFilter, clearFilter
    /// The next or the previous saved filter (the header's tabs, "all" among them).
    case nextFilter, previousFilter
    case down, up, pageDown, pageUp, newest, oldest
    case open
    /// Open the selected headline's link in the browser (an http, https or file URL).
    case openLink
    /// The reader's marks (issue 13): read or unread, starred, and listing by them.
    case toggleRead, markAllRead, toggleStar, unreadOnly, starredOnly
    /// Search the whole store with the filter (the results replace the list), and back.
    case searchStore, leaveSearch
    case pause
    /// Show or hide the first to ninth source (in the session's order: the header's).
    case toggleSource1, toggleSource2, toggleSource3, toggleSource4, toggleSource5
    case toggleSource6, toggleSource7, toggleSource8, toggleSource9
    /// Open the source picker.
    case sourcePicker
    /// Poll feeds fetched over HTTP now: every one from the list, the selected one from the sources screen.
    case refresh
    case toggleTime, help, quit
    // Replays only.
    case replayStep, replayFaster, replaySlower, replayForward, replayBack
    // The detail view.
    case detailClose = "detail.close"
    // The help screen.
    case helpScrollDown = "help.scrollDown", helpScrollUp = "help.scrollUp"
    case helpPageDown = "help.pageDown", helpPageUp = "help.pageUp"
    case helpClose = "help.close"
    // The filter editor.
    case editorKeep = "editor.keep", editorCancel = "editor.cancel"
    case editorClearLine = "editor.clearLine", editorDeleteWord = "editor.deleteWord"
    case editorDeleteBack = "editor.deleteBack", editorDeleteForward = "editor.deleteForward"
    case editorLeft = "editor.left", editorRight = "editor.right"
    case editorStart = "editor.start", editorEnd = "editor.end"
    case editorSpace = "editor.space"
    // The source picker.
    case pickerDown = "sources.down", pickerUp = "sources.up"
    case pickerPageDown = "sources.pageDown", pickerPageUp = "sources.pageUp"
    case pickerFirst = "sources.first", pickerLast = "sources.last"
    case pickerToggle = "sources.toggle", pickerShowAll = "sources.showAll"
    case pickerOnly = "sources.only", pickerClose = "sources.close"

    /// The source a `toggleSourceN` operation toggles (0 for the first), nil for any other.
    public var toggledSource: Int? {
        switch self {
        case .toggleSource1: return 0
        case .toggleSource2: return 1
        case .toggleSource3: return 2
        case .toggleSource4: return 3
        case .toggleSource5: return 4
        case .toggleSource6: return 5
        case .toggleSource7: return 6
        case .toggleSource8: return 7
        case .toggleSource9: return 8
        default: return nil
        }
    }

    /// The operations that toggle the first nine sources, in order.
    public static let sourceToggles: [Operation] = [
        .toggleSource1, .toggleSource2, .toggleSource3, .toggleSource4, .toggleSource5,
        .toggleSource6, .toggleSource7, .toggleSource8, .toggleSource9,
    ]
}

/// One entry of the key table: an operation, where it holds, its keys and what the help
/// screen and the status line say about it.
public struct Binding: Sendable {
    public var operation: Operation
    public var contexts: [KeyContext]
    public var keys: [Key]
    /// Short name for the status line ("filter", "pause").
    public var hint: String
    public var help: String
    /// Consecutive bindings of one group show as one entry on the help screen (`1-9`,
    /// with the first one's help), where nine lines would say the same nine times.
    public var helpGroup: String?
    /// The entry that makes Ctrl-C quit where nothing else does: a rebinding of `quit`
    /// without a context leaves it (``KeyMap/rebinding(_:)``).
    var safety = false

    public init(_ operation: Operation, _ contexts: [KeyContext], keys: [Key], hint: String, help: String, helpGroup: String? = nil) {
        self.operation = operation
        self.contexts = contexts
        self.keys = keys
        self.hint = hint
        self.help = help
        self.helpGroup = helpGroup
    }

    init(_ operation: Operation, _ contexts: [KeyContext], keys: [Key], hint: String, help: String, safety: Bool) {
        self.init(operation, contexts, keys: keys, hint: hint, help: help)
        self.safety = safety
    }
}

/// The one key table, as it is by default (``KeyMap/standard``): ``AppState`` dispatches
/// through the map in force (``AppConfig/keys``, this table with a config's changes), and
/// ``HelpPage`` and ``KeyHints`` are generated from it. An operation may have one entry per
/// context where its keys differ (Ctrl-C quits everywhere, `q` only in the list).
public enum KeyBindings {
    /// Every binding by default, in help-screen order.
    public static let table: [Binding] = [
        // The list (and, in a replay, the replay's own keys among them).
        Binding(.editFilter, [.list], keys: [.char("/")], hint: "filter",
                help: "Edit the filter; the list re-filters as you type. Enter keeps it, Esc restores the previous one, Ctrl-U clears the line."),
        Binding(.clearFilter, [.list], keys: [.char("\\")], hint: "clear", help: "Clear the filter (hidden sources stay hidden)."),
        Binding(.nextFilter, [.list], keys: [.tab], hint: "next filter",
                help: "The next saved filter (the config file's [filters], tabs under the header, \"all\" first); / edits it as any filter."),
        Binding(.previousFilter, [.list], keys: [.shiftTab], hint: "previous filter", help: "The previous saved filter."),
        Binding(.down, [.list, .detail], keys: [.char("j"), .down], hint: "down", help: "Select the next (older) headline; in the detail view, show it (marked read, with a store)."),
        Binding(.up, [.list, .detail], keys: [.char("k"), .up], hint: "up", help: "Select the previous (newer) headline."),
        Binding(.pageDown, [.list], keys: [.pageDown, .ctrl("f")], hint: "page down", help: "One page down (older)."),
        Binding(.pageUp, [.list], keys: [.pageUp, .ctrl("b")], hint: "page up", help: "One page up (newer)."),
        Binding(.newest, [.list], keys: [.char("G"), .end], hint: "live",
                help: "Jump to the newest headline and follow the live feed (also resumes after a pause). Once you move the selection or open a headline, new arrivals leave it where it is, until G."),
        Binding(.oldest, [.list], keys: [.char("g"), .home], hint: "oldest", help: "Jump to the oldest headline in history."),
        Binding(.open, [.list], keys: [.enter], hint: "open", help: "Show the selected headline in full: its title, source, time, id and every field it has (" + HeadlineField.allCases.map(\.label).joined(separator: ", ") + "); it is marked read."),
        Binding(.openLink, [.list, .detail], keys: [.char("o")], hint: "open link",
                help: "Open the selected headline's link in the browser ($BROWSER, else xdg-open; never through a shell): http, https and file links only."),
        Binding(.toggleRead, [.list, .detail], keys: [.char("r")], hint: "read", help: "Mark the selected headline read, or unread again."),
        Binding(.markAllRead, [.list], keys: [.char("A")], hint: "all read",
                help: "Mark every listed headline read: the whole filtered list, not only the screen."),
        Binding(.toggleStar, [.list, .detail], keys: [.char("s")], hint: "star", help: "Star the selected headline, or take its star away."),
        Binding(.unreadOnly, [.list], keys: [.char("u")], hint: "unread",
                help: "List only unread headlines, or all again (apart from the filter; the header says so). One read meanwhile stays listed until the list is filtered again."),
        Binding(.starredOnly, [.list], keys: [.char("*")], hint: "starred", help: "List only starred headlines, or all again (apart from the filter)."),
        Binding(.searchStore, [.list], keys: [.char("F")], hint: "search store",
                help: "Search the whole store with the filter (beyond the history in memory, as newsdesk search does): the matches replace the list, newest first, while live headlines keep arriving behind them. F or Esc goes back to the live list."),
        Binding(.leaveSearch, [.list], keys: [.escape], hint: "back", help: "Back from the store's search results to the live list."),
        Binding(.pause, [.list], keys: [.char(" ")], hint: "pause",
                help: "Pause the list: headlines keep arriving into history but the list stands still. Again to resume. In a replay: pause the replay itself."),
        Binding(.replayStep, [.replay], keys: [.char(".")], hint: "step", help: "While the replay is paused: play the next headline."),
        Binding(.replayFaster, [.replay], keys: [.char("+"), .char("=")], hint: "faster", help: "Replay twice as fast."),
        Binding(.replaySlower, [.replay], keys: [.char("-")], hint: "slower", help: "Replay half as fast."),
        Binding(.replayForward, [.replay], keys: [.char("]")], hint: "+1m", help: "Jump one minute of the recording forward."),
        Binding(.replayBack, [.replay], keys: [.char("[")], hint: "-1m", help: "Jump one minute of the recording back."),
        Binding(.toggleSource1, [.list, .sourcePicker], keys: [.char("1")], hint: "source 1",
                help: "Show or hide the first nine sources, one key each, in the header's order (apart from the filter; the header says which are off). S lists them all.", helpGroup: "toggleSource"),
        Binding(.toggleSource2, [.list, .sourcePicker], keys: [.char("2")], hint: "source 2",
                help: "Show or hide the second source (apart from the filter).", helpGroup: "toggleSource"),
        Binding(.toggleSource3, [.list, .sourcePicker], keys: [.char("3")], hint: "source 3",
                help: "Show or hide the third source (apart from the filter).", helpGroup: "toggleSource"),
        Binding(.toggleSource4, [.list, .sourcePicker], keys: [.char("4")], hint: "source 4",
                help: "Show or hide the fourth source (apart from the filter).", helpGroup: "toggleSource"),
        Binding(.toggleSource5, [.list, .sourcePicker], keys: [.char("5")], hint: "source 5",
                help: "Show or hide the fifth source (apart from the filter).", helpGroup: "toggleSource"),
        Binding(.toggleSource6, [.list, .sourcePicker], keys: [.char("6")], hint: "source 6",
                help: "Show or hide the sixth source (apart from the filter).", helpGroup: "toggleSource"),
        Binding(.toggleSource7, [.list, .sourcePicker], keys: [.char("7")], hint: "source 7",
                help: "Show or hide the seventh source (apart from the filter).", helpGroup: "toggleSource"),
        Binding(.toggleSource8, [.list, .sourcePicker], keys: [.char("8")], hint: "source 8",
                help: "Show or hide the eighth source (apart from the filter).", helpGroup: "toggleSource"),
        Binding(.toggleSource9, [.list, .sourcePicker], keys: [.char("9")], hint: "source 9",
                help: "Show or hide the ninth source (apart from the filter).", helpGroup: "toggleSource"),
        Binding(.sourcePicker, [.list], keys: [.char("S")], hint: "sources",
                help: "The sources screen: every source, how it is doing (for a feed over HTTP its status, last fetch and next poll), its rate and count, to show or hide any of them."),
        Binding(.refresh, [.list, .sourcePicker], keys: [.char("R")], hint: "refresh",
                help: "Poll feeds over HTTP now: every one from the list, the one under the cursor from the sources screen (a rate-limited feed not before its time)."),
        Binding(.toggleTime, [.list], keys: [.char("t")], hint: "time", help: "Switch between relative (4s, 2m) and clock times."),
        Binding(.help, [.list, .detail, .sourcePicker], keys: [.char("?")], hint: "help",
                help: "Show this help: j/k, ↓/↑, PgDn/PgUp and Space scroll it, any other key closes it."),
        Binding(.quit, [.list], keys: [.char("q"), .ctrl("c")], hint: "quit", help: "Quit (q closes a detail or help view first; Ctrl-C always quits)."),

        // The detail view (j/k and ? above hold there too).
        Binding(.detailClose, [.detail], keys: [.escape, .char("q"), .enter], hint: "close", help: "Close the headline, back to the list."),

        // The filter editor: any key not bound here that is a character is typed.
        Binding(.editorKeep, [.filterEditor], keys: [.enter], hint: "keep", help: "Keep the filter and stop editing."),
        Binding(.editorCancel, [.filterEditor], keys: [.escape], hint: "cancel", help: "Restore the filter from before editing."),
        Binding(.editorClearLine, [.filterEditor], keys: [.ctrl("u")], hint: "clear", help: "Clear the line."),
        Binding(.editorDeleteWord, [.filterEditor], keys: [.ctrl("w")], hint: "delete word", help: "Delete the word before the cursor."),
        Binding(.editorDeleteBack, [.filterEditor], keys: [.backspace], hint: "delete",
                help: "Delete the character before the cursor; on an empty line, stop editing."),
        Binding(.editorDeleteForward, [.filterEditor], keys: [.delete], hint: "delete forward", help: "Delete the character under the cursor."),
        Binding(.editorLeft, [.filterEditor], keys: [.left], hint: "left", help: "Move the cursor left."),
        Binding(.editorRight, [.filterEditor], keys: [.right], hint: "right", help: "Move the cursor right."),
        Binding(.editorStart, [.filterEditor], keys: [.home, .ctrl("a")], hint: "start", help: "Move the cursor to the start of the line."),
        Binding(.editorEnd, [.filterEditor], keys: [.end, .ctrl("e")], hint: "end", help: "Move the cursor to the end of the line."),
        Binding(.editorSpace, [.filterEditor], keys: [.tab], hint: "space", help: "Type a space."),

        // The help screen: any key not bound here closes it.
        Binding(.helpScrollDown, [.help], keys: [.char("j"), .down], hint: "down", help: "Scroll one line down."),
        Binding(.helpScrollUp, [.help], keys: [.char("k"), .up], hint: "up", help: "Scroll one line up."),
        Binding(.helpPageDown, [.help], keys: [.pageDown, .ctrl("f"), .char(" ")], hint: "page down", help: "Scroll one page down."),
        Binding(.helpPageUp, [.help], keys: [.pageUp, .ctrl("b")], hint: "page up", help: "Scroll one page up."),
        Binding(.helpClose, [.help], keys: [.escape, .char("q")], hint: "close", help: "Close the help (so does any key that does not scroll)."),

        // The source picker (S): 1-9 and ? above hold there too.
        Binding(.pickerDown, [.sourcePicker], keys: [.char("j"), .down], hint: "down", help: "Move to the next source."),
        Binding(.pickerUp, [.sourcePicker], keys: [.char("k"), .up], hint: "up", help: "Move to the previous source."),
        Binding(.pickerPageDown, [.sourcePicker], keys: [.pageDown, .ctrl("f")], hint: "page down", help: "One page down."),
        Binding(.pickerPageUp, [.sourcePicker], keys: [.pageUp, .ctrl("b")], hint: "page up", help: "One page up."),
        Binding(.pickerFirst, [.sourcePicker], keys: [.char("g"), .home], hint: "first", help: "Move to the first source."),
        Binding(.pickerLast, [.sourcePicker], keys: [.char("G"), .end], hint: "last", help: "Move to the last source."),
        Binding(.pickerToggle, [.sourcePicker], keys: [.char(" ")], hint: "show/hide", help: "Show or hide the source under the cursor."),
        Binding(.pickerShowAll, [.sourcePicker], keys: [.char("a")], hint: "all", help: "Show every source."),
        Binding(.pickerOnly, [.sourcePicker], keys: [.char("o")], hint: "only",
                help: "Show only the source under the cursor (every other one is hidden; a source that appears later is shown)."),
        Binding(.pickerClose, [.sourcePicker], keys: [.escape, .enter, .char("q"), .char("S")], hint: "close", help: "Close the list, back to the headlines."),

        // Ctrl-C quits from anywhere, whatever the config rebinds (KeyMap.quitKey).
        Binding(.quit, [.detail, .filterEditor, .help, .sourcePicker], keys: [.ctrl("c")], hint: "quit", help: "Quit.", safety: true),
    ]

    /// The operation `key` performs by default in the first of `contexts` that binds it
    /// (the app asks the map in force, ``AppConfig/keys``).
    public static func operation(for key: Key, in contexts: [KeyContext]) -> Operation? {
        KeyMap.standard.operation(for: key, in: contexts)
    }

    /// The default entry of `operation` (in `context`, when given).
    public static func binding(_ operation: Operation, in context: KeyContext? = nil) -> Binding {
        KeyMap.standard.binding(operation, in: context)
    }

    /// "j/↓" for the help screen.
    public static func keyList(_ binding: Binding) -> String { KeyMap.keyList(binding) }
}
