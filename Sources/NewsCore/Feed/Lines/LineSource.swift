import Foundation

/// A live source that reads headlines as lines from a file descriptor (`--feed -`: standard
/// input). Each line is a JSON object (`title` required; `source`, `url`, `published`, `id`,
/// `summary`, `outlet` optional) or plain text, the title. Blank lines and JSON objects
/// without a title are skipped. The source ends when the input does.
///
/// The descriptor is read by a thread of its own, so that a silent pipe never holds a
/// thread of the cooperative pool (as with the replay spool).
public struct LineSource: HeadlineSource {
    public let name: String
    public var timing: SourceTiming { .live }
    let fd: Int32
    let now: @Sendable () -> Timestamp

    /// - Parameters:
    ///   - name: the source of every line that does not name one (`stdin`).
    ///   - now: the time a line without a readable `published` was read (inject a clock).
    public init(name: String = "stdin", fd: Int32 = STDIN_FILENO, now: @escaping @Sendable () -> Timestamp) {
        self.name = name
        self.fd = fd
        self.now = now
    }

    /// The longest line kept; the rest of a longer line is dropped.
    public static let maxLineBytes = 1 << 20

    /// The headline on `line` (without its newline), or nil when there is none. `number`
    /// (1-based) makes the id of a line without one: `stdin-7`.
    public static func headline(line: some Collection<UInt8>, number: Int, source: String, now: Timestamp) -> Headline? {
        var bytes = Array(line)
        if bytes.last == 0x0D { bytes.removeLast() }
        let trimmed = bytes.drop { $0 == 0x20 || $0 == 0x09 }
        guard !trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { return nil }
        if trimmed.first == 0x7B, let fields = try? bytes.withUnsafeBufferPointer({ try Importer.jsonFields($0) }) {
            guard let title = fields["title"], !title.isEmpty else { return nil }
            func field(_ key: String) -> String? { fields[key].flatMap { $0.isEmpty ? nil : $0 } }
            let published = field("published").flatMap { TimeFormat.automatic.parse($0) } ?? now
            let named = field("source") ?? source
            return Headline(id: field("id") ?? "\(named)-\(number)", source: named, title: title, published: published,
                            outlet: field("outlet"), summary: field("summary"), url: field("url"))
        }
        return Headline(id: "\(source)-\(number)", source: source, title: String(decoding: bytes, as: UTF8.self), published: now)
    }

    public func makeAsyncIterator() -> Iterator { Iterator(self) }

    public final class Iterator: AsyncIteratorProtocol {
        private var stream: AsyncThrowingStream<[Arrival], any Error>.Iterator?
        private let source: LineSource

        init(_ source: LineSource) { self.source = source }

        public func next() async throws -> [Arrival]? {
            if stream == nil { stream = Self.start(source).makeAsyncIterator() }
            return try await stream?.next()
        }

        /// Starts the reading thread; each read's complete lines are one batch.
        private static func start(_ source: LineSource) -> AsyncThrowingStream<[Arrival], any Error> {
            let (stream, continuation) = AsyncThrowingStream<[Arrival], any Error>.makeStream()
            let thread = Thread {
                var pending: [UInt8] = [], number = 0, skipping = false
                var buffer = [UInt8](repeating: 0, count: 64 << 10)
                func emit(_ line: ArraySlice<UInt8>, into batch: inout [Arrival]) {
                    number += 1
                    if let h = headline(line: line, number: number, source: source.name, now: source.now()) {
                        batch.append(Arrival(offset: 0, headline: h))
                    }
                }
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(source.fd, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    var batch: [Arrival] = []
                    if n <= 0 {
                        if !pending.isEmpty && !skipping { emit(pending[...], into: &batch) }
                        if !batch.isEmpty { continuation.yield(batch) }
                        if n < 0 {
                            continuation.finish(throwing: LineReadError(reason: String(cString: strerror(errno))))
                        } else {
                            continuation.finish()
                        }
                        return
                    }
                    var start = 0
                    for i in 0..<n where buffer[i] == 0x0A {
                        if skipping {
                            skipping = false
                        } else {
                            pending.append(contentsOf: buffer[start..<i])
                            emit(pending[...], into: &batch)
                        }
                        pending.removeAll(keepingCapacity: true)
                        start = i + 1
                    }
                    if !skipping { pending.append(contentsOf: buffer[start..<n]) }
                    if pending.count > LineSource.maxLineBytes {
                        // Keep the start of an over-long line; drop the rest up to its newline.
                        emit(pending[..<LineSource.maxLineBytes], into: &batch)
                        pending.removeAll()
                        skipping = true
                    }
                    if !batch.isEmpty { continuation.yield(batch) }
                }
            }
            thread.name = "newsdesk-lines"
            thread.start()
            return stream
        }
    }
}

/// The input of a ``LineSource`` could not be read (its headlines so far have arrived).
public struct LineReadError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "cannot read the input: \(reason)" }
}
