/// A point in time with millisecond precision: milliseconds since 1970-01-01 00:00:00 UTC.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Times newsdesk reads and writes: years 0 to 9999 (what ISO 8601 writes in four digits).
    public static let validMilliseconds: ClosedRange<Int64> = -62_167_219_200_000...253_402_300_799_999

    public init(seconds: Double) { self.milliseconds = Int64((seconds * 1000).rounded()) }

    public var seconds: Double { Double(milliseconds) / 1000 }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }

    public func adding(milliseconds ms: Int64) -> Timestamp { Timestamp(milliseconds: milliseconds + ms) }

    public var description: String { ISOTime.format(self) }
}

/// One headline, as a source published it.
///
/// `id` is stable and unique within a feed. `source` is the feed it came from:
/// `tech`, `sports` and `world` for the simulated ones, any name for imported data.
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

    public init(
        id: String, source: String, title: String, published: Timestamp,
        outlet: String? = nil, summary: String? = nil, url: String? = nil
    ) {
        self.id = id
        self.source = source
        self.title = title
        self.published = published
        self.outlet = outlet
        self.summary = summary
        self.url = url
    }
}

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

/// The display name of a source: `tech` -> `Tech`, `sports` -> `Sports`.
public func sourceDisplayName(_ source: String) -> String {
    guard let first = source.first else { return source }
    return first.uppercased() + source.dropFirst()
}
