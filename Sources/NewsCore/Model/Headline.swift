/// One headline, as a source published it.
///
/// `id` is stable and unique within a feed. `source` is the feed it came from:
/// a simulated source, a feed or the source column of imported data (any name).
/// Titles are kept exactly as received (control characters included); they are made
/// safe for a terminal only when displayed (see ``TerminalSafe``).
public struct Headline: Sendable, Hashable, Identifiable {
    public var id: String
    public var source: String
    public var title: String
    public var published: Timestamp
    public var outlet: String?
    public var summary: String?
    public var url: String?
    /// A note about this headline for the reader (``HeadlineField/note``).
    public var note: String?

    public init(
        id: String, source: String, title: String, published: Timestamp,
        outlet: String? = nil, summary: String? = nil, url: String? = nil, note: String? = nil
    ) {
        self.id = id
        self.source = source
        self.title = title
        self.published = published
        self.outlet = outlet
        self.summary = summary
        self.url = url
        self.note = note
    }
}
