#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NewsCore

/// A feed file watched as a live source (`--feed PATH`): first the items in it, in
/// publication order, then, each time the file changes (its device, inode, size or
/// modification time, looked at every `interval`), only the items whose id was not seen
/// before.
///
/// A file that cannot be read or is not a feed is an error from `next()`: the merge
/// reports it and asks again (see `RestartPolicy`), and the source goes on watching; the
/// same broken state is reported once, not at every look.
public struct FeedFileSource: HeadlineSource {
    public let name: String
    public let path: String
    public var timing: SourceTiming { .live }
    let interval: Duration
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> Timestamp
    let limits: FeedLimits

    /// - Parameters:
    ///   - interval: how often the file is looked at.
    ///   - sleep: waits between looks (inject a clock's sleep; tests pass a manual trigger).
    ///   - now: the read time of items without a readable date.
    public init(name: String, path: String, interval: Duration = .seconds(2),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                now: @escaping @Sendable () -> Timestamp, limits: FeedLimits = FeedLimits()) {
        self.name = name
        self.path = path
        self.interval = interval
        self.sleep = sleep
        self.now = now
        self.limits = limits
    }

    /// What identifies a version of the file, without reading it.
    struct Signature: Equatable {
        var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int
    }

    static func signature(_ path: String) -> Signature? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Signature(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                         seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec))
    }

    public func makeAsyncIterator() -> Iterator { Iterator(self) }

    public struct Iterator: AsyncIteratorProtocol {
        let source: FeedFileSource
        var seen: Set<String> = []
        /// The version last read (or found missing: nil), once looked at.
        var last: Signature?? = .none
        var started = false

        init(_ source: FeedFileSource) { self.source = source }

        public mutating func next() async throws -> [Arrival]? {
            if !started {
                started = true
                if let batch = try look(), !batch.isEmpty { return batch }
            }
            while true {
                try await source.sleep(source.interval)
                if let batch = try look(), !batch.isEmpty { return batch }
            }
        }

        /// Reads the file if it changed since the last look: its new items, oldest first;
        /// nil when it has not changed.
        mutating func look() throws -> [Arrival]? {
            let signature = FeedFileSource.signature(source.path)
            if case .some(let previous) = last, previous == signature { return nil }
            last = .some(signature)
            guard signature != nil else { throw FeedError.unreadable("\(source.path): no such file (watching for it)") }
            let bytes = try FeedFile.read(path: source.path, limits: source.limits)
            let document = try FeedParser.parse(bytes: bytes, baseURL: "file://\(source.path)", name: source.name,
                                                readTime: source.now(), limits: source.limits)
            var fresh: [Headline] = []
            for item in document.items where seen.insert(item.id).inserted {
                var headline = item
                headline.source = source.name
                fresh.append(headline)
            }
            // Publication order; items with the same time keep the document's order.
            let ordered = fresh.enumerated().sorted {
                ($0.element.published.milliseconds, $0.offset) < ($1.element.published.milliseconds, $1.offset)
            }
            return ordered.map { Arrival(offset: 0, headline: $0.element) }
        }
    }
}
