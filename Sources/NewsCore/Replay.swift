import Foundation

/// A clock whose time can jump straight to a deadline instead of waiting for it (the
/// merge then hands out whole batches without sleeping). ``VirtualClock`` always jumps;
/// a ``ReplayClock`` jumps while it runs at `--speed max`.
/// A clock that waits to start until the merged feed has read its first headlines, so
/// that opening files and reading ahead never make the first events late.
public protocol ReadyAwareClock: AnyObject, Sendable {
    /// Called by the merge once every scheduled source has its first headlines in hand.
    func feedReady()
}

public protocol JumpingClock: AnyObject, Sendable {
    /// Whether sleeping right now would jump (true) or wait (false).
    var jumps: Bool { get }
    /// Moves time forward to `deadline`.
    func jump(to deadline: FeedInstant)
}

extension VirtualClock: JumpingClock {
    public var jumps: Bool { true }
    public func jump(to deadline: FeedInstant) { advance(to: deadline) }
}

/// The clock of a replay: recording time, running `speed` times faster than real time
/// from one anchor, and controllable while it runs. Every control (pause, resume, a new
/// speed, a seek) re-anchors it: time never jumps backwards or skips by accident, and
/// sleepers re-plan against the new anchor, so no drift accumulates (each event is due at
/// `anchor + (offset - anchorOffset) / speed`, never at the end of summed sleeps).
public final class ReplayClock: Clock, JumpingClock, ReadyAwareClock, Sendable {
    public typealias Instant = FeedInstant
    public typealias Duration = Swift.Duration

    private struct State {
        /// Base-clock time (since the base's origin) and recording time of the anchor.
        var anchorReal: Swift.Duration
        var anchorFeed: Swift.Duration
        /// `.infinity` for `--speed max`.
        var speed: Double
        var paused = false
        /// Paused only until the feed is ready (see ``ReadyAwareClock``).
        var held = false
        var sleepers: [UInt64: (deadline: Swift.Duration, wake: CheckedContinuation<Void, Never>)] = [:]
        var nextID: UInt64 = 0
    }

    /// The base clock, type-erased: its time since this clock was made, and sleeping on it.
    private let baseNow: @Sendable () -> Swift.Duration
    private let baseSleep: @Sendable (Swift.Duration) async throws -> Void
    private let state: Protected<State>

    /// A replay clock on real time.
    public convenience init(start: FeedInstant = FeedInstant(offset: .zero), speed: Double, paused: Bool = false,
                            holdUntilReady: Bool = false) {
        self.init(base: ContinuousClock(), start: start, speed: speed, paused: paused, holdUntilReady: holdUntilReady)
    }

    /// A replay clock on `base` (a test clock in tests).
    /// With `holdUntilReady`, time stands still until the merge reports the feed ready.
    public init<Base: Clock & Sendable>(base: Base, start: FeedInstant = FeedInstant(offset: .zero), speed: Double, paused: Bool = false,
                                        holdUntilReady: Bool = false)
    where Base.Duration == Swift.Duration, Base.Instant: Sendable {
        let origin = base.now
        baseNow = { origin.duration(to: base.now) }
        baseSleep = { try await base.sleep(until: origin.advanced(by: $0), tolerance: nil) }
        var initial = State(anchorReal: .zero, anchorFeed: start.offset, speed: speed, paused: paused || holdUntilReady)
        initial.held = holdUntilReady && !paused
        state = Protected(initial)
    }

    public func feedReady() {
        guard state.withLock({ $0.held }) else { return }
        control { s, _ in
            s.held = false
            s.paused = false
        }
    }

    public var minimumResolution: Swift.Duration { .milliseconds(1) }

    public var now: FeedInstant {
        let real = baseNow()
        return state.withLock { FeedInstant(offset: Self.now($0, real)) }
    }

    private static func now(_ s: State, _ real: Swift.Duration) -> Swift.Duration {
        if s.paused || s.speed.isInfinite { return s.anchorFeed }
        return s.anchorFeed + (real - s.anchorReal) * s.speed
    }

    public var speed: Double { state.withLock { $0.speed } }
    public var isPaused: Bool { state.withLock { $0.paused } }

    public var jumps: Bool { state.withLock { $0.speed.isInfinite && !$0.paused } }

    /// The earliest time someone is waiting for (the next event's), if anyone is.
    public var pendingDeadline: FeedInstant? {
        state.withLock { $0.sleepers.values.map(\.deadline).min().map { FeedInstant(offset: $0) } }
    }

    public func jump(to deadline: FeedInstant) {
        let real = baseNow()
        state.withLock { s in
            if deadline.offset > s.anchorFeed { s.anchorFeed = deadline.offset }
            s.anchorReal = real
        }
    }

    // MARK: controls

    /// Changes something and wakes every sleeper to re-plan.
    private func control(_ change: (inout State, Swift.Duration) -> Void) {
        let real = baseNow()
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.anchorFeed = Self.now(s, real)
            s.anchorReal = real
            change(&s, real)
            defer { s.sleepers.removeAll() }
            return s.sleepers.values.map(\.wake)
        }
        woken.forEach { $0.resume() }
    }

    public func pause() { control { s, _ in s.paused = true; s.held = false } }
    public func resume() { control { s, _ in s.paused = false; s.held = false } }
    public func setSpeed(_ speed: Double) { control { s, _ in s.speed = speed } }

    /// Sets the time to `instant` (seeking), keeping pause and speed.
    public func set(to instant: FeedInstant) { control { s, _ in s.anchorFeed = instant.offset } }

    /// While paused: lets time reach the earliest pending deadline (one event), and stays paused.
    public func step() {
        control { s, _ in
            guard s.paused, let next = s.sleepers.values.map(\.deadline).min() else { return }
            if next > s.anchorFeed { s.anchorFeed = next }
        }
    }

    // MARK: sleeping

    public func sleep(until deadline: FeedInstant, tolerance: Swift.Duration? = nil) async throws {
        while true {
            try Task.checkCancellation()
            enum Plan { case done, wait(Swift.Duration?) }
            let real = baseNow()
            let plan = state.withLock { s -> Plan in
                let now = Self.now(s, real)
                if now >= deadline.offset { return .done }
                if s.paused { return .wait(nil) }
                if s.speed.isInfinite {
                    s.anchorFeed = deadline.offset
                    return .done
                }
                return .wait(s.anchorReal + (deadline.offset - s.anchorFeed) / s.speed)
            }
            guard case .wait(let realDeadline) = plan else { return }
            await waitForChange(until: realDeadline, deadline: deadline.offset)
        }
    }

    /// Suspends until a control wakes sleepers, `realDeadline` passes, or the task is cancelled.
    private func waitForChange(until realDeadline: Swift.Duration?, deadline: Swift.Duration) async {
        let id = state.withLock { s -> UInt64 in
            s.nextID += 1
            return s.nextID
        }
        let sleepOnBase = baseSleep
        let timer: Task<Void, Never>? = realDeadline.map { when in
            Task { [weak self] in
                try? await sleepOnBase(when)
                if !Task.isCancelled { self?.wake(id) }
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if Task.isCancelled { return true }
                    s.sleepers[id] = (deadline, c)
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            self.wake(id)
        }
        timer?.cancel()
    }

    private func wake(_ id: UInt64) {
        let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
        sleeper?.wake.resume()
    }
}

/// How a replay maps recorded offsets to when events are played: gaps never negative
/// (offsets that go backwards keep file order and wait zero), capped by `--idle-limit`.
public struct ReplayTiming: Sendable, Equatable {
    public var idleLimit: Int64?
    /// The largest recorded offset so far, and the played offset of the last event.
    public var lastRecorded: Int64 = 0
    public var lastPlayed: Int64 = 0

    public init(idleLimit: Int64? = nil) { self.idleLimit = idleLimit }

    /// The played offset of the next event, recorded at `recorded`.
    public mutating func play(_ recorded: Int64) -> Int64 {
        var gap = max(0, recorded - lastRecorded)
        if let idleLimit { gap = min(gap, idleLimit) }
        lastRecorded = max(lastRecorded, recorded)
        lastPlayed += gap
        return lastPlayed
    }
}

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
                guard let event = try reader.next() else {
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
                let played = roundBase + timing.play(event.arrival.offset)
                if played < source.from { continue }
                var arrival = event.arrival
                arrival.offset = played
                batch.append(arrival)
            }
            if reader.malformed > 0 { source.report?(ReplayReport(reader)) }
            return batch
        }
    }
}

/// What the reader met on the way: skipped lines and an incomplete end.
public struct ReplayReport: Sendable, Equatable {
    public var malformed: Int
    public var firstProblems: [LineProblem]
    public var truncatedLastLine: LineProblem?

    init(_ reader: RecordingReader) {
        malformed = reader.malformed
        firstProblems = reader.problems
        truncatedLastLine = reader.truncatedLastLine
    }
}

/// A recording that is a stream (a pipe, a FIFO, `-` for standard input), read once: a
/// thread copies it, as it arrives, into an unlinked temporary file, and every reader of
/// the replay (the header, the feed, the index, a seek, `--loop`) reads that file,
/// following it as it grows. So a stream is read once, seeking works over what has
/// arrived, memory stays flat, and nothing is left on disk (the file has no name; its
/// space is freed when the process ends).
///
/// The copying thread is the only one that blocks on the stream, in `open` (a FIFO with
/// no writer yet) or `read`: readers wait on a condition that cancellation wakes
/// (``wakeWaiters()``), so a signal ends the program whatever the stream does.
public final class Spool: @unchecked Sendable {
    /// Where readers open it (`/proc/self/fd/N`: the unlinked file, with an offset of its own).
    public let path: String
    private let fd: Int32
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var length = 0
    private var ended = false
    private var failure: FileError?

    /// Starts copying `input` (a path, or "-" for standard input); `name` is for messages.
    public init(copying input: String, name: String) throws(FileError) {
        var template = Array("\(NSTemporaryDirectory())/newsdesk-stream-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0, fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else { throw FileError(path: name, reason: "cannot make a temporary file to read it into (\(String(cString: strerror(errno))))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
        path = "/proc/self/fd/\(fd)"
        let thread = Thread { [self] in copy(from: input, name: name) }
        thread.name = "newsdesk-stream"
        thread.start()
    }

    private func copy(from input: String, name: String) {
        let source = input == "-" ? STDIN_FILENO : open(input, O_RDONLY | O_CLOEXEC)
        if source < 0 { return finish(FileError(path: name, reason: "cannot read it (\(String(cString: strerror(errno))))")) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return finish(FileError(path: name, reason: "cannot read it (\(String(cString: strerror(errno))))")) }
            if n == 0 { return finish(nil) }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + written, n - written) }
                if w < 0 && errno == EINTR { continue }
                if w < 0 { return finish(FileError(path: name, reason: "cannot keep what was read (\(String(cString: strerror(errno))))")) }
                written += w
            }
            condition.withLock { length += n }
            condition.broadcast()
        }
    }

    private func finish(_ error: FileError?) {
        condition.withLock {
            ended = true
            failure = error
        }
        condition.broadcast()
    }

    /// What is there past `offset`.
    public enum Availability: Equatable {
        /// More bytes (read them from the file).
        case more
        /// Nothing more, ever (the stream ended).
        case end
        /// Nothing yet (without waiting), or the waiting task was cancelled.
        case notYet
    }

    /// Whether there is more past `offset`; with `wait`, waits until there is, the stream
    /// ends, or `cancelled()` says so after a wake-up (then `.notYet`).
    public func available(beyond offset: Int, wait: Bool, cancelled: () -> Bool = { Task.isCancelled }) -> Availability {
        condition.withLock {
            while true {
                if length > offset { return .more }
                if ended { return .end }
                if !wait || cancelled() { return .notYet }
                condition.wait()
            }
        }
    }

    /// The error that ended the stream, if one did.
    public var error: FileError? { condition.withLock { failure } }

    /// Whether the whole stream has arrived.
    public var isComplete: Bool { condition.withLock { ended } }

    /// Wakes every waiting reader (to see that its task was cancelled).
    public func wakeWaiters() {
        condition.withLock {}
        condition.broadcast()
    }
}

/// Where a replay reads its recording: a regular file, by path (read again to index, seek
/// and loop, as ever), or a stream (a pipe, a FIFO, `-` for standard input) read once into
/// a ``Spool``.
public struct ReplayInput: Sendable {
    /// The name in messages and what readers are given as the path: the file, or "stdin".
    public let name: String
    /// The stream's spool; nil for a regular file.
    public let spool: Spool?

    /// Opens `argument` without blocking: a FIFO with no writer yet is opened by the
    /// spool's thread. Missing or a directory: a FileError.
    public static func open(_ argument: String) throws(FileError) -> ReplayInput {
        if argument == "-" { return ReplayInput(name: "stdin", spool: try Spool(copying: "-", name: "stdin")) }
        var info = stat()
        if stat(argument, &info) != 0 {
            throw FileError(path: argument, reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return ReplayInput(name: argument, spool: nil)
        case S_IFDIR: throw FileError(path: argument, reason: "is a directory, not a file")
        default: return ReplayInput(name: argument, spool: try Spool(copying: argument, name: argument))
        }
    }
}
