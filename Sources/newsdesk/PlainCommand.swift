import Foundation
import NewsCore

/// `newsdesk --plain`: the merged feed, filtered, as lines on stdout.
struct PlainCommand {
    var feed: FeedOptions
    var output: OutputOptions

    func run() async throws {
        let vocabulary = try Vocabulary.bundled()
        let seed = feed.resolvedSeed()
        let start = feed.resolvedStart()
        let sources = try SimulatedSource.defaults(vocabulary: vocabulary, seed: seed, start: start)
        let options = MergeOptions(endOffset: output.duration.map { Int64(($0 * 1000).rounded()) })
        switch feed.speed {
        case .max:
            try await print(sources, clock: VirtualClock(), options: options)
        case .factor(let f):
            try await print(sources, clock: ScaledClock(base: ContinuousClock(), speed: f), options: options)
        }
    }

    private func print<C: Clock>(_ sources: [SimulatedSource], clock: C, options: MergeOptions) async throws
    where C.Duration == Duration {
        let query = output.query
        let limit = output.count ?? .max
        if limit == 0 { return }
        let writer = OutputWriter(fd: STDOUT_FILENO)
        var formatter = PlainFormatter(color: output.color.enabled(for: STDOUT_FILENO))
        // Lines are not kept: each headline is matched on its own, no history needed.
        var matcher = HeadlineMatcher(query)
        var printed = 0
        // Whatever ends the run (count, duration, Ctrl-C, a closed pipe), print what is buffered.
        defer { try? writer.flush() }
        try await withMergedFeed(sources: sources, clock: clock, options: options) { merged in
            events: for try await event in merged {
                switch event {
                case .headlines(let batch):
                    for i in batch.indices where matcher.matches(batch[i].headline) {
                        formatter.append(batch[i].headline, to: &writer.buffer)
                        printed += 1
                        if printed == limit { break events }
                    }
                    merged.recycle(batch)
                    try writer.flushIfNeeded()
                case .sourceFailed(let source, let error):
                    try writer.flush()
                    FileHandle.standardError.write(Data("newsdesk: source '\(source)' failed: \(error)\n".utf8))
                case .sourceFinished:
                    break
                }
            }
        }
    }
}

/// Buffered writes to a file descriptor: flushed at 64 KiB, or after every batch when
/// the descriptor is a terminal (so lines appear as they arrive).
final class OutputWriter {
    struct Closed: Error {}

    let fd: Int32
    let interactive: Bool
    var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        self.interactive = isatty(fd) == 1
        buffer.reserveCapacity(1 << 16 + 1024)
    }

    func flushIfNeeded() throws {
        if interactive || buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes everything buffered. Throws ``Closed`` when the reader has gone (EPIPE).
    func flush() throws {
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                buffer.removeAll(keepingCapacity: true)
                if errno == EPIPE { throw Closed() }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            written += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
