import Foundation

/// A recording played as a scheduled source: read as it plays (never loaded whole), with
/// the replay timing rules applied to offsets, from `from` on, starting over at the end
/// when `loop` is set.
public struct ReplaySource: HeadlineSource {
    public typealias Element = [Arrival]
    public typealias Failure = any Error

    public let name: String
    /// The recording (with `spool`, the stream's name in messages).
    public let path: String
    /// A stream's spool, followed as it grows (nil: a regular file).
    public let spool: Spool?
    public let idleLimit: Int64?
    public let from: Int64
    public let loop: Bool
    public let strict: Bool
    public let batchSize: Int
    /// Where to start reading (a checkpoint), if not at the beginning.
    public let checkpoint: ReplayIndex.Checkpoint?
    /// Reports the reader's counts as it goes (malformed lines, truncated end).
    public let report: (@Sendable (ReplayReport) -> Void)?

    public init(path: String, spool: Spool? = nil, name: String = "replay", idleLimit: Int64? = nil, from: Int64 = 0, loop: Bool = false,
                strict: Bool = false, batchSize: Int = 256, checkpoint: ReplayIndex.Checkpoint? = nil,
                report: (@Sendable (ReplayReport) -> Void)? = nil) {
        self.path = path
        self.spool = spool
        self.name = name
        self.idleLimit = idleLimit
        self.from = from
        self.loop = loop
        self.strict = strict
        self.batchSize = Swift.max(1, batchSize)
        self.checkpoint = checkpoint
        self.report = report
    }

    public func makeAsyncIterator() -> Iterator { Iterator(source: self) }

    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = [Arrival]
        public typealias Failure = any Error
        let playback: Playback
        /// A stream's batches are read here, off the task's thread, since they may wait for
        /// the stream (see ``Spool``).
        let queue: DispatchQueue?

        init(source: ReplaySource) {
            playback = Playback(source: source)
            queue = source.spool.map { _ in DispatchQueue(label: "newsdesk-replay-read") }
        }

        public mutating func next() async throws -> [Arrival]? {
            try Task.checkCancellation()
            // The reading is synchronous, in a function of its own (also: Swift 6.3 crashed
            // compiling the typed-throwing reader call inside this async function).
            guard let queue, let spool = playback.source.spool else { return try playback.readBatch() }
            let playback = self.playback
            playback.cancelled.withLock { $0 = false }
            let batch = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (c: CheckedContinuation<[Arrival]?, any Error>) in
                    queue.async { c.resume(with: Result { try playback.readBatch() }) }
                }
            } onCancel: {
                playback.cancelled.withLock { $0 = true }
                spool.wakeWaiters()
            }
            try Task.checkCancellation()
            return batch
        }
    }

    /// The reading state of one iterator: the reader, the timing, the round of `--loop`.
    final class Playback: @unchecked Sendable {
        let source: ReplaySource
        var reader: RecordingReader?
        var timing: ReplayTiming
        /// Played offset added for each round of `--loop`.
        var roundBase: Int64 = 0
        var finished = false
        /// Set when the task waiting for a batch is cancelled: the reading thread has no task
        /// of its own to ask.
        let cancelled = Protected(false)

        init(source: ReplaySource) {
            self.source = source
            timing = source.checkpoint?.timing ?? ReplayTiming(idleLimit: source.idleLimit)
        }

        func readBatch() throws -> [Arrival]? {
            if finished { return nil }
            if reader == nil {
                let cancelled = self.cancelled
                let r = try RecordingReader(path: source.path, strict: source.strict, follow: source.spool,
                                            cancelled: { cancelled.withLock { $0 } || Task.isCancelled })
                if let checkpoint = source.checkpoint { r.rewind(toByte: checkpoint.byte, line: checkpoint.line) }
                reader = r
            }
            let reader = reader!
            var batch: [Arrival] = []
            batch.reserveCapacity(source.batchSize)
            while batch.count < source.batchSize {
                // A stream: what has arrived goes out now, not once a batch is full.
                if !batch.isEmpty && reader.wouldWait { break }
                guard var arrival = try reader.nextArrival() else {
                    if source.spool.map({ !$0.isComplete }) == true {
                        return batch  // woken by cancellation (the iterator throws)
                    }
                    source.report?(ReplayReport(reader))
                    if source.loop && timing.lastPlayed > 0 {
                        // Start over: the next round follows on after the last event.
                        roundBase += timing.lastPlayed + 1000
                        timing = ReplayTiming(idleLimit: source.idleLimit)
                        reader.rewind()
                        if !batch.isEmpty { return batch }
                        continue
                    }
                    finished = true
                    return batch.isEmpty ? nil : batch
                }
                let played = roundBase + timing.play(arrival.offset)
                if played < source.from { continue }
                arrival.offset = played
                batch.append(arrival)
            }
            if reader.malformed > 0 { source.report?(ReplayReport(reader)) }
            return batch
        }
    }
}
