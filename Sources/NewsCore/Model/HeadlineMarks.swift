/// The reader's marks on a headline, as the store keeps them (issue 13): read, starred.
/// A headline is unread until it is opened or marked; nothing but the reader stars it.
public struct HeadlineMarks: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let read = HeadlineMarks(rawValue: 1)
    public static let starred = HeadlineMarks(rawValue: 2)
}

/// A headline's key as the view knows it: its source and its id within the source. The
/// store keys items on (feed, id), and a headline's feed is its source's name.
public struct HeadlineKey: Hashable, Sendable, CustomStringConvertible {
    public var source: String
    public var id: String

    public init(source: String, id: String) {
        self.source = source
        self.id = id
    }

    public var description: String { "\(source)/\(id)" }
}
