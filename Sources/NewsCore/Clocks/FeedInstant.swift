/// An instant on a feed clock: the time elapsed since the clock's origin.
public struct FeedInstant: InstantProtocol, Sendable, Hashable, Comparable {
    public var offset: Duration
    public init(offset: Duration) { self.offset = offset }
    public func advanced(by duration: Duration) -> FeedInstant { FeedInstant(offset: offset + duration) }
    public func duration(to other: FeedInstant) -> Duration { other.offset - offset }
    public static func < (a: FeedInstant, b: FeedInstant) -> Bool { a.offset < b.offset }
}
