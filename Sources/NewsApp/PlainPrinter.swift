import Foundation
import NewsCore

/// A source failed and `--strict` asked to stop: exit 65 with the problem.
public struct StrictStop: Error, CustomStringConvertible {
    public var problem: LineProblem
    public var description: String { problem.description }
}

/// Prints the merged feed as lines (`--plain`), recording it too if asked.
public struct PlainPrinter: Sendable {
    public var query: Query
    public var limit: Int
    public var color: Bool
    public var recorder: RecordingWriter?
    public var strict = false
    /// `--line-buffered`: every line written as soon as it is formatted.
    public var lineBuffered = false
    /// The sources in order, for their colours (nil: the names of the sources run, as live).
    public var sourceOrder: [String]?
    /// Every batch is committed here before it is printed; then only what the store had
    /// not seen is printed, unless `showSeen` (`--all`).
    public var keeper: StoreKeeper?
    public var showSeen = false
    /// The config's source colours (`[colors.sources]`) as escape sequences.
    public var sourceColors: [String: String] = [:]

    public init(query: Query, limit: Int, color: Bool, recorder: RecordingWriter?, strict: Bool = false, lineBuffered: Bool = false,
                sourceOrder: [String]? = nil) {
        self.query = query
        self.limit = limit
        self.color = color
        self.recorder = recorder
        self.strict = strict
        self.lineBuffered = lineBuffered
        self.sourceOrder = sourceOrder
    }

    /// A line cannot be rewritten: an update (an item whose title changed) is printed
    /// again, ending in ` (updated)` (README.md, "Updated items").
    static let updateMark = Array(" (updated)".utf8)

    /// Puts the mark before the newline that ends `line`.
    static func markUpdate(_ line: inout [UInt8]) {
        guard line.last == 0x0A else { return line += updateMark }
        line.removeLast()
        line += updateMark
        line.append(0x0A)
    }

    /// Prints the merged `sources` until the limit, the feed's end, or the reader of a pipe
    /// going away (``OutputWriter/Closed``, also when nothing is being written: ``ReaderWatch``).
    public func run(_ sources: [any HeadlineSource], clock: ClockChoice, options: MergeOptions) async throws {
        if limit == 0 { return }
        guard let fd = ReaderWatch.watchable(STDOUT_FILENO) else { return try await print(sources, clock: clock, options: options) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.print(sources, clock: clock, options: options) }
            group.addTask {
                try await ReaderWatch.gone(fd)
                throw OutputWriter.Closed()
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    func print(_ sources: [any HeadlineSource], clock: ClockChoice, options: MergeOptions) async throws {
        let writer = OutputWriter(fd: STDOUT_FILENO, mode: .choose(lineBuffered: lineBuffered, paced: clock.paced, fd: STDOUT_FILENO))
        var formatter = PlainFormatter(color: color, sources: sourceOrder ?? sources.map(\.name))
        formatter.sourceColors = sourceColors
        // Lines are not kept: each headline is matched on its own, no history needed.
        var matcher = HeadlineMatcher(query)
        var printed = 0
        // Whatever ends the run (count, duration, Ctrl-C, a closed pipe), print what is buffered.
        defer { try? writer.flush() }
        try await withFeed(sources, clock: clock, options: options) { cursor in
            events: while let event = try await cursor.next() {
                switch event {
                case .headlines(let merged):
                    try recorder?.write(merged)
                    // Committed before it is printed: a store that fails stops the run (74, 73).
                    let batch = try keeper?.commit(merged, keepSeen: showSeen) ?? merged
                    for i in batch.indices where matcher.matches(batch[i].headline) {
                        formatter.append(batch[i].headline, to: &writer.buffer)
                        if batch[i].isUpdate { PlainPrinter.markUpdate(&writer.buffer) }
                        try writer.lineEnded()
                        printed += 1
                        if printed == limit { break events }
                    }
                    cursor.recycle(merged)
                    try writer.batchEnded()
                case .sourceFailed(let source, let error):
                    try writer.flush()
                    if strict, let problem = error as? LineProblem { throw StrictStop(problem: problem) }
                    if let fileError = error as? FileError { throw fileError }
                    warn("source '\(source)' failed: \(error)")
                case .sourceRestarting(let source, let error, let delay):
                    try writer.flush()
                    warnRestarting(source, error, delay)
                case .sourceFinished:
                    break
                }
            }
        }
    }
}
