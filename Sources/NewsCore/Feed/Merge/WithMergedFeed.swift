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
///    ended: when nothing else is left, the merge waits for it (on a real clock no longer
///    than the end; on a jumping clock with an end, when every source left has stalled and
///    none is being retried, time jumps to the end).
/// 6. When `body` returns or throws (quit, `--count` reached) or the task is cancelled
///    (Ctrl-C), every source task is cancelled, and this function returns only after all
///    of them have stopped: nothing is left running.
/// 7. Live sources (``SourceTiming/live``) are released as soon as they arrive, stamped
///    with the clock's time; they never hold back the scheduled ones.
///
/// Offset 0 is `start` (by default the clock's time when this is called). The rules with
/// their reasons, and how the parts of the merge fit together, are in `docs/merge.md`.
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
            group.addTask(executorPreference: options.executor) {
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
