import DequeModule
import NewsCore

/// Per-source live figures for the header: headlines per minute (over the last minute of
/// feed time) and when the last one arrived.
public struct SourceStats: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var total = 0
        public var last: Timestamp?
        /// Arrival times (ms) within the last minute, oldest first.
        var recent: Deque<Int64> = []
    }

    /// By position in the session's ``SourceOrder`` (``AppState/sources``).
    public private(set) var entries: [Entry]
    /// When the feed started: before a minute has passed, rates are scaled from what was seen.
    public let start: Timestamp
    static let window: Int64 = 60_000
    static let maxRecent = 100_000

    public init(sources: [String], start: Timestamp) {
        entries = sources.map { Entry(name: $0) }
        self.start = start
    }

    /// Counts a headline of the source at `position` (the next position adds the source);
    /// `recent: false` counts it in the total only (older than the rate's minute).
    public mutating func record(_ name: String, position: Int, at time: Timestamp, recent: Bool = true) {
        while entries.count <= position { entries.append(Entry(name: entries.count == position ? name : "")) }
        entries[position].total += 1
        entries[position].last = max(entries[position].last ?? time, time)
        if recent && entries[position].recent.count < Self.maxRecent { entries[position].recent.append(time.milliseconds) }
    }

    /// Counts a headline of `source`, found by name (a new one goes last).
    public mutating func record(source: String, at time: Timestamp) {
        record(source, position: entries.firstIndex { $0.name == source } ?? entries.count, at: time)
    }

    /// Forgets arrivals older than a minute before `now`.
    public mutating func expire(now: Timestamp) {
        let cutoff = now.milliseconds - Self.window
        for i in entries.indices {
            while let first = entries[i].recent.first, first <= cutoff { entries[i].recent.removeFirst() }
        }
    }

    /// Headlines per minute for a source, at `now`.
    public func rate(_ entry: Entry, now: Timestamp) -> Int {
        let cutoff = now.milliseconds - Self.window
        let count = entry.recent.reduce(0) { $0 + ($1 > cutoff ? 1 : 0) }
        let elapsed = now.milliseconds - start.milliseconds
        if elapsed >= Self.window || elapsed <= 0 { return count }
        // Less than a minute in: scale up what the elapsed part showed (at least 1 s of it).
        return Int((Double(count) * Double(Self.window) / Double(max(elapsed, 1000))).rounded())
    }
}
