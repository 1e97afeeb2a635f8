import DequeModule

extension MergedFeed {
    /// The consumer's side of the merge: takes batches from the lanes and hands out their
    /// headlines in offset order, paced by the clock (the rules are in `docs/merge.md`).
    ///
    /// Each ``next()`` goes round ``step()`` until it has an event; a step has four parts:
    /// fetch a head for every scheduled lane, wait for a missing one (real clock), take in
    /// the live lanes, release heads in offset order.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = FeedEvent
        public typealias Failure = any Error

        /// How a part of a step ended.
        private enum Part {
            /// Go on with the next part of the step.
            case goOn
            /// End the step here, handing out the event (nil: go round again).
            case stop(FeedEvent?)
        }

        /// How fetching the scheduled lanes' heads ended.
        private enum HeadsFetched {
            /// Every open scheduled lane that is not stalled or down has a head.
            case all
            /// On a real clock, a lane had nothing: wait for it, but not past the next deadline.
            case missing
            /// End the step here (a lane ended or failed, or something gathered must go out first).
            case stop(FeedEvent?)
        }

        // The state the release loop touches comes before `feed`, whose layout depends on
        // the clock type: called from another module the iterator is not specialized, and
        // only fields ahead of a generic one have offsets known at compile time.
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
        /// ``MergeOptions/maxBatch`` and ``MergeOptions/endOffset``, read for every headline released.
        private let maxBatch: Int
        private let endOffset: Int64?
        /// The clock, if it can jump to deadlines (``VirtualClock``, a ``ReplayClock`` at max speed).
        private let jumper: (any JumpingClock)?
        private let virtualStart: FeedInstant
        private let feed: MergedFeed

        init(feed: MergedFeed) {
            self.feed = feed
            maxBatch = feed.options.maxBatch
            endOffset = feed.options.endOffset
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

        /// One step of merging: returns an event to hand out, or nil to go round again.
        private mutating func step() async throws -> FeedEvent? {
            let realTime = !(jumper?.jumps ?? false)
            switch try await fetchScheduledHeads(realTime: realTime) {
            case .stop(let event):
                return event
            case .missing:
                if case .stop(let event) = try await waitForMissingHeads() { return event }
            case .all:
                break
            }
            if !toldReady {
                toldReady = true
                (feed.clock as? any ReadyAwareClock)?.feedReady()
            }
            if case .stop(let event) = takeLiveBatches() { return event }
            return try await releaseHeads(realTime: realTime)
        }

        // MARK: the four parts of a step

        /// 1. Every open scheduled lane needs a head before the earliest can be chosen.
        /// On a real clock a lane is waited for only until another lane's next headline is
        /// due (`.missing`): a source that stalls or is down (between retries) must not hold
        /// back the others; its headlines, when they come, go out at once. On a jumping clock
        /// it is waited for here, until the stall grace (``StallPolicy``).
        private mutating func fetchScheduledHeads(realTime: Bool) async throws -> HeadsFetched {
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
                    if let event = flush() { return .stop(event) }
                    fetched = try await feed.storage.fetch(lane: lane, within: feed.options.stall, on: feed.options.executor)
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
                case .ended, .failed:
                    laneStopped(lane, fetched)
                    return .stop(flush())
                case .empty:
                    return .stop(nil)
                }
            }
            return missing ? .missing : .all
        }

        /// 2. A lane is missing its head on a real clock: unless the next deadline (another
        /// lane's head, or the end) has passed, hand out what is due and wait for any lane
        /// or that deadline.
        private mutating func waitForMissingHeads() async throws -> Part {
            let next = earliestLane()
            var due = next.map { instant(heads[$0][positions[$0]].offset) }
            // The end (--duration) counts once the feed is under way; before the first
            // headlines every source gets the time it needs to start.
            if next != nil || toldReady, let end = endOffset.map(instant) { due = Swift.min(due ?? end, end) }
            guard due.map({ feed.clock.now < $0 }) ?? true else { return .goOn }
            if let event = flush() { return .stop(event) }
            try await sleep(until: due, orUntilNewsIn: .anyLane)
            return .stop(nil)
        }

        /// 3. Live lanes: whatever has arrived is due now, stamped with the clock's time.
        private mutating func takeLiveBatches() -> Part {
            for lane in heads.indices where open[lane] && feed.timings[lane] == .live {
                let fetched = feed.storage.tryFetch(lane: lane)
                switch fetched {
                case .batch(let batch):
                    let now = feed.start.duration(to: feed.clock.now).milliseconds
                    output += batch.map { Arrival(offset: now, headline: $0.headline, isUpdate: $0.isUpdate) }
                case .ended, .failed:
                    laneStopped(lane, fetched)
                    return .stop(flush())
                case .empty:
                    break
                }
            }
            return .goOn
        }

        /// 4. Release heads in offset order until one is not due yet, a lane needs its next
        /// batch, or the output batch is full. This loop is the hot path at --speed max: it
        /// touches nothing generic and nothing asynchronous.
        private mutating func releaseHeads(realTime: Bool) async throws -> FeedEvent? {
            while true {
                guard let best = earliestLane() else { return try await noHeadsLeft(realTime: realTime) }
                let offset = heads[best][positions[best]].offset
                if let end = endOffset, offset > end { return try await endReached(end, realTime: realTime) }
                if realTime, case let deadline = instant(offset), feed.clock.now < deadline {
                    // Not due yet: hand out what is, then sleep until it is.
                    if let event = flush() { return event }
                    try await sleep(until: deadline, orUntilNewsIn: liveOpen ? .anyLive : nil)
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
                    if output.count >= maxBatch { return flush() }
                    return nil  // fetch that lane's next batch first
                }
                if output.count >= maxBatch { return flush() }
            }
        }

        // MARK: ends

        /// No lane has a head: hand out what is gathered, then wait for the lanes that may
        /// still send, or end the feed.
        private mutating func noHeadsLeft(realTime: Bool) async throws -> FeedEvent? {
            if let event = flush() { return event }
            if waitingOpen {
                // Only sources that are stalled or being retried are left: wait for any of
                // them (on a real clock, no longer than the end). On a jumping clock nothing
                // more is due before the end when every one left is stalled (a retried one
                // comes back after its real-time backoff), so time jumps to the end.
                if realTime && reachedEnd() { done = true; return nil }
                if !realTime && endOffset != nil && !downOpen { done = true; return nil }
                try await sleep(until: realTime ? endOffset.map(instant) : nil, orUntilNewsIn: .anyLane)
                return nil
            }
            if liveOpen {
                if reachedEnd() { done = true; return nil }
                try await sleep(until: endOffset.map(instant), orUntilNewsIn: .anyLive)
                if reachedEnd() { done = true }
                return nil
            }
            done = true
            return nil
        }

        /// The next head is past `end` (--duration): hand out what is gathered, wait for the
        /// end on a real clock, and end the feed.
        private mutating func endReached(_ end: Int64, realTime: Bool) async throws -> FeedEvent? {
            if let event = flush() { return event }
            if realTime, case let deadline = instant(end), feed.clock.now < deadline {
                try await feed.clock.sleep(until: deadline, tolerance: nil)
            }
            done = true
            return nil
        }

        // MARK: helpers

        /// Hands out what was gathered so far, if anything.
        private mutating func flush() -> FeedEvent? {
            guard let last = output.last else { return nil }
            // On a jumping clock, time jumps to the last deadline handed out.
            if let jumper, jumper.jumps { jumper.jump(to: virtualStart.advanced(by: .milliseconds(last.offset))) }
            let event = FeedEvent.headlines(output)
            output = []
            if jumper != nil { output.reserveCapacity(maxBatch) }
            return event
        }

        /// A lane's source ended or failed (and is retried): noted, its event goes out after
        /// what is gathered.
        private mutating func laneStopped(_ lane: Int, _ fetched: MergeStorage.Fetch) {
            switch fetched {
            case .ended(let error): close(lane: lane, error: error)
            case .failed(let error, let delay): restarting(lane: lane, error: error, delay: delay)
            case .batch, .empty: break
            }
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

        /// The lane whose next headline has the smallest offset (ties: the lane listed
        /// first), or nil when no lane has one.
        private func earliestLane() -> Int? {
            var best: Int?
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
            guard let end = endOffset else { return false }
            return feed.clock.now >= instant(end)
        }

        /// Sleeps until `deadline` (forever if nil), or until `interest` has news (no
        /// interest: only the deadline).
        private func sleep(until deadline: C.Instant?, orUntilNewsIn interest: MergeStorage.Machine.Interest?) async throws {
            guard let interest else {
                if let deadline { try await feed.clock.sleep(until: deadline, tolerance: nil) }
                return
            }
            let storage = feed.storage
            let clock = feed.clock
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await storage.wait(for: interest) }
                if let deadline {
                    group.addTask { try await clock.sleep(until: deadline, tolerance: nil) }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }
}
