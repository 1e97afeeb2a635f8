/// A headline and when it reaches the merged feed: `offset` milliseconds after the feed started.
///
/// For simulated sources the arrival is also the publication time; for a replayed
/// recording it is the recorded arrival offset.
public struct Arrival: Sendable, Hashable {
    public var offset: Int64
    public var headline: Headline
    /// An item the source showed before under the same id, changed (its title): it
    /// replaces the earlier headline of its source and id (``History``) instead of being
    /// a new one. Recorded as `"update":true`.
    public var isUpdate: Bool
    /// The reader's marks the store holds for it (read, starred): none for a headline the
    /// store had not seen, or without a store. Not recorded.
    public var marks: HeadlineMarks

    public init(offset: Int64, headline: Headline, isUpdate: Bool = false, marks: HeadlineMarks = []) {
        self.offset = offset
        self.headline = headline
        self.isUpdate = isUpdate
        self.marks = marks
    }

    /// An empty arrival (nothing allocated), to swap in where one is moved out.
    static let placeholder = Arrival(offset: 0, headline: Headline(id: "", source: "", title: "", published: Timestamp(milliseconds: 0)))
}
