/// One source's task: pull its batches and push them into its lane. With a restart
/// policy, a failure is reported and the same iterator is asked again after the backoff,
/// or at once for a ``SelfPacedSourceError`` (a source that cannot go on returns nil then).
func pump<S: HeadlineSource>(_ source: S, lane: Int, into storage: MergeStorage, restart: RestartPolicy?) async {
    var iterator = source.makeAsyncIterator()
    var delay = restart?.initial ?? .zero
    while true {
        do {
            guard let batch = try await iterator.next() else { break }
            try await storage.send(batch, lane: lane)
            delay = restart?.initial ?? .zero  // it works again: the next failure starts over
        } catch is CancellationError {
            break
        } catch {
            guard let restart, !Task.isCancelled else {
                storage.end(lane: lane, with: error)
                return
            }
            if error is any SelfPacedSourceError {
                // The source waits before its next try itself: ask it again now.
                storage.fail(lane: lane, error: error, delay: .zero)
                continue
            }
            storage.fail(lane: lane, error: error, delay: delay)
            do { try await restart.sleep(delay) } catch { break }
            delay = restart.next(after: delay)
        }
    }
    storage.end(lane: lane, with: nil)
}
