/// What the person's config file says about the view (issue 14): keys, saved filters,
/// alerts, colours, the mouse and the program links open with. Plain data, laid onto an
/// ``AppConfig`` by the session that builds it; the defaults are a run without a config.
public struct ViewPreferences: Sendable {
    public var keys: KeyMap = .standard
    public var filters: [SavedFilter] = []
    public var alerts: [AlertRule] = []
    public var colors = ThemeColors()
    public var mouse = true
    /// `[open] command`: nil for the built-in choice ($BROWSER, else xdg-open).
    public var openCommand: [String]?

    public init() {}

    /// `config` with these preferences.
    public func apply(to config: inout AppConfig) {
        config.keys = keys
        config.filters = filters
        config.alerts = alerts
        config.colors = colors
        config.mouse = mouse
    }
}
