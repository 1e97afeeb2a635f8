import NewsCore
import NewsUI

/// What a config file says (issue 14), checked; ``Config/init()`` is the defaults, what a
/// run without a config file uses. Only read and validated here: the view and the runs
/// take what they need from it.
public struct Config: Sendable, Equatable {
    /// `[keys]` and `[keys.CONTEXT]`: every rebinding, in file order.
    public var keys: [ConfigKeyBinding] = []
    /// `[filters]`: the saved filters, in file order (the order of the tabs).
    public var filters: [ConfigFilter] = []
    /// `[alerts]`: in file order.
    public var alerts: [ConfigAlert] = []
    /// `[open] command`: the program (and its first arguments) a headline's link is
    /// opened with; the link is its last argument. Nil: the built-in choice.
    public var openCommand: [String]? = nil
    /// `[ui] mouse`: clicks and the wheel in the view.
    public var mouse = true
    /// `[colors]`.
    public var colors = ConfigColors()

    public init() {}

    /// The defaults (no config file).
    public static let defaults = Config()
}

/// One line of `[keys]` or `[keys.CONTEXT]`: `operation = "x"` or `= ["n", "Down"]`. The
/// fields are those of NewsUI's `KeyRebinding` (on main, `KeyMap.rebinding(_:)`), plus the
/// line, for the key map's errors (a key bound twice) to name: not that type, whose name it
/// would clash with.
public struct ConfigKeyBinding: Sendable, Equatable {
    /// Nil for `[keys]` (wherever the operation holds); else the `[keys.CONTEXT]` section's.
    public var context: KeyContext?
    public var operation: Operation
    /// The new keys; empty unbinds (`""` or `[]`).
    public var keys: [Key]
    /// The line of the operation's name in the file.
    public var line: Int

    public init(context: KeyContext?, operation: Operation, keys: [Key], line: Int) {
        self.context = context
        self.operation = operation
        self.keys = keys
        self.line = line
    }
}

/// `name = "query"` in `[filters]`.
public struct ConfigFilter: Sendable, Equatable {
    public var name: String
    public var query: Query
    public var line: Int

    public init(name: String, query: Query, line: Int) {
        self.name = name
        self.query = query
        self.line = line
    }
}

/// `name = { query = "...", bell = true }` in `[alerts]`.
public struct ConfigAlert: Sendable, Equatable {
    public var name: String
    public var query: Query
    /// Ring the terminal's bell when a headline matches (default false).
    public var bell: Bool
    public var line: Int

    public init(name: String, query: Query, bell: Bool = false, line: Int) {
        self.name = name
        self.query = query
        self.bell = bell
        self.line = line
    }
}

/// `[colors]`: the styles of the view's elements, and `[colors.sources]` a colour per source.
/// A value is words: a colour (`default`, `black`, `red`, `green`, `yellow`, `blue`,
/// `magenta`, `cyan`, `white`), `on` and a background colour, and the attributes `bold`,
/// `underline`, `reverse`, `dim`: `"bold yellow on blue"` (see ``ColorSpec``).
/// In monochrome (a terminal without colour, `NO_COLOR`, `--color never`) none of it applies.
public struct ConfigColors: Sendable, Equatable {
    /// The elements that can be given a style: NewsUI's, with their defaults and help.
    public typealias Element = ThemeElement

    /// The element styles given in the file (an element not given keeps ``Element/defaultStyle``).
    public var elements: [Element: Style] = [:]
    /// `[colors.sources]`: a source's colour (a foreground and maybe bold), in file order.
    public var sources: [SourceColorRule] = []

    public init() {}

    /// The style of `element`: the file's, else the default.
    public func style(_ element: Element) -> Style { elements[element] ?? element.defaultStyle }
}

/// `name = "cyan"` in `[colors.sources]`.
public struct SourceColorRule: Sendable, Equatable {
    public var source: String
    /// Only the foreground and bold are set.
    public var style: Style
    public var line: Int

    public init(source: String, style: Style, line: Int) {
        self.source = source
        self.style = style
        self.line = line
    }
}
