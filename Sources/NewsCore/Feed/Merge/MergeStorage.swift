/// The shared channel between the source tasks and the consumer: owns the lock around
/// the ``MergeStateMachine`` and performs its actions (resuming and suspending
/// continuations, freeing spent batches) outside the lock, as swift-async-algorithms'
/// `MergeStorage` does.
final class MergeStorage: Sendable {
    typealias Machine = MergeStateMachine<CheckedContinuation<Void, any Error>>
    typealias Fetch = Machine.Fetch

    private let state: Protected<Machine>

    init(timings: [SourceTiming], capacity: Int) {
        state = Protected(Machine(timings: timings, capacity: capacity))
    }

    // MARK: producers

    /// Adds a batch to `lane`; waits while the lane holds more than its capacity.
    func send(_ batch: [Arrival], lane: Int) async throws {
        var spent: [[Arrival]] = []
        let action = state.withLock { machine in
            spent = machine.takeSpent()
            return machine.batchSent(batch, lane: lane)
        }
        var suspend = false
        if case .queued(let consumer, let full) = action {
            consumer?.resume()
            suspend = full
        }
        spent.removeAll()  // frees the consumer's spent headlines here, on the producer's thread
        guard suspend else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let action = state.withLock { machine -> Machine.ProducerSuspendedAction in
                    // Checked under the lock: a cancellation after it finds the producer stored.
                    if Task.isCancelled { return .resumeProducer(continuation) }
                    return machine.producerSuspended(continuation, lane: lane)
                }
                if case .resumeProducer(let producer) = action { producer.resume() }
            }
        } onCancel: {
            state.withLock { $0.producerCancelled(lane: lane) }?.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// The source of `lane` failed and will be retried after `delay`.
    func fail(lane: Int, error: any Error, delay: Duration) {
        state.withLock { $0.sourceFailed(lane: lane, error: error, delay: delay) }?.resume()
    }

    /// The source of `lane` has ended, with `error` if it failed.
    func end(lane: Int, with error: (any Error)?) {
        state.withLock { $0.sourceEnded(lane: lane, error: error) }?.resume()
    }

    // MARK: the consumer

    /// Takes a batch the consumer is done with; the next producer to send frees it.
    func recycle(_ batch: [Arrival]) {
        state.withLock { $0.batchRecycled(batch) }
    }

    /// The consumer is gone: release every waiting producer and refuse new batches.
    func shutDown() {
        for producer in state.withLock({ $0.shutDown() }) { producer.resume(throwing: CancellationError()) }
    }

    /// The next batch of `lane` if one is queued, without waiting.
    func tryFetch(lane: Int) -> Fetch {
        switch state.withLock({ $0.fetch(lane: lane) }) {
        case .deliver(let fetch):
            return fetch
        case .deliverResumingProducer(let batch, let producer):
            producer.resume()
            return .batch(batch)
        }
    }

    /// The next batch of `lane`, or its end, waiting for it until a whole `stall.grace`
    /// passes in which the sources' thread (`executor`) was idle (`.empty` then). While it is busy the
    /// wait goes on: every source runs on that one thread, and on a loaded machine (or in
    /// a debug build, or beside other feeds in the tests) a healthy source can wait for it
    /// longer than the grace before making its next batch.
    func fetch(lane: Int, within stall: StallPolicy, on executor: ThreadExecutor) async throws -> Fetch {
        var taken = executor.activity.jobsTaken
        while true {
            let result = tryFetch(lane: lane)
            guard case .empty = result else { return result }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.wait(for: .lane(lane)) }
                group.addTask { try await stall.sleep(stall.grace) }
                _ = try await group.next()
                group.cancelAll()
            }
            let now = executor.activity
            if now.idle && now.jobsTaken == taken {
                return tryFetch(lane: lane)
            }
            taken = now.jobsTaken
        }
    }

    /// Sleeps until `interest` has news: a batch, a failure or an end.
    func wait(for interest: Machine.Interest) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let action = state.withLock { machine -> Machine.ConsumerSuspendedAction in
                    if Task.isCancelled { return .resumeConsumer(continuation) }
                    return machine.consumerSuspended(continuation, for: interest)
                }
                if case .resumeConsumer(let consumer) = action { consumer.resume() }
            }
        } onCancel: {
            state.withLock { $0.consumerCancelled() }?.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }
}
