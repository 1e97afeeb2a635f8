import NewsCore

/// A live feed's clock, shared by the merge and the tick: one value instead of a clock
/// handed around as `any Clock` and downcast back to run the generic merge.
struct FeedClock: Sendable {
    private enum Kind: Sendable {
        case virtual(VirtualClock)
        case scaled(ScaledClock<ContinuousClock>)
    }

    private let kind: Kind
    /// Feed time at offset 0.
    let start: Timestamp

    init(_ choice: ClockChoice, start: Timestamp) {
        self.start = start
        switch choice {
        case .virtual: kind = .virtual(VirtualClock())
        case .scaled(let factor): kind = .scaled(ScaledClock(base: ContinuousClock(), speed: factor))
        case .replay: preconditionFailure("a live feed has no replay clock")
        }
    }

    /// The merge of `sources` on this clock.
    func run(_ sources: [any HeadlineSource], options: MergeOptions,
             _ body: @Sendable (any FeedCursor) async throws -> Void) async throws {
        switch kind {
        case .virtual(let clock):
            try await withMergedFeed(sources: sources, clock: clock, options: options) { try await body(MergedCursor($0)) }
        case .scaled(let clock):
            try await withMergedFeed(sources: sources, clock: clock, options: options) { try await body(MergedCursor($0)) }
        }
    }

    /// Waits for the next tick and returns the feed time it shows. Virtual time jumps, so
    /// it ticks once a real second to refresh the ages; scaled time sleeps to the next
    /// whole second of feed time, so that "4s" turns "5s" on time.
    func tick() async throws -> Timestamp {
        switch kind {
        case .virtual(let clock):
            try await Task.sleep(for: .seconds(1))
            return start.adding(milliseconds: clock.now.offset.milliseconds)
        case .scaled(let clock):
            let next = TickTiming.nextWholeSecond(after: start.milliseconds + clock.now.offset.milliseconds)
            try await clock.sleep(until: FeedInstant(offset: .milliseconds(next - start.milliseconds)), tolerance: nil)
            return Timestamp(milliseconds: next)
        }
    }
}
