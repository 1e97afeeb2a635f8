import Clocks
import Foundation
import NewsCore
import Testing

/// A recording with events at `offsets` (titles "e0", "e1", ...).
func makeRecording(_ offsets: [Int64]) throws -> String {
    let path = temporaryPath()
    let writer = try RecordingWriter(path: path, header: RecordingHeader(started: testStart, sources: ["tech"]))
    try writer.write(offsets.enumerated().map { i, offset in
        Arrival(offset: offset, headline: Headline(id: "e\(i)", source: "tech", title: "e\(i)", published: testStart.adding(milliseconds: offset)))
    })
    try writer.close()
    return path
}

/// Collects what a feed releases, with the clock's time (recording ms) at release.
final class Releases: Sendable {
    let items = Protected<[(title: String, offset: Int64, at: Int64)]>([])
    var count: Int { items.withLock { $0.count } }
    var titles: [String] { items.withLock { $0.map(\.title) } }
    var times: [Int64] { items.withLock { $0.map(\.at) } }
}

func play(_ source: ReplaySource, on clock: ReplayClock, into releases: Releases) -> Task<Void, any Error> {
    Task {
        try await withMergedFeed(sources: [source], clock: clock, start: FeedInstant(offset: .zero)) { feed in
            for try await event in feed {
                guard case .headlines(let batch) = event else { continue }
                let now = clock.now.offset.milliseconds
                releases.items.withLock { $0 += batch.map { ($0.headline.title, $0.offset, now) } }
            }
        }
    }
}

@Suite("Replay timing", .timeLimit(.minutes(1)))
struct ReplayTests {
    @Test("played offsets: gaps capped by the idle limit; offsets that go backwards keep file order and wait zero")
    func timingRules() {
        var plain = ReplayTiming()
        #expect([1000, 500, 1500, 1500, 90_000].map { plain.play($0) } == [1000, 1000, 1500, 1500, 90_000])
        var capped = ReplayTiming(idleLimit: 2000)
        #expect([1000, 500, 1500, 60_000, 61_000, 86_400_000].map { capped.play($0) } == [1000, 1000, 1500, 3500, 4500, 6500])
    }

    @Test("speed divides the recorded gaps, against one start instant")
    func speed() async throws {
        let path = try makeRecording([1000, 2000, 4000])
        defer { removeTemporary(path) }
        let base = TestClock()
        let clock = ReplayClock(base: base, speed: 2)
        let releases = Releases()
        let task = play(ReplaySource(path: path), on: clock, into: releases)
        try await waitForSleeper(base)
        await base.advance(by: .milliseconds(499))
        #expect(releases.count == 0)
        await base.advance(by: .milliseconds(1))
        try await waitUntil { releases.count == 1 }
        try await waitForSleeper(base)
        await base.advance(by: .milliseconds(500))  // recording time 2000
        try await waitUntil { releases.count == 2 }
        try await waitForSleeper(base)
        await base.advance(by: .milliseconds(1000))  // 4000
        try await waitUntil { releases.count == 3 }
        try await task.value
        #expect(releases.times == [1000, 2000, 4000])
    }

    @Test("pause shifts the anchor (nothing is skipped); step plays one event while paused")
    func pauseAndStep() async throws {
        let path = try makeRecording([1000, 2000, 3000, 4000])
        defer { removeTemporary(path) }
        let base = TestClock()
        let clock = ReplayClock(base: base, speed: 1)
        let releases = Releases()
        let task = play(ReplaySource(path: path), on: clock, into: releases)
        try await waitForSleeper(base)
        await base.advance(by: .milliseconds(1000))
        try await waitUntil { releases.count == 1 }
        clock.pause()
        await base.advance(by: .seconds(60))
        #expect(releases.count == 1)
        #expect(clock.now.offset == .milliseconds(1000))
        // Step: the next event, without time passing on the base clock.
        try await waitUntil { clock.pendingDeadline == FeedInstant(offset: .milliseconds(2000)) }
        clock.step()
        try await waitUntil { releases.count == 2 }
        #expect(releases.titles == ["e0", "e1"])
        #expect(clock.isPaused && clock.now.offset == .milliseconds(2000))
        clock.resume()
        try await waitForSleeper(base)
        await base.advance(by: .milliseconds(999))
        #expect(releases.count == 2)
        await base.advance(by: .milliseconds(1))
        try await waitUntil { releases.count == 3 }
        // A new speed mid-way: the rest is re-planned from now.
        clock.setSpeed(4)
        try await waitForSleeper(base)
        await base.advance(by: .milliseconds(250))
        // The re-planned sleep can reach the base clock only after that advance (the old
        // one is cancelled first, on a loaded machine a while later), and a test clock's
        // sleep until exactly now waits for the next advance: nudge a millisecond at a
        // time. At speed 4 the last second of recording takes 250 ms of base time; at
        // speed 1 it would take 1000, so under 500 in all shows the new speed was taken.
        var nudges = 0
        while releases.count < 4 && nudges < 250 {
            let deadline = ContinuousClock.now + .milliseconds(200)
            while releases.count < 4 && ContinuousClock.now < deadline { await Task.yield() }
            if releases.count == 4 { break }
            await base.advance(by: .milliseconds(1))
            nudges += 1
        }
        #expect(releases.count == 4 && nudges < 250, "\(nudges) ms more than 250 ms of base time")
        try await task.value
        #expect(releases.times == [1000, 2000, 3000, 4000])
    }

    @Test("a clock held until ready starts when the feed has read its first events")
    func holdUntilReady() async throws {
        let path = try makeRecording([1000])
        defer { removeTemporary(path) }
        let base = TestClock()
        let clock = ReplayClock(base: base, speed: 1, holdUntilReady: true)
        await base.advance(by: .seconds(5))  // opening files, reading ahead...
        #expect(clock.now.offset == .zero && clock.isPaused)
        let releases = Releases()
        let task = play(ReplaySource(path: path), on: clock, into: releases)
        try await waitForSleeper(base)
        #expect(!clock.isPaused)
        await base.advance(by: .milliseconds(999))
        #expect(releases.count == 0)
        await base.advance(by: .milliseconds(1))
        try await task.value
        #expect(releases.times == [1000])
    }

    @Test("seeking the clock forward releases what is now due; a source can start later (--from)")
    func seekAndFrom() async throws {
        let path = try makeRecording([1000, 2000, 60_000, 61_000])
        defer { removeTemporary(path) }
        let base = TestClock()
        let clock = ReplayClock(base: base, start: FeedInstant(offset: .milliseconds(30_000)), speed: 1)
        let releases = Releases()
        let task = play(ReplaySource(path: path, from: 30_000), on: clock, into: releases)
        try await waitForSleeper(base)
        clock.set(to: FeedInstant(offset: .milliseconds(60_500)))
        try await waitUntil { releases.count == 1 }
        #expect(releases.titles == ["e2"])
        try await waitForSleeper(base)
        await base.advance(by: .milliseconds(500))
        try await task.value
        #expect(releases.titles == ["e2", "e3"])
    }

    @Test("--speed max plays the same timeline without waiting; --loop starts over after the end")
    func maxSpeedAndLoop() async throws {
        let path = try makeRecording([1000, 500, 1500])
        defer { removeTemporary(path) }
        let out = try await collect([ReplaySource(path: path)], clock: VirtualClock())
        #expect(out.arrivals.map(\.offset) == [1000, 1000, 1500])
        #expect(out.arrivals.map(\.headline.title) == ["e0", "e1", "e2"])
        let looped = try await collect([ReplaySource(path: path, loop: true)], clock: VirtualClock(), limit: 7)
        #expect(looped.arrivals.prefix(7).map(\.headline.title) == ["e0", "e1", "e2", "e0", "e1", "e2", "e0"])
        #expect(looped.arrivals.prefix(7).map(\.offset) == [1000, 1000, 1500, 3500, 3500, 4000, 6000])
        // A replay clock at max jumps like the virtual clock.
        let replayClock = ReplayClock(speed: .infinity)
        let fast = try await collect([ReplaySource(path: path)], clock: replayClock, start: FeedInstant(offset: .zero))
        #expect(fast.arrivals == out.arrivals)
        #expect(replayClock.now.offset == .milliseconds(1500))
    }

    @Test("the index: duration, and checkpoints to seek from")
    func index() throws {
        let offsets = (0..<10_000).map { Int64($0) * 100 }
        let path = try makeRecording(offsets)
        defer { removeTemporary(path) }
        let index = try ReplayIndex.build(path: path, idleLimit: nil)
        #expect(index.events == 10_000)
        #expect(index.duration == 999_900)
        #expect(index.checkpoints.count == 3)
        // For 1,000 events of history before 900 s: start at or before event 8,000.
        let start = try #require(index.start(before: 900_000, history: 1000))
        #expect(start.event <= 8000)
        let reader = try RecordingReader(path: path)
        reader.rewind(toByte: start.byte, line: start.line)
        #expect(try reader.next()?.arrival.headline.title == "e\(start.event)")
        let capped = try ReplayIndex.build(path: path, idleLimit: 50)
        #expect(capped.duration == 9999 * 50)
    }
}

/// A FIFO next to a recording, and a thread writing `bytes` into it (then, unless
/// `keepOpen`, closing it; with `keepOpen`, it stays open until `release` is signalled).
func fifoWriting(_ bytes: [UInt8], keepOpen: DispatchSemaphore? = nil) -> String {
    let path = temporaryPath("stream.fifo")
    mkfifo(path, 0o600)
    Thread {
        let fd = open(path, O_WRONLY)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        keepOpen?.wait()
        close(fd)
    }.start()
    return path
}

@Suite("Replay from a stream, through a spool", .timeLimit(.minutes(1)))
struct SpoolTests {
    @Test("a FIFO is read once: the header, every event, --loop over what arrived, and an index that completes when it ends")
    func readOnce() async throws {
        let file = try makeRecording([1000, 2000, 4000])
        defer { removeTemporary(file) }
        let fifo = fifoWriting(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
        defer { removeTemporary(fifo) }
        let input = try ReplayInput.open(fifo)
        let spool = try #require(input.spool)
        #expect(try RecordingReader(path: input.name, follow: spool).header.sources == ["tech"])
        let out = try await collect([ReplaySource(path: input.name, spool: spool)], clock: VirtualClock())
        #expect(out.arrivals.map(\.headline.title) == ["e0", "e1", "e2"])
        let looped = try await collect([ReplaySource(path: input.name, spool: spool, loop: true)], clock: VirtualClock(), limit: 5)
        #expect(looped.arrivals.prefix(5).map(\.headline.title) == ["e0", "e1", "e2", "e0", "e1"])
        var last: (ReplayIndex, Bool)?
        try ReplayIndex.follow(spool: spool, path: input.name, idleLimit: nil, cancelled: { false }) { last = ($0, $1) }
        #expect(last?.1 == true && last?.0.events == 3 && last?.0.duration == 4000)
        // A regular file is not spooled.
        #expect(try ReplayInput.open(file).spool == nil)
    }

    @Test("a stream that stays open: what has arrived is played at once, and cancelling the wait for more ends the source")
    func cancelWhileWaiting() async throws {
        let file = try makeRecording([0, 0])
        defer { removeTemporary(file) }
        let release = DispatchSemaphore(value: 0)
        defer { release.signal() }
        let fifo = fifoWriting(Array(try Data(contentsOf: URL(fileURLWithPath: file))), keepOpen: release)
        defer { removeTemporary(fifo) }
        let input = try ReplayInput.open(fifo)
        let releases = Releases()
        let task = play(ReplaySource(path: input.name, spool: input.spool), on: ReplayClock(speed: 1), into: releases)
        while releases.count < 2 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(releases.titles == ["e0", "e1"])
        task.cancel()
        _ = await task.result  // returns: the reading thread was woken, not left waiting for the stream
    }
}
