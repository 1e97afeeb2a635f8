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

    public private(set) var entries: [Entry]
    /// When the feed started: before a minute has passed, rates are scaled from what was seen.
    public let start: Timestamp
    static let window: Int64 = 60_000
    static let maxRecent = 100_000

    public init(sources: [String], start: Timestamp) {
        entries = sources.map { Entry(name: $0) }
        self.start = start
    }

    public mutating func record(source: String, at time: Timestamp) {
        let index: Int
        if let i = entries.firstIndex(where: { $0.name == source }) {
            index = i
        } else {
            entries.append(Entry(name: source))
            index = entries.count - 1
        }
        entries[index].total += 1
        entries[index].last = max(entries[index].last ?? time, time)
        if entries[index].recent.count < Self.maxRecent { entries[index].recent.append(time.milliseconds) }
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
