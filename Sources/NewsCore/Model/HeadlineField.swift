/// The optional fields of a ``Headline``: the one list that the recording writer and
/// reader, the history and the detail view go through.
///
/// Adding a field: a `case` here, its stored property on ``Headline`` (and its `init`
/// parameter), then whatever the compiler points at. Every property below, and every
/// per-module decision elsewhere (`HeadlineField+History.swift` in the history, the
/// import command's option), is an exhaustive `switch`, so each place must decide. The
/// round-trip test in `HeadlineFieldTests` walks `allCases` and covers the new field
/// from writer to detail view without being edited.
///
/// The declaration order is the order of the keys in a recorded event line.
public enum HeadlineField: Int, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case outlet
    case summary
    case url
    /// What the reader should know about the headline as imported: "the date could not be
    /// read" (its `published` is then the time the feed was read).
    case note

    /// Its key in a recording's event line (`docs/recording-format.md`).
    public var key: StaticString {
        switch self {
        case .outlet: "outlet"
        case .summary: "summary"
        case .url: "url"
        case .note: "note"
        }
    }

    /// Its label in the detail view.
    public var label: String {
        switch self {
        case .outlet: "Outlet"
        case .summary: "Summary"
        case .url: "URL"
        case .note: "Note"
        }
    }

    /// The row of the detail view that the field is listed after. The fixed rows are
    /// Source, Published and ID; fields after the same row follow declaration order.
    public var detailAfter: DetailRow {
        switch self {
        case .outlet: .source
        case .url: .id
        case .summary: .field(.url)
        case .note: .field(.summary)
        }
    }

    /// Whether the detail view lists the field (as "—") on a headline without it: a note
    /// is there only when something is worth saying.
    public var shownWhenMissing: Bool {
        switch self {
        case .outlet, .summary, .url: true
        case .note: false
        }
    }

    /// Header names that `import` takes for this field when it is not named (the first
    /// one found, case-insensitively); an empty list: only a named column is read.
    public var importNames: [String] {
        switch self {
        case .outlet: []
        case .summary: ["summary", "description", "short_description", "abstract"]
        case .url: ["url", "link"]
        case .note: []
        }
    }

    public var description: String { key.description }

    /// Calls `body` with each field in declaration order without building an array (the
    /// synthesized `allCases` is an array literal, built per call unless the optimizer
    /// outlines it): for the per-headline paths, the recording writer and reader.
    @inline(__always)
    public static func forEach(_ body: (HeadlineField) -> Void) {
        var raw = 0
        while let field = HeadlineField(rawValue: raw) {
            body(field)
            raw += 1
        }
    }

    /// A row of the detail view, to place a field after.
    public enum DetailRow: Hashable, Sendable {
        case source, published, id
        case field(HeadlineField)
    }

    /// The fields listed after `row` in the detail view, each followed by the fields
    /// listed after it.
    public static func listed(after row: DetailRow) -> [HeadlineField] {
        var out: [HeadlineField] = []
        for field in allCases where field.detailAfter == row {
            out.append(field)
            out += listed(after: .field(field))
        }
        return out
    }
}

extension Headline {
    /// The value of an optional field.
    public subscript(field: HeadlineField) -> String? {
        get {
            switch field {
            case .outlet: outlet
            case .summary: summary
            case .url: url
            case .note: note
            }
        }
        set {
            switch field {
            case .outlet: outlet = newValue
            case .summary: summary = newValue
            case .url: url = newValue
            case .note: note = newValue
            }
        }
    }
}
