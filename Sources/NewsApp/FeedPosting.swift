import NewsCore
import NewsStore
import NewsUI

/// Posts the merged feed's events to the view (and records every batch, if asked).
/// With a store (`keeper`), each batch is committed before it is posted, and what the
/// store had already seen is left out (see ``StoreKeeper/commit(_:keepSeen:)``); a batch
/// the store cannot take is shown all the same, and the status line says so.
func pumpFeed(_ cursor: any FeedCursor, start: Timestamp, queue: EventQueue, recorder: RecordingWriter?,
              keeper: StoreKeeper? = nil, generation: Int) async throws {
    var failing: String?
    while let event = try await cursor.next() {
        // Every merged headline is recorded, whatever the view shows.
        if case .headlines(let batch) = event { try recorder?.write(batch) }
        if let keeper, case .headlines(let batch) = event {
            let shown: [Arrival]
            do throws(StoreError) {
                shown = try keeper.commit(batch)
                failing = nil
            } catch {
                shown = batch
                if failing != error.description {
                    failing = error.description
                    queue.post(.storeProblem(error.description))
                }
            }
            if !shown.isEmpty { post(.headlines(shown), now: start.adding(milliseconds: cursor.elapsed), to: queue, generation: generation) }
            continue
        }
        post(event, now: start.adding(milliseconds: cursor.elapsed), to: queue, generation: generation)
    }
}

/// One event of the merged feed, as the view's event (at feed time `now`), tagged with
/// the feed's generation (see ``EventLoop/feedGeneration``).
func post(_ event: FeedEvent, now: Timestamp, to queue: EventQueue, generation: Int) {
    switch event {
    case .headlines(let batch): queue.postBatch(.headlines(batch, now: now), generation: generation)
    case .sourceFailed(let source, let error): queue.post(.sourceFailed(source: source, message: "\(error)"), generation: generation)
    case .sourceRestarting(let source, let error, let delay):
        queue.post(.sourceRestarting(source: source, message: "\(error)", retryIn: delay.milliseconds), generation: generation)
    case .sourceFinished(let source): queue.post(.sourceFinished(source: source), generation: generation)
    }
}
