/// What to import, and how.
public struct ImportOptions: Sendable {
    public var input: String
    /// Where the input's bytes are read when not from `input` itself (`input` then only
    /// names it in messages and the recording): a relay of a pipe whose start was read to
    /// tell its format (`newsdesk import - --out x`).
    public var readFrom: String?
    public var output: String
    public var format: ImportFormat
    public var title: FieldSpec?
    public var time: FieldSpec?
    public var source: FieldSpec?
    public var id: FieldSpec?
    /// The optional fields named or numbered on the command line; the others are taken
    /// from a column named like one of their ``HeadlineField/importNames``, if any.
    public var fields: [HeadlineField: FieldSpec] = [:]
    public var header = true
    public var timeFormat: TimeFormat = .automatic
    public var rename: [String: String] = [:]
    public var only: Set<String>?
    /// Spacing between events when there is no time field (milliseconds).
    public var interval: Int64?
    public var strict = false
    public var overwrite = false
    /// Rows sorted in memory at most (no limit but the budget unless set): more spill to
    /// sorted runs on disk.
    public var runSize = Int.max
    /// Bytes of rows kept in memory (their encoded events and sort keys) before they spill
    /// to sorted runs on disk: 256 MiB keeps a million-row import in memory (issue 16).
    public var memoryBudget = 256 << 20

    public init(input: String, output: String, format: ImportFormat) {
        self.input = input
        self.output = output
        self.format = format
    }
}

extension ImportOptions {
    /// Every field given, fixed ones first: checked against the header before any row is read.
    var givenSpecs: [FieldSpec] {
        [title, time, source, id].compactMap { $0 } + HeadlineField.allCases.compactMap { fields[$0] }
    }
}
