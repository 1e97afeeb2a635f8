/// A point in time with millisecond precision: milliseconds since 1970-01-01 00:00:00 UTC.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
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
