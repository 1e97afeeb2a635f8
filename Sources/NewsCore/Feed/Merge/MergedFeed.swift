import DequeModule

/// What comes out of the merged feed.
public enum FeedEvent: Sendable {
    /// Headlines in arrival order (a batch: one per hand-off would cost microseconds each).
    case headlines([Arrival])
    /// A source failed; the others keep flowing. Comes after the last headline it produced.
    case sourceFailed(source: String, error: any Error)
    /// A source ended normally after its last headline.
    case sourceFinished(source: String)
    /// A source failed and will be asked again after `delay` (``MergeOptions/restart``);
    /// the others keep flowing. Comes after the last headline it produced.
    case sourceRestarting(source: String, error: any Error, delay: Duration)
}

/// How a failed source is retried: after `initial`, then twice as long each time it fails
/// again without producing anything, up to `maximum`. The waits are real time (a remote
/// server's), slept with `sleep` (a test clock's in tests).
public struct RestartPolicy: Sendable {
    public var initial: Duration
    public var maximum: Duration
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await ContinuousClock().sleep(for: $0) }) {
        self.initial = initial
        self.maximum = maximum
        self.sleep = sleep
    }

    /// The wait after `delay`: doubled, capped.
    public func next(after delay: Duration) -> Duration { Swift.min(delay * 2, maximum) }
}

/// How long the merge waits, on a jumping clock (`--speed max`), for a scheduled source
/// that has nothing ready, before going on without it (rule 3): until `grace` passes in
/// which the sources' thread was idle. The wait is real time (the stalled source's
/// own), slept with `sleep` (a test clock's in tests).
///
/// A healthy source makes its next batch in well under a millisecond, and while the shared
/// source thread is still busy with the others the wait goes on, so a healthy source is not
/// given up on even on a loaded machine; a source that stops answering costs the run about
/// 200 ms, once.
public struct StallPolicy: Sendable {
    public var grace: Duration
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(grace: Duration = .milliseconds(200),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await ContinuousClock().sleep(for: $0) }) {
        self.grace = grace
        self.sleep = sleep
    }
}

/// Options for ``withMergedFeed(sources:clock:start:options:isolation:body:)``.
public struct MergeOptions: Sendable {
    /// Batches each source may produce ahead of the consumer before it waits (then it
    /// waits until half of them are taken). 8 batches of 256 cost about 1 MB in all.
    public var lookahead: Int = 8
    /// Most headlines handed over in one ``FeedEvent/headlines(_:)`` batch.
    public var maxBatch: Int = 256
    /// The feed ends at this offset (milliseconds of feed time), if set: `--duration`.
    public var endOffset: Int64? = nil
    /// Retry failed sources (nil: a failure ends the source).
    public var restart: RestartPolicy? = nil
    /// How long a stalled source is waited for on a jumping clock.
    public var stall: StallPolicy = StallPolicy()

    public init(lookahead: Int = 8, maxBatch: Int = 256, endOffset: Int64? = nil, restart: RestartPolicy? = nil,
                stall: StallPolicy = StallPolicy()) {
        self.lookahead = max(1, lookahead)
        self.maxBatch = max(1, maxBatch)
        self.endOffset = endOffset
        self.restart = restart
        self.stall = stall
    }
}

/// Runs `sources` concurrently and hands `body` one merged channel of their headlines.
///
/// Rules of the merge (each is tested in `MergeTests`):
/// 1. Every source runs in its own child task of a task group; they all feed one channel.
/// 2. Each source's own order is kept. Scheduled sources are merged by arrival offset
///    (ties go to the source listed first), and each headline is released when the clock
///    reaches `start + offset`, all against one start instant (no drift from summed sleeps).
///    So the merged order is the same on every run, machine and speed; on a
///    ``VirtualClock`` time jumps to each next deadline and nothing waits.
/// 3. No source is starved: a fast source cannot delay a slow one's headlines past their
///    time, and each source has its own bounded queue of `lookahead` batches, so a fast
///    source waits for the consumer instead of crowding out the others or filling memory.
///    On a real clock a source that stalls is not waited for past the next headline
///    due from another source: its headlines, when they come, are released at once.
///    On a jumping clock (`--speed max`) there is no such deadline, since time moves only
///    as headlines go out, so a source with nothing ready is waited for, but only until
///    ``StallPolicy/grace`` of real time (200 ms) passes in which no source did anything
///    (the others soon fill their queues and wait). Then it counts as stalled: time
///    goes on with the others, and its headlines, if they ever come, are released when
///    they arrive (late, with their own offsets). A source that neither yields nor ends
///    must not stop time for every other one; the price is that a source slower than the
///    grace to make its next batch is merged by arrival, not by offset. These are the only
///    cases where the merged order can differ from offset order; a healthy source is
///    never that slow, so at `--speed max` the order is the same on every run.
/// 4. A source that throws does not stop the others: its failure arrives as
///    ``FeedEvent/sourceFailed(source:error:)`` after the headlines it produced, and the rest
///    keep flowing.
/// 5. The merged feed ends (its iterator returns nil) when every source has ended, or when
///    `options.endOffset` is reached. A source that is stalled or being retried has not
///    ended: when nothing else is left, the merge waits for it.
/// 6. When `body` returns or throws (quit, `--count` reached) or the task is cancelled
///    (Ctrl-C), every source task is cancelled, and this function returns only after all
///    of them have stopped: nothing is left running.
/// 7. Live sources (``SourceTiming/live``) are released as soon as they arrive, stamped
///    with the clock's time; they never hold back the scheduled ones.
///
/// Offset 0 is `start` (by default the clock's time when this is called).
public func withMergedFeed<C: Clock, R>(
    sources: [any HeadlineSource],
    clock: C,
    start: C.Instant? = nil,
    options: MergeOptions = MergeOptions(),
    isolation: isolated (any Actor)? = #isolation,
    body: (MergedFeed<C>) async throws -> R
) async throws -> R where C.Duration == Duration {
    let storage = MergeStorage(timings: sources.map(\.timing), capacity: options.lookahead)
    let feed = MergedFeed(
        storage: storage, clock: clock, start: start ?? clock.now,
        names: sources.map(\.name), timings: sources.map(\.timing), options: options)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        for (lane, source) in sources.enumerated() {
            group.addTask(executorPreference: ThreadExecutor.sources) {
                await pump(source, lane: lane, into: storage, restart: options.restart)
            }
        }
        do {
            let result = try await body(feed)
            storage.shutDown()
            group.cancelAll()
            return result
        } catch {
            storage.shutDown()
            group.cancelAll()
            throw error
        }
    }
}

/// One source's task: pull its batches and push them into its lane. With a restart
/// policy, a failure is reported and the same iterator is asked again after the backoff
/// (a source that cannot go on returns nil then).
private func pump<S: HeadlineSource>(_ source: S, lane: Int, into storage: MergeStorage, restart: RestartPolicy?) async {
    var iterator = source.makeAsyncIterator()
    var delay = restart?.initial ?? .zero
    while true {
        do {
            guard let batch = try await iterator.next() else { break }
            try await storage.send(batch, lane: lane)
            delay = restart?.initial ?? .zero  // it works again: the next failure starts over
        } catch is CancellationError {
            break
        } catch {
            guard let restart, !Task.isCancelled else {
                storage.end(lane: lane, with: error)
                return
            }
            storage.fail(lane: lane, error: error, delay: delay)
            do { try await restart.sleep(delay) } catch { break }
            delay = restart.next(after: delay)
        }
    }
    storage.end(lane: lane, with: nil)
}

extension MergedFeed: Sendable where C: Sendable, C.Instant: Sendable {}

/// The consumer's side of the merge: an asynchronous sequence of ``FeedEvent``s.
/// Iterate it once, inside the body of ``withMergedFeed(sources:clock:start:options:isolation:body:)``.
public struct MergedFeed<C: Clock>: AsyncSequence where C.Duration == Duration {
    public typealias Element = FeedEvent
    public typealias Failure = any Error

    let storage: MergeStorage
    public let clock: C
    /// The clock's instant at offset 0.
    public let start: C.Instant
    let names: [String]
    let timings: [SourceTiming]
    let options: MergeOptions

    /// Milliseconds of feed time since the start, by the clock.
    public var elapsed: Int64 { start.duration(to: clock.now).milliseconds }

    /// Hands back a batch the consumer has finished with (optional). Its headlines are
    /// then freed by a source task, on the thread that allocated them, instead of by the
    /// consumer: at `--speed max` that takes the cost of freeing off the busiest thread
    /// and lets the allocator reuse the memory without crossing threads.
    public func recycle(_ batch: [Arrival]) {
        storage.recycle(batch)
    }

    public func makeAsyncIterator() -> Iterator { Iterator(feed: self) }

    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = FeedEvent
        public typealias Failure = any Error

        private let feed: MergedFeed
        /// The clock, if it can jump to deadlines (``VirtualClock``, a ``ReplayClock`` at max speed).
        private let jumper: (any JumpingClock)?
        private let virtualStart: FeedInstant
        /// The batch being merged from each lane, and the position in it.
        private var heads: [[Arrival]]
        private var positions: [Int]
        private var open: [Bool]
        /// Lanes whose source failed and is waiting to be retried: not waited for.
        private var down: [Bool]
        /// Lanes given up on after the stall grace (jumping clock only), until they send.
        private var stalled: [Bool]
        private var output: [Arrival] = []
        private var pending: Deque<FeedEvent> = []
        private var done = false
        /// Whether the clock has been told that every scheduled lane has its first batch.
        private var toldReady = false

        init(feed: MergedFeed) {
            self.feed = feed
            self.jumper = feed.clock as? any JumpingClock
            self.virtualStart = (feed.start as? FeedInstant) ?? FeedInstant(offset: .zero)
            heads = Array(repeating: [], count: feed.names.count)
            positions = Array(repeating: 0, count: feed.names.count)
            open = Array(repeating: true, count: feed.names.count)
            down = Array(repeating: false, count: feed.names.count)
            stalled = down
        }

        public mutating func next() async throws -> FeedEvent? {
            while true {
                if let event = pending.popFirst() { return event }
                if done { return nil }
                if let event = try await step() { return event }
            }
        }

        /// Hands out what was gathered so far, if anything.
        private mutating func flush() -> FeedEvent? {
            guard let last = output.last else { return nil }
            // On a jumping clock, time jumps to the last deadline handed out.
            if let jumper, jumper.jumps { jumper.jump(to: virtualStart.advanced(by: .milliseconds(last.offset))) }
            let event = FeedEvent.headlines(output)
            output = []
            if jumper != nil { output.reserveCapacity(feed.options.maxBatch) }
            return event
        }

        private mutating func restarting(lane: Int, error: any Error, delay: Duration) {
            down[lane] = true
            pending.append(.sourceRestarting(source: feed.names[lane], error: error, delay: delay))
        }

        private mutating func close(lane: Int, error: (any Error)?) {
            open[lane] = false
            let name = feed.names[lane]
            pending.append(error.map { .sourceFailed(source: name, error: $0) } ?? .sourceFinished(source: name))
        }

        /// One step of merging: returns an event to hand out, or nil to go round again.
        private mutating func step() async throws -> FeedEvent? {
            let realTime = !(jumper?.jumps ?? false)
            // 1. Every open scheduled lane needs a head before the earliest can be chosen.
            //    On a real clock a lane is waited for only until another lane's next
            //    headline is due: a source that stalls or is down (between retries) must
            //    not hold back the others. Its headlines, when they come, go out at once.
            var missing = false
            for lane in heads.indices where open[lane] && feed.timings[lane] == .scheduled
                && positions[lane] == heads[lane].count
            {
                var fetched = feed.storage.tryFetch(lane: lane)
                if case .empty = fetched {
                    if down[lane] || stalled[lane] { continue }  // being retried, or stalled: go on without it
                    if realTime {
                        missing = true
                        continue
                    }
                    // Hand out what is gathered first: it may wait a while (a late
                    // headline from a stalled source must not wait for the next stall).
                    if let event = flush() { return event }
                    fetched = try await feed.storage.fetch(lane: lane, within: feed.options.stall)
                    if case .empty = fetched {
                        stalled[lane] = true
                        continue
                    }
                }
                switch fetched {
                case .batch(let batch):
                    heads[lane] = batch
                    positions[lane] = 0
                    down[lane] = false
                    stalled[lane] = false
                case .ended(let error):
                    close(lane: lane, error: error)
                    return flush()
                case .failed(let error, let delay):
                    restarting(lane: lane, error: error, delay: delay)
                    return flush()
                case .empty:
                    return nil
                }
            }
            if missing {
                let next = earliestLane()
                var due = next >= 0 ? instant(heads[next][positions[next]].offset) : nil
                // The end (--duration) counts once the feed is under way; before the first
                // headlines every source gets the time it needs to start.
                if next >= 0 || toldReady, let end = feed.options.endOffset.map(instant) { due = Swift.min(due ?? end, end) }
                if due.map({ feed.clock.now < $0 }) ?? true {
                    // Hand out what is due, then wait for any lane or the next deadline.
                    if let event = flush() { return event }
                    try await waitForAnyLane(until: due)
                    return nil
                }
            }
            if !toldReady {
                toldReady = true
                (feed.clock as? any ReadyAwareClock)?.feedReady()
            }
            // 2. Live lanes: whatever has arrived is due now.
            for lane in heads.indices where open[lane] && feed.timings[lane] == .live {
                switch feed.storage.tryFetch(lane: lane) {
                case .batch(let batch):
                    let now = feed.start.duration(to: feed.clock.now).milliseconds
                    output += batch.map { Arrival(offset: now, headline: $0.headline) }
                case .ended(let error):
                    close(lane: lane, error: error)
                    return flush()
                case .failed(let error, let delay):
                    restarting(lane: lane, error: error, delay: delay)
                    return flush()
                case .empty:
                    break
                }
            }
            // 3. Release heads in offset order until one is not due yet, a lane needs
            //    its next batch, or the output batch is full. This loop is the hot path
            //    at --speed max: it touches nothing generic and nothing asynchronous.
            while true {
                let best = earliestLane()
                if best < 0 {
                    if let event = flush() { return event }
                    if waitingOpen {
                        // Only sources that are stalled or being retried are left: wait for
                        // any of them (on a real clock, no longer than the end). On a jumping
                        // clock nothing more is due before the end when every one left is
                        // stalled (a retried one comes back after its real-time backoff), so
                        // time jumps to the end.
                        if realTime && reachedEnd() { done = true; return nil }
                        if !realTime && feed.options.endOffset != nil && !downOpen { done = true; return nil }
                        try await waitForAnyLane(until: realTime ? feed.options.endOffset.map(instant) : nil)
                        return nil
                    }
                    if liveOpen {
                        if reachedEnd() { done = true; return nil }
                        try await wait(until: feed.options.endOffset.map(instant), live: true)
                        if reachedEnd() { done = true }
                        return nil
                    }
                    done = true
                    return nil
                }
                let offset = heads[best][positions[best]].offset
                if let end = feed.options.endOffset, offset > end {
                    if let event = flush() { return event }
                    if realTime, case let deadline = instant(end), feed.clock.now < deadline {
                        try await feed.clock.sleep(until: deadline, tolerance: nil)
                    }
                    done = true
                    return nil
                }
                if realTime, case let deadline = instant(offset), feed.clock.now < deadline {
                    // 4. Not due yet: hand out what is, then sleep until it is.
                    if let event = flush() { return event }
                    try await wait(until: deadline, live: liveOpen)
                    return nil  // look again: a live headline may have come first
                }
                // Move the headline out (a placeholder takes its place): no reference
                // counting per headline, which costs more than anything else here.
                var taken = Arrival.placeholder
                swap(&taken, &heads[best][positions[best]])
                output.append(consume taken)
                positions[best] += 1
                if positions[best] == heads[best].count {
                    heads[best] = []
                    positions[best] = 0
                    if output.count >= feed.options.maxBatch { return flush() }
                    return nil  // fetch that lane's next batch first
                }
                if output.count >= feed.options.maxBatch { return flush() }
            }
        }

        /// The lane whose next headline has the smallest offset (ties: the lane listed
        /// first), or -1 when no lane has one.
        private func earliestLane() -> Int {
            var best = -1
            var bestOffset = Int64.max
            for lane in heads.indices where positions[lane] < heads[lane].count {
                let offset = heads[lane][positions[lane]].offset
                if offset < bestOffset { best = lane; bestOffset = offset }
            }
            return best
        }

        private var liveOpen: Bool {
            heads.indices.contains { open[$0] && feed.timings[$0] == .live }
        }

        /// Whether a scheduled source that has not ended is being retried.
        private var downOpen: Bool {
            heads.indices.contains { open[$0] && feed.timings[$0] == .scheduled && down[$0] }
        }

        /// Whether a scheduled source that has not ended is stalled or being retried.
        private var waitingOpen: Bool {
            heads.indices.contains { open[$0] && feed.timings[$0] == .scheduled && (down[$0] || stalled[$0]) }
        }

        private func instant(_ offset: Int64) -> C.Instant {
            feed.start.advanced(by: .milliseconds(offset))
        }

        private func reachedEnd() -> Bool {
            guard let end = feed.options.endOffset else { return false }
            return feed.clock.now >= instant(end)
        }

        /// Sleeps until `deadline` (forever if nil), or until any lane has something.
        private func waitForAnyLane(until deadline: C.Instant?) async throws {
            let storage = feed.storage
            let clock = feed.clock
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await storage.waitForAny() }
                if let deadline {
                    group.addTask { try await clock.sleep(until: deadline, tolerance: nil) }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }

        /// Sleeps until `deadline` (forever if nil), or until a live source has something.
        private func wait(until deadline: C.Instant?, live: Bool) async throws {
            guard live else {
                if let deadline { try await feed.clock.sleep(until: deadline, tolerance: nil) }
                return
            }
            let storage = feed.storage
            let clock = feed.clock
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await storage.waitForLive() }
                if let deadline {
                    group.addTask { try await clock.sleep(until: deadline, tolerance: nil) }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }
}

/// The shared channel: one bounded queue of batches per source, behind one lock.
final class MergeStorage: Sendable {
    enum Fetch {
        case batch([Arrival])
        case ended((any Error)?)
        /// The source failed and is being retried after `delay`.
        case failed(any Error, delay: Duration)
        case empty
    }

    fileprivate struct Lane {
        var live: Bool
        var queue: Deque<[Arrival]> = []
        var ended = false
        /// The consumer has been told of the end.
        var endReported = false
        var error: (any Error)?
        /// Failures being retried, not yet reported (after the batches queued before them).
        var failures: Deque<(error: any Error, delay: Duration)> = []
        /// A producer waiting for room in this lane.
        var producer: CheckedContinuation<Void, any Error>?
    }

    fileprivate struct State {
        var lanes: [Lane]
        /// Batches the consumer is done with, to be freed by a producer (see `recycle`).
        var spent: [[Arrival]] = []
        /// The consumer waiting for `waitingLane` (any live lane when it is -1, any lane at -2).
        var consumer: CheckedContinuation<Void, any Error>?
        var waitingLane = 0
        var shutDown = false
    }

    private let state: Protected<State>
    private let capacity: Int
    /// A waiting producer is woken when its lane is down to this many batches (half the
    /// capacity), not at the first free place: it then produces several batches per
    /// wake-up instead of one, and the two sides hand over far less often.
    private let resumeBelow: Int

    init(timings: [SourceTiming], capacity: Int) {
        state = Protected(State(lanes: timings.map { Lane(live: $0 == .live) }))
        self.capacity = capacity
        resumeBelow = capacity / 2
    }

    // MARK: producers

    /// Adds a batch to `lane`; waits while the lane holds more than `capacity` batches.
    func send(_ batch: [Arrival], lane: Int) async throws {
        var spent: [[Arrival]] = []
        let (full, consumer) = state.withLock { s -> (Bool, CheckedContinuation<Void, any Error>?) in
            swap(&spent, &s.spent)
            if s.shutDown { return (false, nil) }
            s.lanes[lane].queue.append(batch)
            return (s.lanes[lane].queue.count > capacity, s.takeConsumer(for: lane))
        }
        consumer?.resume()
        spent.removeAll()  // frees the consumer's spent headlines here, on the producer's thread
        guard full else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.shutDown || Task.isCancelled || s.lanes[lane].queue.count <= resumeBelow { return true }
                    s.lanes[lane].producer = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiting = state.withLock { s -> CheckedContinuation<Void, any Error>? in
                defer { s.lanes[lane].producer = nil }
                return s.lanes[lane].producer
            }
            waiting?.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// The source of `lane` failed and will be retried after `delay`.
    func fail(lane: Int, error: any Error, delay: Duration) {
        let consumer = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            s.lanes[lane].failures.append((error, delay))
            return s.takeConsumer(for: lane)
        }
        consumer?.resume()
    }

    /// The source of `lane` has ended, with `error` if it failed.
    func end(lane: Int, with error: (any Error)?) {
        let consumer = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            s.lanes[lane].ended = true
            s.lanes[lane].error = error
            return s.takeConsumer(for: lane)
        }
        consumer?.resume()
    }

    /// Takes a batch the consumer is done with; the next producer to send frees it.
    func recycle(_ batch: [Arrival]) {
        state.withLock { s in
            if !s.shutDown && s.spent.count < 64 { s.spent.append(batch) }
        }
    }

    /// The consumer is gone: release every waiting producer and refuse new batches.
    func shutDown() {
        let producers = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            s.shutDown = true
            var waiting: [CheckedContinuation<Void, any Error>] = []
            for i in s.lanes.indices {
                if let p = s.lanes[i].producer { waiting.append(p) }
                s.lanes[i].producer = nil
                s.lanes[i].queue.removeAll()
            }
            return waiting
        }
        for p in producers { p.resume(throwing: CancellationError()) }
    }

    // MARK: the consumer

    /// The next batch of `lane` if one is queued, without waiting.
    func tryFetch(lane: Int) -> Fetch {
        let (result, producer) = state.withLock { s -> (Fetch, CheckedContinuation<Void, any Error>?) in
            if let batch = s.lanes[lane].queue.popFirst() {
                var producer: CheckedContinuation<Void, any Error>?
                if s.lanes[lane].queue.count <= resumeBelow {
                    producer = s.lanes[lane].producer
                    s.lanes[lane].producer = nil
                }
                return (.batch(batch), producer)
            }
            if let failure = s.lanes[lane].failures.popFirst() { return (.failed(failure.error, delay: failure.delay), nil) }
            guard s.lanes[lane].ended else { return (.empty, nil) }
            s.lanes[lane].endReported = true
            return (.ended(s.lanes[lane].error), nil)
        }
        producer?.resume()
        return result
    }

    /// The next batch of `lane`, or its end, waiting for it until a whole `stall.grace`
    /// passes in which the sources' thread was idle (`.empty` then). While it is busy the
    /// wait goes on: every source runs on that one thread, and on a loaded machine (or in
    /// a debug build, or beside other feeds in the tests) a healthy source can wait for it
    /// longer than the grace before making its next batch.
    func fetch(lane: Int, within stall: StallPolicy) async throws -> Fetch {
        var taken = ThreadExecutor.sources.activity.jobsTaken
        while true {
            let result = tryFetch(lane: lane)
            guard case .empty = result else { return result }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.waitForChange(lane: lane) }
                group.addTask { try await stall.sleep(stall.grace) }
                _ = try await group.next()
                group.cancelAll()
            }
            let now = ThreadExecutor.sources.activity
            if now.idle && now.jobsTaken == taken {
                return tryFetch(lane: lane)
            }
            taken = now.jobsTaken
        }
    }

    /// Waits until any live lane has a batch or has ended.
    func waitForLive() async throws {
        try await waitForChange(lane: -1)
    }

    /// Waits until any lane has a batch or has ended.
    func waitForAny() async throws {
        try await waitForChange(lane: -2)
    }

    private func waitForChange(lane: Int) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { s -> Bool in
                    if Task.isCancelled || s.hasNews(for: lane) { return true }
                    s.consumer = continuation
                    s.waitingLane = lane
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiting = state.withLock { s -> CheckedContinuation<Void, any Error>? in
                defer { s.consumer = nil }
                return s.consumer
            }
            waiting?.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }
}

extension MergeStorage.State {
    /// True if the consumer waiting for `lane` (-1: any lane) has something to look at.
    fileprivate func hasNews(for lane: Int) -> Bool {
        func news(_ l: MergeStorage.Lane) -> Bool { !l.queue.isEmpty || !l.failures.isEmpty || (l.ended && !l.endReported) }
        if lane >= 0 { return news(lanes[lane]) }
        if lane == -2 { return lanes.contains(where: news) }
        return lanes.contains { $0.live && news($0) }
    }

    fileprivate mutating func takeConsumer(for lane: Int) -> CheckedContinuation<Void, any Error>? {
        guard let consumer, waitingLane == lane || waitingLane == -2 || (waitingLane == -1 && lanes[lane].live) else { return nil }
        self.consumer = nil
        return consumer
    }
}

/// Hands batches the view has taken in back to the merge, whose source tasks free them
/// (see `MergedFeed.recycle`).
///
/// The function is kept in a class of its own, not as a closure value inside the lock's
/// generic storage: reading a closure through a generic `inout` re-abstracts it and writes
/// the wrapped closure back, so every call added two thunks to a chain that the next call
/// ran through. A 30-minute soak found it (the stack grew by 224 KB a minute).
public final class Recycler: Sendable {
    private final class Target: Sendable {
        let recycle: @Sendable ([Arrival]) -> Void
        init(_ recycle: @escaping @Sendable ([Arrival]) -> Void) { self.recycle = recycle }
    }
    private let target = Protected<Target?>(nil)
    public init() {}

    public func set(_ recycle: (@Sendable ([Arrival]) -> Void)?) {
        let wrapped = recycle.map(Target.init)
        target.withLock { $0 = wrapped }
    }
    public func recycle(_ batch: [Arrival]) { target.withLock { $0 }?.recycle(batch) }
}
