import Foundation
import NewsCore

/// Which clock runs a feed.
enum ClockChoice {
    /// `--speed max`: the same timeline, no waiting.
    case virtual
    /// `--speed X`.
    case scaled(Double)
    /// A replay in the interactive view: controllable.
    case replay(ReplayClock)

    init(_ speed: Speed) {
        switch speed {
        case .max: self = .virtual
        case .factor(let f): self = .scaled(f)
        }
    }

    /// Whether the feed waits for real time (any speed but `max`).
    var paced: Bool {
        if case .virtual = self { return false }
        return true
    }
}

/// A merged feed being read, whatever its clock: the next event, the feed's time, and
/// handing spent batches back.
protocol FeedCursor: AnyObject {
    func next() async throws -> FeedEvent?
    func recycle(_ batch: [Arrival])
    /// Hands batches back from another task (see `MergedFeed.recycle`).
    var recycler: @Sendable ([Arrival]) -> Void { get }
    /// Milliseconds of feed time since offset 0.
    var elapsed: Int64 { get }
}

final class MergedCursor<C: Clock>: FeedCursor where C.Duration == Duration, C: Sendable, C.Instant: Sendable {
    private let feed: MergedFeed<C>
    private var iterator: MergedFeed<C>.Iterator
    init(_ feed: MergedFeed<C>) {
        self.feed = feed
        iterator = feed.makeAsyncIterator()
    }
    func next() async throws -> FeedEvent? { try await iterator.next() }
    func recycle(_ batch: [Arrival]) { feed.recycle(batch) }
    var recycler: @Sendable ([Arrival]) -> Void {
        let feed = self.feed
        return { feed.recycle($0) }
    }
    var elapsed: Int64 { feed.elapsed }
}

/// Runs `sources` merged on the chosen clock and hands `body` a cursor on the feed.
func withFeed<R>(_ sources: [any HeadlineSource], clock: ClockChoice, options: MergeOptions,
                 _ body: (any FeedCursor) async throws -> R) async throws -> R {
    switch clock {
    case .virtual:
        return try await withMergedFeed(sources: sources, clock: VirtualClock(), options: options) { try await body(MergedCursor($0)) }
    case .scaled(let factor):
        return try await withMergedFeed(sources: sources, clock: ScaledClock(base: ContinuousClock(), speed: factor), options: options) {
            try await body(MergedCursor($0))
        }
    case .replay(let replayClock):
        return try await withMergedFeed(sources: sources, clock: replayClock, start: FeedInstant(offset: .zero), options: options) {
            try await body(MergedCursor($0))
        }
    }
}

/// A source failed and `--strict` asked to stop: exit 65 with the problem.
struct StrictStop: Error, CustomStringConvertible {
    var problem: LineProblem
    var description: String { problem.description }
}

/// Prints the merged feed as lines (`--plain`), recording it too if asked.
struct PlainPrinter {
    var query: Query
    var limit: Int
    var color: Bool
    var recorder: RecordingWriter?
    var strict = false
    /// `--line-buffered`: every line written as soon as it is formatted.
    var lineBuffered = false

    func run(_ sources: [any HeadlineSource], clock: ClockChoice, options: MergeOptions) async throws {
        if limit == 0 { return }
        let writer = OutputWriter(fd: STDOUT_FILENO, mode: .choose(lineBuffered: lineBuffered, paced: clock.paced, fd: STDOUT_FILENO))
        var formatter = PlainFormatter(color: color)
        // Lines are not kept: each headline is matched on its own, no history needed.
        var matcher = HeadlineMatcher(query)
        var printed = 0
        // Whatever ends the run (count, duration, Ctrl-C, a closed pipe), print what is buffered.
        defer { try? writer.flush() }
        try await withFeed(sources, clock: clock, options: options) { cursor in
            events: while let event = try await cursor.next() {
                switch event {
                case .headlines(let batch):
                    try recorder?.write(batch)
                    for i in batch.indices where matcher.matches(batch[i].headline) {
                        formatter.append(batch[i].headline, to: &writer.buffer)
                        try writer.lineEnded()
                        printed += 1
                        if printed == limit { break events }
                    }
                    cursor.recycle(batch)
                    try writer.batchEnded()
                case .sourceFailed(let source, let error):
                    try writer.flush()
                    if strict, let problem = error as? LineProblem { throw StrictStop(problem: problem) }
                    if let fileError = error as? FileError { throw fileError }
                    warn("source '\(source)' failed: \(error)")
                case .sourceRestarting(let source, let error, let delay):
                    try writer.flush()
                    warnRestarting(source, error, delay)
                case .sourceFinished:
                    break
                }
            }
        }
    }
}

/// When an ``OutputWriter`` hands what it holds to the descriptor.
enum WriteMode: Equatable {
    /// At 64 KiB: `--speed max` into a pipe or a file, where only throughput matters.
    case blocks
    /// After every batch: a feed paced in real time, or a terminal, so that each line
    /// shows up when its headline arrives (`| grep goal` is not silent for minutes).
    case batches
    /// After every line (`--line-buffered`), at any speed.
    case lines

    static func choose(lineBuffered: Bool, paced: Bool, fd: Int32) -> WriteMode {
        if lineBuffered { return .lines }
        return paced || isatty(fd) == 1 ? .batches : .blocks
    }
}

/// Buffered writes to a file descriptor, flushed as its ``WriteMode`` says.
final class OutputWriter {
    struct Closed: Error {}

    let fd: Int32
    let mode: WriteMode
    var buffer: [UInt8] = []

    init(fd: Int32, mode: WriteMode) {
        self.fd = fd
        self.mode = mode
        buffer.reserveCapacity(1 << 16 + 1024)
    }

    /// A whole line has been appended to `buffer`.
    func lineEnded() throws {
        if mode == .lines { try flush() }
    }

    /// A batch of the feed has been appended.
    func batchEnded() throws {
        if mode != .blocks || buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes everything buffered. Throws ``Closed`` when the reader has gone (EPIPE).
    func flush() throws {
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                buffer.removeAll(keepingCapacity: true)
                if errno == EPIPE { throw Closed() }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            written += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A line on stderr, prefixed with the program's name.
func warn(_ message: String) {
    FileHandle.standardError.write(Data("newsdesk: \(message)\n".utf8))
}

/// A progress line on stderr, rewritten in place, only when stderr is a terminal.
final class ProgressLine: Sendable {
    let enabled: Bool
    private let state = Protected((last: Date.distantPast, shown: false))

    init(enabled: Bool = true) { self.enabled = enabled && isatty(STDERR_FILENO) == 1 }

    /// Shows `text` (at most a few times a second unless `force`).
    func show(_ text: @autoclosure () -> String, force: Bool = false) {
        guard enabled else { return }
        let now = Date()
        let due = state.withLock { s -> Bool in
            guard force || now.timeIntervalSince(s.last) >= 0.2 else { return false }
            s.last = now
            s.shown = true
            return true
        }
        if due { FileHandle.standardError.write(Data("\r\u{1B}[K\(text())".utf8)) }
    }

    func finish() {
        guard enabled, state.withLock({ s in defer { s.shown = false }; return s.shown }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// The warning for a source that failed and is being retried (`--plain`, `record`).
func warnRestarting(_ source: String, _ error: any Error, _ delay: Duration) {
    warn("source '\(source)' failed: \(error); retrying in \(DurationText.format(delay.milliseconds))")
}
