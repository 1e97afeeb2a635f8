/// Positions in a recording every few thousand events, for seeking without reading it all
/// again, and its played duration. Built by one pass over the file (a million events take
/// well under a second).
public struct ReplayIndex: Sendable {
    public struct Checkpoint: Sendable {
        /// The reader's position: the byte and line the event starts at.
        public var byte: Int
        public var line: Int
        /// Timing state before this event, and its played offset.
        public var timing: ReplayTiming
        public var played: Int64
        /// Events before it.
        public var event: Int
    }

    public static let spacing = 4096
    public private(set) var checkpoints: [Checkpoint] = []
    /// Played offset of the last event.
    public private(set) var duration: Int64 = 0
    public private(set) var events = 0

    /// Scans `path`. `progress` gets the fraction read, now and then.
    public static func build(path: String, idleLimit: Int64?, progress: ((Double) -> Void)? = nil) throws -> ReplayIndex {
        let reader = try RecordingReader(path: path)
        var index = ReplayIndex()
        var timing = ReplayTiming(idleLimit: idleLimit)
        var byte = reader.position
        while true {
            let before = timing
            guard let event = try reader.next() else { break }
            let played = timing.play(event.arrival.offset)
            if index.events % spacing == 0 {
                index.checkpoints.append(Checkpoint(byte: byte, line: event.line, timing: before, played: played, event: index.events))
                if Task.isCancelled { break }
                progress?(reader.size > 0 ? Double(reader.position) / Double(reader.size) : 1)
            }
            index.events += 1
            index.duration = played
            byte = reader.position
        }
        return index
    }

    /// Indexes a stream's spool as it arrives. `snapshot` gets the index so far at each
    /// checkpoint and whenever the reading has caught up with the stream, and once more
    /// with `complete` when the stream has ended. It waits for the stream: run it on a
    /// thread of its own; it returns when the stream ends or `cancelled()` is true after
    /// ``Spool/wakeWaiters()``.
    public static func follow(spool: Spool, path: String, idleLimit: Int64?, cancelled: @escaping @Sendable () -> Bool,
                              snapshot: (ReplayIndex, _ complete: Bool) -> Void) throws {
        let reader = try RecordingReader(path: path, follow: spool, cancelled: cancelled)
        var index = ReplayIndex()
        var timing = ReplayTiming(idleLimit: idleLimit)
        var byte = reader.position
        while true {
            if reader.wouldWait { snapshot(index, false) }
            let before = timing
            guard let event = try reader.next() else { break }
            let played = timing.play(event.arrival.offset)
            if index.events % spacing == 0 {
                index.checkpoints.append(Checkpoint(byte: byte, line: event.line, timing: before, played: played, event: index.events))
                snapshot(index, false)
            }
            index.events += 1
            index.duration = played
            byte = reader.position
        }
        if spool.isComplete && !cancelled() { snapshot(index, true) }
    }

    /// The checkpoint to start reading from to have the `history` events before `offset`.
    public func start(before offset: Int64, history: Int) -> Checkpoint? {
        guard !checkpoints.isEmpty else { return nil }
        // The first checkpoint at or after the offset bounds the event number there.
        var lo = 0, hi = checkpoints.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if checkpoints[mid].played < offset { lo = mid + 1 } else { hi = mid }
        }
        let eventsBefore = lo < checkpoints.count ? checkpoints[lo].event : events
        let wanted = max(0, eventsBefore - history - ReplayIndex.spacing)
        return checkpoints.last { $0.event <= wanted } ?? checkpoints[0]
    }
}
