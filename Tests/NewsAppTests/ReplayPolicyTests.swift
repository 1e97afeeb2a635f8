import Testing
@testable import NewsApp

@Suite struct ReplayPolicyTests {
    @Test func fasterDoublesUpToTheFastestThenMax() {
        #expect(ReplayPolicy.faster(1) == 2)
        #expect(ReplayPolicy.faster(2048) == 4096)
        #expect(ReplayPolicy.faster(4096) == .infinity)
        #expect(ReplayPolicy.faster(.infinity) == .infinity)
    }

    @Test func slowerHalvesDownToTheSlowestAndLeavesMaxAt64() {
        #expect(ReplayPolicy.slower(1) == 0.5)
        #expect(ReplayPolicy.slower(1.0 / 32) == 1.0 / 64)
        #expect(ReplayPolicy.slower(1.0 / 64) == 1.0 / 64)
        #expect(ReplayPolicy.slower(.infinity) == 64)
    }

    @Test func seekStaysInsideTheRecording() {
        #expect(ReplayPolicy.seekTarget(from: 30_000, by: -60_000, duration: 600_000) == 0)
        #expect(ReplayPolicy.seekTarget(from: 570_000, by: 60_000, duration: 600_000) == 600_000)
        #expect(ReplayPolicy.seekTarget(from: 100_000, by: 60_000, duration: 600_000) == 160_000)
        // Before the index knows the duration, only the start bounds it.
        #expect(ReplayPolicy.seekTarget(from: 570_000, by: 60_000, duration: nil) == 630_000)
    }
}

@Suite struct TickTimingTests {
    @Test func liveTicksOnTheNextWholeSecond() {
        #expect(TickTiming.nextWholeSecond(after: 4_200) == 5_000)
        #expect(TickTiming.nextWholeSecond(after: 5_000) == 6_000)
    }

    @Test func replayWaitsForTheNextWholeSecondOfRecordingTime() {
        #expect(TickTiming.replayWait(position: 400, speed: 1, paused: false) == .milliseconds(600))
        #expect(TickTiming.replayWait(position: 400, speed: 2, paused: false) == .milliseconds(300))
        // At most a real second, at least a millisecond.
        #expect(TickTiming.replayWait(position: 0, speed: 0.25, paused: false) == .seconds(1))
        #expect(TickTiming.replayWait(position: 999, speed: 4096, paused: false) == .milliseconds(1))
    }

    @Test func pausedOrAtMaxAReplayTicksOnceARealSecond() {
        #expect(TickTiming.replayWait(position: 400, speed: 1, paused: true) == .seconds(1))
        #expect(TickTiming.replayWait(position: 400, speed: .infinity, paused: false) == .seconds(1))
    }
}
