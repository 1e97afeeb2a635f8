/// What the config file's `[colors]` can style, with the look each has without it. The
/// names are stable: `[colors]` uses them (`bar = "white on black"`).
public enum ThemeElement: String, CaseIterable, Sendable {
    case bar, barTitle, barDim, barAlert, selected, unread, highlight, tab, tabCurrent, alert

    /// The look without a config file.
    public var defaultStyle: Style {
        switch self {
        case .bar: return Style(foreground: .white, background: .blue)
        case .barTitle: return Style(foreground: .white, background: .blue, bold: true)
        case .barDim: return Style(foreground: .black, background: .blue)
        case .barAlert: return Style(foreground: .yellow, background: .blue, bold: true)
        case .selected: return Style(reverse: true)
        case .unread: return Style(bold: true)
        case .highlight: return Style(foreground: .black, background: .yellow)
        case .tab: return Style(foreground: .cyan)
        case .tabCurrent: return Style(foreground: .black, background: .cyan, bold: true)
        case .alert: return Style(foreground: .red, bold: true)
        }
    }

    /// What it is, for docs and the default config file.
    public var help: String {
        switch self {
        case .bar: return "the header and the status line"
        case .barTitle: return "the title and the filter on the bars"
        case .barDim: return "quieter text on the bars"
        case .barAlert: return "messages and warnings on the bars"
        case .selected: return "the selected row"
        case .unread: return "an unread headline's title (with a store)"
        case .highlight: return "the filter's words in titles"
        case .tab: return "a saved filter's tab"
        case .tabCurrent: return "the current tab"
        case .alert: return "a headline that matched an alert, and the alerts' count"
        }
    }
}

/// The config file's `[colors]`: element styles and source colours over the defaults. In
/// monochrome (`NO_COLOR`, `--color never`, a terminal without colour) none of it applies.
public struct ThemeColors: Sendable, Equatable {
    public var elements: [ThemeElement: Style]
    /// A source's colour by name (a foreground, maybe bold), over its palette colour.
    public var sources: [String: Style]

    public init(elements: [ThemeElement: Style] = [:], sources: [String: Style] = [:]) {
        self.elements = elements
        self.sources = sources
    }
}

extension Style {
    /// The escape sequence that starts this style on an ANSI terminal (`ESC [1;31m`), for
    /// `--plain`'s coloured source names.
    public var ansi: String {
        var codes: [String] = []
        if bold { codes.append("1") }
        if dim { codes.append("2") }
        if underline { codes.append("4") }
        if reverse { codes.append("7") }
        if foreground != .default { codes.append(String(29 + Int(foreground.rawValue))) }
        if background != .default { codes.append(String(39 + Int(background.rawValue))) }
        return "\u{1B}[" + (codes.isEmpty ? "0" : codes.joined(separator: ";")) + "m"
    }

    /// This style with what `other` sets laid over it: its colours where they are not the
    /// default, its attributes added.
    public func overlaid(by other: Style) -> Style {
        Style(foreground: other.foreground == .default ? foreground : other.foreground,
              background: other.background == .default ? background : other.background,
              bold: bold || other.bold, underline: underline || other.underline,
              reverse: reverse || other.reverse, dim: dim || other.dim)
    }
}
