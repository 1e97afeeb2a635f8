import DequeModule

/// The merge's channel as a plain state machine: one bounded queue of batches per
/// source (a lane), the waiting producers and the waiting consumer.
///
/// Each mutating method takes one event (a source sent a batch, failed, ended; the
/// consumer fetched, went to sleep, was cancelled) and returns what must be done about
/// it, as in swift-async-algorithms' `MergeStateMachine`. It never resumes anything and
/// never blocks: ``MergeStorage`` calls it under its lock and performs the actions after
/// releasing it. So every rule of the channel can be tested without threads, and the
/// continuation type is a parameter (a plain value in tests).
struct MergeStateMachine<Continuation> {
    /// What a sleeping consumer waits for (a lane, or any lane of a kind).
    enum Interest: Equatable {
        /// One scheduled lane, whose head the merge needs next.
        case lane(Int)
        /// Any live lane: the merge sleeps until a deadline, but a live headline comes first.
        case anyLive
        /// Any lane at all: every scheduled lane left is stalled or down, or one is missing on a real clock.
        case anyLane
    }

    /// One source's queue and how it stands.
    struct Lane {
        /// Live lanes wake a consumer waiting for ``Interest/anyLive``.
        var live: Bool
        /// Batches sent and not yet fetched, oldest first.
        var queue: Deque<[Arrival]> = []
        /// The source has ended (it returned nil or failed for good).
        var ended = false
        /// The consumer has been told of the end: nothing more is news from this lane.
        var endReported = false
        /// Why it ended, if it failed.
        var error: (any Error)?
        /// Failures being retried, not yet reported (after the batches queued before them).
        var failures: Deque<(error: any Error, delay: Duration)> = []
        /// The producer waiting for room in this lane.
        var producer: Continuation?

        /// Whether the consumer has something to look at in this lane.
        var hasNews: Bool { !queue.isEmpty || !failures.isEmpty || (ended && !endReported) }
    }

    /// What the consumer gets from a lane, without waiting.
    enum Fetch {
        /// The lane's oldest batch.
        case batch([Arrival])
        /// The source ended, with its error if it failed; reported once.
        case ended((any Error)?)
        /// The source failed and is being retried after `delay`.
        case failed(any Error, delay: Duration)
        /// Nothing queued and not ended: the source is still making its next batch.
        case empty
    }

    /// What to do after ``batchSent(_:lane:)``.
    enum SendAction {
        /// The consumer has gone: the batch is dropped and the producer goes on to its end.
        case dropped
        /// The batch is queued; resume the consumer if it was waiting for it, and suspend the
        /// producer if the lane now holds more than `capacity` batches.
        case queued(resumeConsumer: Continuation?, suspendProducer: Bool)
    }

    /// What to do after ``producerSuspended(_:lane:)``.
    enum ProducerSuspendedAction {
        /// There is room already (or the consumer has gone): resume the producer at once.
        case resumeProducer(Continuation)
        /// Keep it waiting: the consumer's fetch resumes it.
        case none
    }

    /// What to do after ``fetch(lane:)``.
    enum FetchAction {
        /// Hand the fetch to the consumer.
        case deliver(Fetch)
        /// Hand the batch to the consumer and resume the lane's producer: it was waiting for
        /// room, and the lane is down to ``resumeBelow`` batches.
        case deliverResumingProducer([Arrival], Continuation)
    }

    /// What to do after ``consumerSuspended(_:for:)``.
    enum ConsumerSuspendedAction {
        /// Something it waits for is there already: resume the consumer at once.
        case resumeConsumer(Continuation)
        /// Keep it waiting: a producer's event resumes it.
        case none
    }

    private(set) var lanes: [Lane]
    /// Batches the consumer is done with, to be freed by a producer (see ``batchRecycled(_:)``).
    private var spent: [[Arrival]] = []
    /// The sleeping consumer and what it waits for (at most one: there is one consumer).
    private var consumer: (continuation: Continuation, interest: Interest)?
    /// The consumer has gone: no batch is queued any more.
    private var isShutDown = false
    /// Batches a lane may hold before its producer waits.
    let capacity: Int
    /// A waiting producer is woken when its lane is down to this many batches (half the
    /// capacity), not at the first free place: it then produces several batches per
    /// wake-up instead of one, and the two sides hand over far less often.
    let resumeBelow: Int
    /// Most spent batches kept for the producers to free; more are freed by the consumer.
    static var maxSpent: Int { 64 }

    init(timings: [SourceTiming], capacity: Int) {
        lanes = timings.map { Lane(live: $0 == .live) }
        self.capacity = capacity
        resumeBelow = capacity / 2
    }

    // MARK: producers' events

    /// A producer takes the spent batches, to free them on its own thread, outside the lock.
    mutating func takeSpent() -> [[Arrival]] {
        guard !spent.isEmpty else { return [] }
        var taken: [[Arrival]] = []
        swap(&taken, &spent)
        return taken
    }

    /// The source of `lane` sent `batch`.
    mutating func batchSent(_ batch: [Arrival], lane: Int) -> SendAction {
        if isShutDown { return .dropped }
        lanes[lane].queue.append(batch)
        return .queued(resumeConsumer: takeConsumer(for: lane), suspendProducer: lanes[lane].queue.count > capacity)
    }

    /// The producer of `lane`, told to suspend, is about to sleep until there is room.
    mutating func producerSuspended(_ producer: Continuation, lane: Int) -> ProducerSuspendedAction {
        if isShutDown || lanes[lane].queue.count <= resumeBelow { return .resumeProducer(producer) }
        lanes[lane].producer = producer
        return .none
    }

    /// The producer of `lane` was cancelled while it waited: returns it, to be resumed throwing.
    mutating func producerCancelled(lane: Int) -> Continuation? {
        defer { lanes[lane].producer = nil }
        return lanes[lane].producer
    }

    /// The source of `lane` failed and will be retried after `delay`: returns the consumer
    /// to resume, if it was waiting for this lane.
    mutating func sourceFailed(lane: Int, error: any Error, delay: Duration) -> Continuation? {
        lanes[lane].failures.append((error, delay))
        return takeConsumer(for: lane)
    }

    /// The source of `lane` has ended, with `error` if it failed: returns the consumer to
    /// resume, if it was waiting for this lane.
    mutating func sourceEnded(lane: Int, error: (any Error)?) -> Continuation? {
        lanes[lane].ended = true
        lanes[lane].error = error
        return takeConsumer(for: lane)
    }

    // MARK: the consumer's events

    /// The consumer is done with `batch`: the next producer to send frees it (unless the
    /// consumer has gone or enough are waiting already: then the consumer frees it).
    mutating func batchRecycled(_ batch: [Arrival]) {
        if !isShutDown && spent.count < Self.maxSpent { spent.append(batch) }
    }

    /// The consumer wants the next thing from `lane`, without waiting.
    mutating func fetch(lane: Int) -> FetchAction {
        if let batch = lanes[lane].queue.popFirst() {
            if lanes[lane].queue.count <= resumeBelow, let producer = lanes[lane].producer {
                lanes[lane].producer = nil
                return .deliverResumingProducer(batch, producer)
            }
            return .deliver(.batch(batch))
        }
        if let failure = lanes[lane].failures.popFirst() { return .deliver(.failed(failure.error, delay: failure.delay)) }
        guard lanes[lane].ended else { return .deliver(.empty) }
        lanes[lane].endReported = true
        return .deliver(.ended(lanes[lane].error))
    }

    /// The consumer is about to sleep until `interest` has news.
    mutating func consumerSuspended(_ continuation: Continuation, for interest: Interest) -> ConsumerSuspendedAction {
        if hasNews(for: interest) { return .resumeConsumer(continuation) }
        consumer = (continuation, interest)
        return .none
    }

    /// The consumer was cancelled while it slept: returns it, to be resumed throwing.
    mutating func consumerCancelled() -> Continuation? {
        defer { consumer = nil }
        return consumer?.continuation
    }

    /// The consumer has gone (the body returned or threw): returns the waiting producers,
    /// to be resumed throwing; queued batches are dropped and new ones refused.
    mutating func shutDown() -> [Continuation] {
        isShutDown = true
        var waiting: [Continuation] = []
        for i in lanes.indices {
            if let producer = lanes[i].producer { waiting.append(producer) }
            lanes[i].producer = nil
            lanes[i].queue.removeAll()
        }
        return waiting
    }

    // MARK: helpers

    /// Whether a consumer waiting for `interest` has something to look at.
    private func hasNews(for interest: Interest) -> Bool {
        switch interest {
        case .lane(let lane): lanes[lane].hasNews
        case .anyLive: lanes.contains { $0.live && $0.hasNews }
        case .anyLane: lanes.contains(where: \.hasNews)
        }
    }

    /// Takes the sleeping consumer if news in `lane` is what it waits for.
    private mutating func takeConsumer(for lane: Int) -> Continuation? {
        guard let consumer else { return nil }
        switch consumer.interest {
        case .lane(let wanted) where wanted != lane: return nil
        case .anyLive where !lanes[lane].live: return nil
        default: break
        }
        self.consumer = nil
        return consumer.continuation
    }
}
