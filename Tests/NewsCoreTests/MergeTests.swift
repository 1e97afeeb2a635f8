import Clocks
import Foundation
import NewsCore
import Synchronization
import Testing

@Suite("Merge", .timeLimit(.minutes(1)))
struct MergeTests {
    @Test("each source's order is kept and the merge is ordered by arrival offset")
    func orderPerSource() async throws {
        let a = FixedSource(name: "a", offsets: [10, 20, 30, 40, 50, 60, 70])
        let b = FixedSource(name: "b", offsets: [5, 25, 26, 27, 80])
        let c = FixedSource(name: "c", offsets: [20, 21, 90], batchSize: 1)
        let out = try await collect([a, b, c], clock: VirtualClock())
        #expect(out.arrivals.map(\.offset) == [5, 10, 20, 20, 21, 25, 26, 27, 30, 40, 50, 60, 70, 80, 90])
        // Ties go to the source listed first.
        #expect(out.arrivals[2].headline.source == "a" && out.arrivals[3].headline.source == "c")
        for name in ["a", "b", "c"] {
            let ids = out.arrivals.filter { $0.headline.source == name }.map(\.headline.id)
            let expected = out.arrivals.filter { $0.headline.source == name }.sorted { $0.offset < $1.offset }.map(\.headline.id)
            #expect(ids == expected)
        }
        #expect(Set(out.finished) == ["a", "b", "c"])
    }

    @Test("the merged feed ends when every source has ended")
    func endsWhenAllEnd() async throws {
        let out = try await collect(
            [FixedSource(name: "a", offsets: [1, 2]), FixedSource(name: "b", offsets: [])], clock: VirtualClock())
        #expect(out.arrivals.count == 2)
        #expect(out.finished.sorted() == ["a", "b"])
    }

    @Test("a throwing source does not stop the others, and its failure arrives as an event")
    func failingSource() async throws {
        let failing = FixedSource(name: "bad", offsets: [10, 20, 30], failure: TestFailure())
        let good = FixedSource(name: "good", offsets: Array(stride(from: 5, through: 500, by: 5)))
        let events = try await withMergedFeed(sources: [failing, good], clock: VirtualClock()) { feed in
            var events: [String] = []
            for try await event in feed {
                switch event {
                case .headlines(let batch): events += batch.map { "\($0.headline.source)@\($0.offset)" }
                case .sourceFailed(let source, let error): events.append("failed:\(source):\(error)")
                case .sourceFinished(let source): events.append("finished:\(source)")
                case .sourceRestarting: Issue.record("no restart policy was given")
                }
            }
            return events
        }
        let failedAt = try #require(events.firstIndex(of: "failed:bad:boom"))
        // After its last headline, before anything later than it.
        #expect(events[..<failedAt].contains("bad@30"))
        #expect(events.filter { $0.hasPrefix("good@") }.count == 100)
        #expect(events.last == "finished:good")
    }

    @Test("a fast source does not starve a slow one")
    func fairness() async throws {
        let probe = Probe()
        let fast = EndlessSource(name: "fast", gap: 1, probe: probe)
        let slow = EndlessSource(name: "slow", gap: 1000, probe: probe)
        let out = try await collect([fast, slow], clock: VirtualClock(), limit: 20_000)
        let lastOffset = out.arrivals[19_999].offset
        let slowCount = out.arrivals.prefix(20_000).filter { $0.headline.source == "slow" }.count
        // Every slow headline due by then came through, in time order with the fast ones.
        #expect(slowCount == Int(lastOffset / 1000))
        #expect(out.arrivals.map(\.offset) == out.arrivals.map(\.offset).sorted())
        #expect(probe.runningNow == 0)
    }

    @Test("stopping the consumer cancels every source task: nothing is left running")
    func cancellationOnReturn() async throws {
        let probe = Probe()
        let sources: [any HeadlineSource] = [
            EndlessSource(name: "a", gap: 3, probe: probe),
            EndlessSource(name: "b", gap: 7, probe: probe),
            EndlessSource(name: "c", gap: 1, probe: probe),
        ]
        let out = try await collect(sources, clock: VirtualClock(), limit: 1000)
        #expect(out.arrivals.count >= 1000)
        // withMergedFeed has returned: the group waited for all three endless tasks.
        #expect(probe.started.withLock { $0 } == 3)
        #expect(probe.runningNow == 0)
    }

    @Test("cancelling the consuming task (Ctrl-C) stops everything promptly")
    func cancellationFromOutside() async throws {
        let probe = Probe()
        let received = Protected(0)
        let clock = TestClock()
        let task = Task {
            try await withMergedFeed(
                sources: [EndlessSource(name: "a", gap: 1000, probe: probe), EndlessSource(name: "b", gap: 1, probe: probe, blockForever: true)],
                clock: clock
            ) { feed in
                for try await event in feed {
                    if case .headlines(let batch) = event { received.withLock { $0 += batch.count } }
                }
            }
        }
        // Source b never produces, so the merge waits on it; cancel while it waits.
        await Task.megaYield()
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(received.withLock { $0 } == 0)
        #expect(probe.runningNow == 0)
    }

    @Test("headlines are released when the clock reaches their time, not before")
    func pacingOnTestClock() async throws {
        let clock = TestClock()
        let times = Protected<[Int64]>([])
        let count = Protected(0)
        let source = FixedSource(name: "a", offsets: [1000, 2500, 2500, 4000], batchSize: 10)
        // Offset 0 is now, whenever the task gets to run.
        let start = clock.now
        let task = Task {
            try await withMergedFeed(sources: [source], clock: clock, start: start) { feed in
                for try await event in feed {
                    if case .headlines(let batch) = event {
                        let now = feed.elapsed
                        times.withLock { $0 += batch.map { _ in now } }
                        count.withLock { $0 += batch.count }
                    }
                }
            }
        }
        try await waitForSleeper(clock)
        await clock.advance(by: .milliseconds(999))
        #expect(count.withLock { $0 } == 0)
        await clock.advance(by: .milliseconds(1))
        try await waitUntil { count.withLock { $0 } == 1 }
        try await waitForSleeper(clock)
        await clock.advance(by: .milliseconds(1499))
        #expect(count.withLock { $0 } == 1)
        await clock.advance(by: .milliseconds(1))
        try await waitUntil { count.withLock { $0 } == 3 }
        try await waitForSleeper(clock)
        await clock.advance(by: .milliseconds(1500))
        try await waitUntil { count.withLock { $0 } == 4 }
        await clock.advance(by: .seconds(10))
        try await task.value
        #expect(times.withLock { $0 } == [1000, 2500, 2500, 4000])
    }

    @Test("the feed ends at endOffset (--duration), on a virtual and a test clock")
    func endOffset() async throws {
        let source = FixedSource(name: "a", offsets: [100, 200, 300, 400])
        let out = try await collect([source], clock: VirtualClock(), options: MergeOptions(endOffset: 250))
        #expect(out.arrivals.map(\.offset) == [100, 200])

        let clock = TestClock()
        let done = Protected(false)
        let start = clock.now
        let task = Task {
            let out = try await collect([FixedSource(name: "a", offsets: [100, 9000])], clock: clock, start: start,
                                        options: MergeOptions(endOffset: 5000))
            done.withLock { $0 = true }
            return out
        }
        try await waitForSleeper(clock)
        await clock.advance(by: .milliseconds(4999))
        #expect(done.withLock { $0 } == false)
        try await waitForSleeper(clock)
        await clock.advance(by: .milliseconds(1))
        let result = try await task.value
        #expect(result.arrivals.map(\.offset) == [100])
    }

    @Test("a live source is released on arrival, stamped with the clock, without holding back scheduled ones")
    func liveSource() async throws {
        let clock = TestClock()
        let (stream, input) = AsyncThrowingStream<[Arrival], any Error>.makeStream()
        let live = LiveSource(name: "live", stream: stream)
        let scheduled = FixedSource(name: "sched", offsets: [1000, 3000])
        let seen = Protected<[String]>([])
        let start = clock.now
        let task = Task {
            try await withMergedFeed(sources: [scheduled, live], clock: clock, start: start) { feed in
                for try await event in feed {
                    if case .headlines(let batch) = event {
                        seen.withLock { $0 += batch.map { "\($0.headline.source)@\($0.offset)" } }
                    }
                }
            }
        }
        try await waitForSleeper(clock)
        await clock.advance(by: .milliseconds(500))
        input.yield([Arrival(offset: 0, headline: Headline(id: "x", source: "live", title: "x", published: testStart))])
        try await waitUntil { seen.withLock { $0 } == ["live@500"] }
        try await waitForSleeper(clock)
        await clock.advance(by: .milliseconds(500))
        try await waitUntil { seen.withLock { $0 }.count == 2 }
        input.finish()
        await clock.advance(by: .seconds(5))
        try await task.value
        #expect(seen.withLock { $0 } == ["live@500", "sched@1000", "sched@3000"])
    }

    @Test("on a real clock, a stalled source does not hold back the others; its late headlines go out at once")
    func stalledSource() async throws {
        let clock = TestClock()
        let (stream, input) = AsyncThrowingStream<[Arrival], any Error>.makeStream()
        let stalled = StreamSource(name: "stalled", stream: stream)
        let healthy = FixedSource(name: "healthy", offsets: [1000, 2000, 3000])
        let seen = Protected<[String]>([])
        let start = clock.now
        let task = Task {
            try await withMergedFeed(sources: [stalled, healthy], clock: clock, start: start) { feed in
                for try await event in feed {
                    if case .headlines(let batch) = event {
                        let now = feed.elapsed
                        seen.withLock { $0 += batch.map { "\($0.headline.source)@\($0.offset)/\(now)" } }
                    }
                }
            }
        }
        try await waitForSleeper(clock)
        await clock.advance(by: .milliseconds(1000))
        try await waitUntil { seen.withLock { $0 } == ["healthy@1000/1000"] }
        try await waitForSleeper(clock)
        await clock.advance(by: .milliseconds(1000))
        try await waitUntil { seen.withLock { $0 }.count == 2 }
        // The stalled source wakes up with a headline from the past: out at once.
        input.yield([Arrival(offset: 500, headline: Headline(id: "s", source: "stalled", title: "late", published: testStart))])
        try await waitUntil { seen.withLock { $0 }.count == 3 }
        input.finish()
        try await waitForSleeper(clock)
        await clock.advance(by: .milliseconds(1000))
        try await waitUntil { seen.withLock { $0 }.count == 4 }
        await clock.advance(by: .seconds(5))
        try await task.value
        #expect(seen.withLock { $0 } == ["healthy@1000/1000", "healthy@2000/2000", "stalled@500/2000", "healthy@3000/3000"])
    }

    @Test("on a virtual clock (--speed max), a stalled source does not stop time for the others; its late headlines still come")
    func stalledSourceOnVirtualClock() async throws {
        // On a thread of its own: in a loaded full run the shared pool can be busy for a long time.
        let thread = ThreadExecutor(name: "stall test body")
        try await withTaskExecutorPreference(thread) {
            let (stream, input) = AsyncThrowingStream<[Arrival], any Error>.makeStream()
            func headline(_ offset: Int64) -> [Arrival] {
                [Arrival(offset: offset, headline: Headline(id: "s\(offset)", source: "stalled", title: "t", published: testStart))]
            }
            input.yield(headline(10))  // then nothing: it neither yields nor ends
            let stalled = StreamSource(name: "stalled", stream: stream)
            let healthyOffsets = Array(stride(from: Int64(100), through: 5000, by: 100))
            let healthy = FixedSource(name: "healthy", offsets: healthyOffsets)
            // The grace period is real time in the app; here it passes when the test says so.
            let graceClock = TestClock()
            let options = MergeOptions(stall: StallPolicy(grace: .milliseconds(200)) { try await graceClock.sleep(for: $0) },
                                       executor: ThreadExecutor(name: "stall test"))
            let clock = VirtualClock()
            let seen = Protected<[String]>([])
            let task = Task(executorPreference: thread) {
                try await withMergedFeed(sources: [stalled, healthy], clock: clock, options: options) { feed in
                    for try await event in feed {
                        if case .headlines(let batch) = event { seen.withLock { $0 += batch.map { "\($0.headline.source)@\($0.offset)" } } }
                    }
                }
            }
            // Let every grace period the merge starts run out, until the healthy source is done.
            try await waitUntilAsync {
                if seen.withLock({ $0.contains("healthy@5000") }) { return true }
                do { try await graceClock.checkSuspension() } catch { await graceClock.advance(by: .milliseconds(200)) }
                return false
            }
            #expect(clock.now == FeedInstant(offset: .milliseconds(5000)))
            // The stalled source wakes up with a headline from the past: out at once, late.
            input.yield(headline(30))
            try await waitUntil { seen.withLock { $0 }.last == "stalled@30" }
            input.finish()
            try await task.value
            let out = seen.withLock { $0 }
            #expect(out.filter { $0.hasPrefix("healthy@") } == healthyOffsets.map { "healthy@\($0)" })
            #expect(out.contains("stalled@10"))
            #expect(out.last == "stalled@30" && out.count == healthyOffsets.count + 2)
        }
    }

    @Test("on a virtual clock with an end, a feed whose every source has stalled jumps to the end instead of waiting for ever")
    func everySourceStalledWithEnd() async throws {
        // On a thread of its own: in a loaded full run the shared pool can be busy for a long time.
        let thread = ThreadExecutor(name: "stall test body")
        try await withTaskExecutorPreference(thread) {
            let (stream, input) = AsyncThrowingStream<[Arrival], any Error>.makeStream()
            defer { input.finish() }
            input.yield([Arrival(offset: 10, headline: Headline(id: "s10", source: "stalled", title: "t", published: testStart))])
            let stalled = StreamSource(name: "stalled", stream: stream)
            let graceClock = TestClock()
            let options = MergeOptions(endOffset: 60_000, stall: StallPolicy(grace: .milliseconds(200)) { try await graceClock.sleep(for: $0) },
                                       executor: ThreadExecutor(name: "stall test"))
            let seen = Protected<[String]>([])
            let ended = Protected(false)
            let task = Task(executorPreference: thread) {
                try await withMergedFeed(sources: [stalled], clock: VirtualClock(), options: options) { feed in
                    for try await event in feed {
                        if case .headlines(let batch) = event { seen.withLock { $0 += batch.map { "\($0.headline.source)@\($0.offset)" } } }
                    }
                }
                ended.withLock { $0 = true }
            }
            try await waitUntilAsync {
                if ended.withLock({ $0 }) { return true }
                do { try await graceClock.checkSuspension() } catch { await graceClock.advance(by: .milliseconds(200)) }
                return false
            }
            try await task.value
            #expect(seen.withLock { $0 } == ["stalled@10"])
        }
    }

    @Test("a failing source is retried after 1 s, 2 s, 4 s... capped, starting over once it works; the others keep flowing")
    func restartWithBackoff() async throws {
        // Fails 3 times, produces, fails 5 times, produces, then ends.
        let flaky = FlakySource(name: "flaky", script: [.fail, .fail, .fail, .batch(100), .fail, .fail, .fail, .fail, .fail, .batch(300)])
        let good = FixedSource(name: "good", offsets: Array(stride(from: 50, through: 400, by: 50)))
        let slept = Protected<[Int64]>([])
        let policy = RestartPolicy(initial: .seconds(1), maximum: .seconds(8)) { delay in slept.withLock { $0.append(delay.milliseconds) } }
        let out = try await collect([flaky, good], clock: VirtualClock(), options: MergeOptions(restart: policy))
        #expect(out.restarts == ["flaky+1000", "flaky+2000", "flaky+4000", "flaky+1000", "flaky+2000", "flaky+4000", "flaky+8000", "flaky+8000"])
        #expect(slept.withLock { $0 } == [1000, 2000, 4000, 1000, 2000, 4000, 8000, 8000])
        #expect(out.arrivals.filter { $0.headline.source == "good" }.count == 8)
        #expect(out.arrivals.filter { $0.headline.source == "flaky" }.map(\.offset) == [100, 300])
        #expect(out.failures.isEmpty)
        #expect(Set(out.finished) == ["flaky", "good"])
    }

    @Test("handing spent batches back (recycle) changes nothing in what comes out")
    func recycling() async throws {
        let sources = try SimulatedSource.defaults(vocabulary: sharedVocabulary, seed: 4, start: testStart, limit: 3000)
        let plain = try await collect(sources, clock: VirtualClock()).arrivals
        let recycled = try await withMergedFeed(sources: sources, clock: VirtualClock()) { feed in
            var out: [Arrival] = []
            for try await event in feed {
                if case .headlines(let batch) = event {
                    out += batch
                    feed.recycle(batch)
                }
            }
            return out
        }
        #expect(recycled == plain)
        #expect(plain.count == 9000)
    }

    @Test("the simulated feed is batched at --speed max")
    func batchesAtMaxSpeed() async throws {
        let sources = try SimulatedSource.defaults(vocabulary: sharedVocabulary, seed: 1, start: testStart, limit: 2000)
        let out = try await collect(sources, clock: VirtualClock())
        #expect(out.arrivals.count == 6000)
        #expect(out.batches < 6000 / 100)
    }
}

struct LiveSource: HeadlineSource {
    typealias Element = [Arrival]
    typealias Failure = any Error
    let name: String
    let stream: AsyncThrowingStream<[Arrival], any Error>
    var timing: SourceTiming { .live }
    func makeAsyncIterator() -> AsyncThrowingStream<[Arrival], any Error>.AsyncIterator { stream.makeAsyncIterator() }
}

/// A source that follows a script of failures and one-headline batches, and can be asked
/// again after a failure (as a reconnecting source would be).
struct FlakySource: HeadlineSource {
    enum Step: Sendable { case fail, batch(Int64) }
    typealias Element = [Arrival]
    typealias Failure = any Error
    let name: String
    let script: [Step]
    func makeAsyncIterator() -> Iterator { Iterator(name: name, script: script) }
    struct Iterator: AsyncIteratorProtocol {
        let name: String
        let script: [Step]
        var position = 0
        mutating func next() async throws -> [Arrival]? {
            guard position < script.count else { return nil }
            defer { position += 1 }
            switch script[position] {
            case .fail: throw TestFailure()
            case .batch(let offset):
                return [Arrival(offset: offset, headline: Headline(id: "\(name)-\(offset)", source: name, title: "t", published: testStart))]
            }
        }
    }
}

/// A scheduled source fed by hand (it can stall).
struct StreamSource: HeadlineSource {
    typealias Element = [Arrival]
    typealias Failure = any Error
    let name: String
    let stream: AsyncThrowingStream<[Arrival], any Error>
    func makeAsyncIterator() -> AsyncThrowingStream<[Arrival], any Error>.AsyncIterator { stream.makeAsyncIterator() }
}

/// Waits until something sleeps on `clock`. TestClock suspends a sleep whose deadline is
/// exactly its current time until the next advance, so a test must not advance to a
/// deadline before the merge has started sleeping for it.
func waitForSleeper(_ clock: TestClock<Duration>, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    try await waitUntilAsync(sourceLocation: sourceLocation) {
        do { try await clock.checkSuspension(); return false } catch { return true }
    }
}

func waitUntilAsync(sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(20)
    while ContinuousClock.now < deadline {
        if await condition() { return }
        await Task.yield()
    }
    Issue.record("condition never became true", sourceLocation: sourceLocation)
    throw CancellationError()
}

/// Waits (yielding, not sleeping) until `condition` holds. Other tests run in parallel
/// and may hold the threads for a while, so the limit is generous and in real time.
func waitUntil(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let deadline = ContinuousClock.now + .seconds(20)
    while ContinuousClock.now < deadline {
        if condition() { return }
        await Task.yield()
    }
    Issue.record("condition never became true", sourceLocation: sourceLocation)
    throw CancellationError()
}

@Suite("Recycler")
struct RecyclerTests {
    @Test("handing back many batches costs the same each time (no chain of wrapped closures)", .timeLimit(.minutes(1)))
    func manyBatches() {
        let count = Protected(0)
        let recycler = Recycler()
        recycler.set { batch in count.withLock { $0 += batch.count } }
        // With the closure re-wrapped on every call, 200,000 calls ran through a chain of
        // 400,000 thunks at the end: quadratic time, then a stack overflow.
        let batch = [Arrival(offset: 0, headline: Headline(id: "1", source: "t", title: "t", published: testStart))]
        for _ in 0..<200_000 { recycler.recycle(batch) }
        #expect(count.withLock { $0 } == 200_000)
        recycler.set(nil)
        recycler.recycle(batch)
        #expect(count.withLock { $0 } == 200_000)
    }
}
