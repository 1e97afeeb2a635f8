@testable import NewsCore
import Testing

/// The merge's channel rules, event by event: no threads, no clocks. Continuations are
/// plain names here, so each test says which one an action resumes.
@Suite("Merge state machine")
struct MergeStateMachineTests {
    typealias Machine = MergeStateMachine<String>

    /// Two scheduled lanes (0, 1) and a live one (2), 4 batches each before a producer waits.
    func machine() -> Machine { Machine(timings: [.scheduled, .scheduled, .live], capacity: 4) }

    func batch(_ offset: Int64) -> [Arrival] {
        [Arrival(offset: offset, headline: Headline(id: "\(offset)", source: "s", title: "t", published: testStart))]
    }

    /// The consumer as it would come out of `send`, or nil.
    func resumedConsumer(_ action: Machine.SendAction) -> String? {
        guard case .queued(let consumer, _) = action else { return nil }
        return consumer
    }

    func fetched(_ action: Machine.FetchAction) -> (offsets: [Int64]?, producer: String?, ended: Bool, failed: Bool) {
        switch action {
        case .deliverResumingProducer(let batch, let producer): return (batch.map(\.offset), producer, false, false)
        case .deliver(.batch(let batch)): return (batch.map(\.offset), nil, false, false)
        case .deliver(.ended): return (nil, nil, true, false)
        case .deliver(.failed): return (nil, nil, false, true)
        case .deliver(.empty): return (nil, nil, false, false)
        }
    }

    @Test("a consumer waiting for one lane is resumed by that lane only")
    func consumerWaitsForItsLane() {
        var m = machine()
        guard case .none = m.consumerSuspended("consumer", for: .lane(1)) else { Issue.record("nothing was queued"); return }
        #expect(resumedConsumer(m.batchSent(batch(1), lane: 0)) == nil)
        #expect(resumedConsumer(m.batchSent(batch(2), lane: 2)) == nil)
        #expect(resumedConsumer(m.batchSent(batch(3), lane: 1)) == "consumer")
        // Taken once: the next batch resumes nobody.
        #expect(resumedConsumer(m.batchSent(batch(4), lane: 1)) == nil)
    }

    @Test("a consumer waiting for any live lane is resumed by a live lane, not a scheduled one")
    func consumerWaitsForLive() {
        var m = machine()
        _ = m.consumerSuspended("consumer", for: .anyLive)
        #expect(resumedConsumer(m.batchSent(batch(1), lane: 0)) == nil)
        #expect(m.sourceEnded(lane: 1, error: nil) == nil)
        #expect(resumedConsumer(m.batchSent(batch(2), lane: 2)) == "consumer")
    }

    @Test("a consumer waiting for any lane is resumed by a batch, a failure or an end in any of them")
    func consumerWaitsForAny() {
        var m = machine()
        _ = m.consumerSuspended("c1", for: .anyLane)
        #expect(resumedConsumer(m.batchSent(batch(1), lane: 0)) == "c1")
        var n = machine()
        _ = n.consumerSuspended("c2", for: .anyLane)
        #expect(n.sourceFailed(lane: 1, error: TestFailure(), delay: .seconds(1)) == "c2")
        var o = machine()
        _ = o.consumerSuspended("c3", for: .anyLane)
        #expect(o.sourceEnded(lane: 2, error: nil) == "c3")
    }

    @Test("a consumer about to sleep is resumed at once when what it waits for is there already")
    func newsBeforeSleeping() {
        var m = machine()
        _ = m.batchSent(batch(1), lane: 2)
        guard case .resumeConsumer("c") = m.consumerSuspended("c", for: .anyLive) else { Issue.record("it slept"); return }
        guard case .none = m.consumerSuspended("d", for: .lane(0)) else { Issue.record("lane 0 has nothing"); return }
        // An end is news until it has been reported.
        var n = machine()
        _ = n.sourceEnded(lane: 0, error: nil)
        guard case .resumeConsumer = n.consumerSuspended("c", for: .lane(0)) else { Issue.record("the end was no news"); return }
        #expect(fetched(n.fetch(lane: 0)).ended)
        guard case .none = n.consumerSuspended("c", for: .lane(0)) else { Issue.record("a reported end was news again"); return }
    }

    @Test("a lane hands out its queued batches in order, then its failures, then its end")
    func fetchOrder() {
        var m = machine()
        _ = m.batchSent(batch(1), lane: 0)
        _ = m.sourceFailed(lane: 0, error: TestFailure(), delay: .seconds(2))
        _ = m.batchSent(batch(2), lane: 0)
        _ = m.sourceEnded(lane: 0, error: TestFailure())
        #expect(fetched(m.fetch(lane: 0)).offsets == [1])
        #expect(fetched(m.fetch(lane: 0)).offsets == [2])
        guard case .deliver(.failed(_, let delay)) = m.fetch(lane: 0) else { Issue.record("no failure"); return }
        #expect(delay == .seconds(2))
        guard case .deliver(.ended(let error)) = m.fetch(lane: 0) else { Issue.record("no end"); return }
        #expect(error is TestFailure)
        #expect(fetched(m.fetch(lane: 0)).ended)  // asked again, it is still ended
        guard case .deliver(.empty) = m.fetch(lane: 1) else { Issue.record("lane 1 had something"); return }
    }

    @Test("a producer waits once its lane holds more than the capacity, and is resumed at half of it")
    func backPressure() {
        var m = machine()
        for offset in 1...4 {
            guard case .queued(_, false) = m.batchSent(batch(Int64(offset)), lane: 0) else { Issue.record("waited at \(offset)"); return }
        }
        guard case .queued(_, true) = m.batchSent(batch(5), lane: 0) else { Issue.record("did not wait at 5"); return }
        guard case .none = m.producerSuspended("producer", lane: 0) else { Issue.record("resumed while full"); return }
        // 5 queued: resumed only when the fetch leaves 2 (capacity / 2).
        #expect(fetched(m.fetch(lane: 0)).producer == nil)
        #expect(fetched(m.fetch(lane: 0)).producer == nil)
        let third = fetched(m.fetch(lane: 0))
        #expect(third.offsets == [3] && third.producer == "producer")
        #expect(fetched(m.fetch(lane: 0)).producer == nil)
    }

    @Test("a producer told to wait is resumed at once if the consumer made room meanwhile")
    func roomBeforeSleeping() {
        var m = machine()
        for offset in 1...5 { _ = m.batchSent(batch(Int64(offset)), lane: 0) }
        for _ in 1...3 { _ = m.fetch(lane: 0) }
        guard case .resumeProducer("p") = m.producerSuspended("p", lane: 0) else { Issue.record("it slept"); return }
    }

    @Test("shutting down hands back every waiting producer, drops the queues and refuses new batches")
    func shutDown() {
        var m = machine()
        for lane in [0, 1] {
            for offset in 1...5 { _ = m.batchSent(batch(Int64(offset)), lane: lane) }
            _ = m.producerSuspended("p\(lane)", lane: lane)
        }
        #expect(m.shutDown().sorted() == ["p0", "p1"])
        #expect(m.lanes.allSatisfy { $0.queue.isEmpty && $0.producer == nil })
        guard case .dropped = m.batchSent(batch(6), lane: 2) else { Issue.record("queued after shut down"); return }
        guard case .resumeProducer("late") = m.producerSuspended("late", lane: 0) else { Issue.record("a producer slept after shut down"); return }
    }

    @Test("cancelling hands back the waiting producer or consumer once")
    func cancellation() {
        var m = machine()
        for offset in 1...5 { _ = m.batchSent(batch(Int64(offset)), lane: 0) }
        _ = m.producerSuspended("p", lane: 0)
        #expect(m.producerCancelled(lane: 0) == "p")
        #expect(m.producerCancelled(lane: 0) == nil)
        _ = m.consumerSuspended("c", for: .lane(1))
        #expect(m.consumerCancelled() == "c")
        #expect(m.consumerCancelled() == nil)
        #expect(resumedConsumer(m.batchSent(batch(1), lane: 1)) == nil)
    }

    @Test("recycled batches go to the next producer that sends, at most 64 of them, none after shut down")
    func recycling() {
        var m = machine()
        for offset in 0..<70 { m.batchRecycled(batch(Int64(offset))) }
        #expect(m.takeSpent().count == Machine.maxSpent)
        #expect(m.takeSpent().isEmpty)
        _ = m.shutDown()
        m.batchRecycled(batch(1))
        #expect(m.takeSpent().isEmpty)
    }
}
