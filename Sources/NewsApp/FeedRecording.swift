import NewsCore

/// `record`: the merged feed into `recorder`, until `limit` headlines or the feed's end,
/// with a progress line; sources that fail are warned about and the rest keep recording.
public func recordFeed(_ sources: [any HeadlineSource], clock: ClockChoice, options: MergeOptions, into recorder: RecordingWriter,
                       limit: Int, progress: ProgressLine) async throws {
    let out = recorder.path
    try await withFeed(sources, clock: clock, options: options) { cursor in
        loop: while let event = try await cursor.next() {
            switch event {
            case .headlines(var batch):
                if recorder.eventsWritten + batch.count > limit { batch.removeLast(recorder.eventsWritten + batch.count - limit) }
                try recorder.write(batch)
                progress.show("recording \(out): \(CountText.counted(recorder.eventsWritten, "headline", "headlines")), \(DurationText.format(cursor.elapsed)) of feed")
                if recorder.eventsWritten >= limit { break loop }
            case .sourceFailed(let source, let error): warn("source '\(source)' failed: \(error)")
            case .sourceRestarting(let source, let error, let delay): warnRestarting(source, error, delay)
            case .sourceFinished: break
            }
        }
    }
}
