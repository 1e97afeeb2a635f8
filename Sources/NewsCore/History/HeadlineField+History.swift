extension HeadlineField {
    /// How the history stores a field's values.
    enum HistoryStorage {
        /// Interned to a 16-bit number per headline (a column of its own): for values that
        /// repeat, such as outlet names. Past 65,535 distinct values, the rest go to the
        /// side table.
        case interned
        /// In the side table, only for the headlines that have one: for values that are
        /// rare or mostly distinct, such as summaries and URLs.
        case sparse
    }

    var historyStorage: HistoryStorage {
        switch self {
        case .outlet: .interned
        case .summary, .url, .note: .sparse
        }
    }

    /// The interned fields, in declaration order; a field's place here is its column (and
    /// the order in which `History` counts them when it appends).
    static let interned: [HeadlineField] = allCases.filter { $0.historyStorage == .interned }
    static let sparse: [HeadlineField] = allCases.filter { $0.historyStorage == .sparse }
}
