/// A headline and when it reaches the merged feed: `offset` milliseconds after the feed started.
///
/// For simulated sources the arrival is also the publication time; for a replayed
/// recording it is the recorded arrival offset.
public struct Arrival: Sendable, Hashable {
    public var offset: Int64
    public var headline: Headline

    public init(offset: Int64, headline: Headline) {
        self.offset = offset
        self.headline = headline
    }

    /// An empty arrival (nothing allocated), to swap in where one is moved out.
    static let placeholder = Arrival(offset: 0, headline: Headline(id: "", source: "", title: "", published: Timestamp(milliseconds: 0)))
}
