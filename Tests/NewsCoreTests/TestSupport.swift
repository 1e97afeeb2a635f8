import Foundation
import NewsCore

/// A scheduled source with fixed offsets (or a generated run), for merge tests.
struct FixedSource: HeadlineSource {
    typealias Element = [Arrival]
    typealias Failure = any Error

    let name: String
    let offsets: [Int64]
    var batchSize = 4
    /// Throw this after yielding every offset.
    var failure: (any Error)? = nil
    var timing: SourceTiming = .scheduled

    func makeAsyncIterator() -> Iterator { Iterator(source: self) }

    struct Iterator: AsyncIteratorProtocol {
        let source: FixedSource
        var position = 0
        mutating func next() async throws -> [Arrival]? {
            if position >= source.offsets.count {
                if let failure = source.failure { throw failure }
                return nil
            }
            let end = Swift.min(position + source.batchSize, source.offsets.count)
            defer { position = end }
            return (position..<end).map { i in
                Arrival(offset: source.offsets[i], headline: Headline(
                    id: "\(source.name)-\(i)", source: source.name, title: "\(source.name) headline \(i)",
                    published: Timestamp(milliseconds: source.offsets[i])))
            }
        }
    }
}

/// An endless scheduled source that counts its running iterators: each one registers
/// when created and unregisters when destroyed, so a test can see that nothing is left.
final class Probe: Sendable {
    let running = Protected(0)
    let started = Protected(0)
    var runningNow: Int { running.withLock { $0 } }
}

struct EndlessSource: HeadlineSource {
    typealias Element = [Arrival]
    typealias Failure = any Error
    let name: String
    let gap: Int64
    let probe: Probe
    /// When set, each batch first waits on a continuation that is never resumed
    /// (it ends only by cancellation), to show that cancellation reaches a blocked source.
    var blockForever = false

    func makeAsyncIterator() -> Iterator { Iterator(source: self) }

    final class Iterator: AsyncIteratorProtocol {
        let source: EndlessSource
        var offset: Int64 = 0
        init(source: EndlessSource) {
            self.source = source
            source.probe.running.withLock { $0 += 1 }
            source.probe.started.withLock { $0 += 1 }
        }
        deinit { source.probe.running.withLock { $0 -= 1 } }

        func next() async throws -> [Arrival]? {
            if source.blockForever {
                try await neverResume()
            }
            try Task.checkCancellation()
            return (0..<16).map { _ in
                offset += source.gap
                return Arrival(offset: offset, headline: Headline(
                    id: "\(source.name)-\(offset)", source: source.name, title: "\(source.name) \(offset)",
                    published: Timestamp(milliseconds: offset)))
            }
        }
    }
}

/// Suspends until the task is cancelled, then throws CancellationError.
func neverResume() async throws {
    let box = Protected<CheckedContinuation<Void, any Error>?>(nil)
    try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let cancelled = box.withLock { slot -> Bool in
                if Task.isCancelled { return true }
                slot = c
                return false
            }
            if cancelled { c.resume(throwing: CancellationError()) }
        }
    } onCancel: {
        box.withLock { slot in slot?.resume(throwing: CancellationError()); slot = nil }
    }
}

struct TestFailure: Error, Equatable, CustomStringConvertible {
    var message = "boom"
    var description: String { message }
}

/// Everything the merged feed produced, flattened.
struct Collected {
    var restarts: [String] = []
    var arrivals: [Arrival] = []
    var failures: [String] = []
    var finished: [String] = []
    var batches = 0
}

func collect<C: Clock>(_ sources: [any HeadlineSource], clock: C, start: C.Instant? = nil, options: MergeOptions = MergeOptions(),
                       limit: Int = .max) async throws -> Collected where C.Duration == Duration
{
    try await withMergedFeed(sources: sources, clock: clock, start: start, options: options) { feed in
        var out = Collected()
        loop: for try await event in feed {
            switch event {
            case .headlines(let batch):
                out.batches += 1
                out.arrivals += batch
                if out.arrivals.count >= limit { break loop }
            case .sourceFailed(let source, _): out.failures.append(source)
            case .sourceFinished(let source): out.finished.append(source)
            case .sourceRestarting(let source, _, let delay): out.restarts.append("\(source)+\(delay.milliseconds)")
            }
        }
        return out
    }
}

let testStart = Timestamp(milliseconds: 1_767_225_600_000)  // 2026-01-01T00:00:00Z

let sharedVocabulary: Vocabulary = {
    do { return try Vocabulary.bundled() } catch { fatalError("vocabulary: \(error)") }
}()
