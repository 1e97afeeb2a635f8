#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NewsCore

/// A feed file watched as a live source (`--feed PATH`): first the items in it, in
/// publication order, then, each time the file changes (its device, inode, size or
/// modification time, looked at every `interval`), only the items whose id was not seen
/// before, and those whose title changed, as updates (``Arrival/isUpdate``).
///
/// The feed files of one session share a ``FeedStartingRead``: they are read together, at
/// once, and the first of them delivers the items of all as one batch in publication order,
/// so that the starting history is in time order across feeds (not one feed's block after
/// another's); the others deliver only what changes later.
///
/// A file that cannot be read or is not a feed is an error from `next()`: the merge
/// reports it and asks again (see `RestartPolicy`), and the source goes on watching; the
/// same broken state is reported once, not at every look. Reading and parsing run off the
/// sources' thread (a large feed takes a while), in a task of the global pool.
public struct FeedFileSource: HeadlineSource {
    public let name: String
    public let path: String
    public var timing: SourceTiming { .live }
    let interval: Duration
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> Timestamp
    let limits: FeedLimits
    /// The shared first read, and this file's place in it (nil: the source reads alone).
    let start: (read: FeedStartingRead, index: Int)?

    /// - Parameters:
    ///   - interval: how often the file is looked at.
    ///   - sleep: waits between looks (inject a clock's sleep; tests pass a manual trigger).
    ///   - now: the read time of items without a readable date.
    ///   - start: the starting read this source shares with others and its index there.
    public init(name: String, path: String, interval: Duration = .seconds(2),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                now: @escaping @Sendable () -> Timestamp, limits: FeedLimits = FeedLimits(),
                start: (read: FeedStartingRead, index: Int)? = nil) {
        self.name = name
        self.path = path
        self.interval = interval
        self.sleep = sleep
        self.now = now
        self.limits = limits
        self.start = start
    }

    /// What identifies a version of the file, without reading it.
    struct Signature: Equatable, Sendable {
        var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int
        /// The file's type (`S_IFREG`, `S_IFDIR`, `S_IFIFO`...).
        var kind: mode_t = S_IFREG
    }

    static func signature(_ path: String) -> Signature? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Signature(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                         seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec),
                         kind: info.st_mode & S_IFMT)
    }

    /// One read of the file: the version looked at (nil: missing), then its items in
    /// document order with their source set, or why it could not be read.
    struct Reading: Sendable {
        var signature: Signature?
        var items: Result<[Headline], FeedError>
        /// Where the document broke, when it did: its items before the break are in `items`.
        var broken: FeedBreak?
    }

    /// Reads `path` now (blocking: call it off the sources' thread).
    static func read(name: String, path: String, limits: FeedLimits, readTime: Timestamp) -> Reading {
        let signature = FeedFileSource.signature(path)
        guard let signature else { return Reading(signature: nil, items: .failure(.unreadable("\(path): no such file (watching for it)"))) }
        // A FIFO or a device is never opened: reading one waits for a writer, for ever.
        guard signature.kind == S_IFREG else {
            let what = signature.kind == S_IFDIR ? "is a directory"
                : "is not a regular file (for a pipe, use --feed - and pipe into newsdesk)"
            return Reading(signature: signature, items: .failure(.unreadable("\(path) \(what)")))
        }
        do throws(FeedError) {
            let bytes = try FeedFile.read(path: path, limits: limits)
            let document = try FeedParser.parse(bytes: bytes, baseURL: "file://\(path)", name: name, readTime: readTime, limits: limits)
            var items = document.items
            for i in items.indices { items[i].source = name }
            // What the reader should know about an item (its date is the read time) goes
            // with it, for the detail view.
            for note in document.notes where items.indices.contains(note.item) {
                items[note.item].note = items[note.item].note.map { "\($0); \(note.message)" } ?? note.message
            }
            let broken = document.brokenAt.map { FeedBreak(path: path, problem: $0, itemsBefore: items.count) }
            return Reading(signature: signature, items: .success(items), broken: broken)
        } catch {
            return Reading(signature: signature, items: .failure(error))
        }
    }

    /// `headlines` in publication order; those with the same time keep their order.
    static func publicationOrder(_ headlines: [Headline]) -> [Headline] {
        headlines.enumerated().sorted {
            ($0.element.published.milliseconds, $0.offset) < ($1.element.published.milliseconds, $1.offset)
        }.map(\.element)
    }

    public func makeAsyncIterator() -> Iterator { Iterator(self) }

    public struct Iterator: AsyncIteratorProtocol {
        let source: FeedFileSource
        /// The ids shown, with their titles: a changed title is an update.
        var seen = SeenIDs()
        /// The version last read (or found missing: nil), once looked at.
        var last: Signature?? = .none
        var started = false
        /// What to report after the items just delivered: this file's own failure at the
        /// starting read, or where its document broke.
        var pending: (any Error)?

        init(_ source: FeedFileSource) { self.source = source }

        public mutating func next() async throws -> [Arrival]? {
            if let error = pending {
                pending = nil
                throw error
            }
            if !started {
                started = true
                if let start = source.start {
                    let batch = try await joinStartingRead(start.read, index: start.index)
                    if !batch.isEmpty { return batch }
                } else if let batch = try await look(), !batch.isEmpty {
                    return batch
                }
            }
            while true {
                try await source.sleep(source.interval)
                if let batch = try await look(), !batch.isEmpty { return batch }
            }
        }

        /// Takes this file's part of the shared first read; the first file returns the items
        /// of every file, in publication order.
        mutating func joinStartingRead(_ read: FeedStartingRead, index: Int) async throws -> [Arrival] {
            let readings = await read.readings()
            let mine = readings[index]
            last = .some(mine.signature)
            switch mine.items {
            case .success(let items):
                seen.reserve(forDocumentOf: items.count)
                var ids = Set<String>()
                for item in items where ids.insert(item.id).inserted { _ = seen.insert(item.id, title: item.title) }
                pending = mine.broken
            case .failure(let error): pending = error
            }
            guard index == 0 else {
                if let error = pending {
                    pending = nil
                    throw error
                }
                return []
            }
            // Each file's items, without repeats within the file, then all in time order.
            var all: [Headline] = []
            for reading in readings {
                guard case .success(let items) = reading.items else { continue }
                var ids = Set<String>()
                all.append(contentsOf: items.filter { ids.insert($0.id).inserted })
            }
            let batch = FeedFileSource.publicationOrder(all).map { Arrival(offset: 0, headline: $0) }
            if batch.isEmpty, let error = pending {
                pending = nil
                throw error
            }
            return batch
        }

        /// Reads the file if it changed since the last look: its new items, oldest first;
        /// nil when it has not changed.
        mutating func look() async throws -> [Arrival]? {
            let signature = FeedFileSource.signature(source.path)
            if case .some(let previous) = last, previous == signature { return nil }
            let source = self.source, readTime = source.now()
            let reading = await Task.detached {
                FeedFileSource.read(name: source.name, path: source.path, limits: source.limits, readTime: readTime)
            }.value
            last = .some(reading.signature)
            let items = try reading.items.get()
            // New ids, and known ones whose title changed (updates); an id twice in the
            // file counts as it first comes.
            seen.reserve(forDocumentOf: items.count)
            var ids = Set<String>(), updates = Set<String>()
            let fresh = items.filter { item in
                guard ids.insert(item.id).inserted else { return false }
                switch seen.insert(item.id, title: item.title) {
                case .new: return true
                case .same: return false
                case .changed:
                    updates.insert(item.id)
                    return true
                }
            }
            // A broken document: its items first, then where it broke (at the next call).
            if let broken = reading.broken {
                guard !fresh.isEmpty else { throw broken }
                pending = broken
            }
            return FeedFileSource.publicationOrder(fresh).map { Arrival(offset: 0, headline: $0, isUpdate: updates.contains($0.id)) }
        }
    }
}

/// A feed file whose document broke before its end: the items before the break were read.
public struct FeedBreak: SelfPacedSourceError, Sendable, CustomStringConvertible {
    public var path: String
    public var problem: FeedProblem
    public var itemsBefore: Int

    public var description: String {
        let kept = switch itemsBefore {
        case 0: "no item before it"
        case 1: "the item before it is shown"
        default: "the \(itemsBefore) items before it are shown"
        }
        return "\(path): the feed breaks at \(problem); \(kept)"
    }
}

/// The first read of a session's feed files, done once for all of them, each file in a
/// task of its own (see ``FeedFileSource``).
public actor FeedStartingRead {
    public struct File: Sendable, Equatable {
        public var name: String
        public var path: String
        public init(name: String, path: String) {
            self.name = name
            self.path = path
        }
    }

    let files: [File]
    let limits: FeedLimits
    let now: @Sendable () -> Timestamp
    /// The date of a starting item without one of its own: when the feed started.
    let startTime: Timestamp?
    private var task: Task<[FeedFileSource.Reading], Never>?

    /// - Parameters:
    ///   - now: the read time of items without a readable date (later reads).
    ///   - startTime: the read time of such items in the starting read: the moment the feed
    ///     started (they were there before it); nil takes `now()`.
    public init(files: [File], limits: FeedLimits = FeedLimits(), now: @escaping @Sendable () -> Timestamp, startTime: Timestamp? = nil) {
        self.files = files
        self.limits = limits
        self.now = now
        self.startTime = startTime
    }

    /// Every file's reading, in the order of `files`; the first call starts the reads.
    func readings() async -> [FeedFileSource.Reading] {
        if task == nil {
            let files = self.files, limits = self.limits, readTime = startTime ?? now()
            task = Task.detached {
                await withTaskGroup(of: (Int, FeedFileSource.Reading).self) { group in
                    for (i, file) in files.enumerated() {
                        group.addTask { (i, FeedFileSource.read(name: file.name, path: file.path, limits: limits, readTime: readTime)) }
                    }
                    var readings = [FeedFileSource.Reading?](repeating: nil, count: files.count)
                    for await (i, reading) in group { readings[i] = reading }
                    return readings.map { $0 ?? FeedFileSource.Reading(signature: nil, items: .failure(.unreadable("not read"))) }
                }
            }
        }
        return await task!.value
    }

    /// The sources for `files`, sharing this read.
    public nonisolated func sources(interval: Duration = .seconds(2),
                        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) -> [FeedFileSource] {
        files.enumerated().map { i, file in
            FeedFileSource(name: file.name, path: file.path, interval: interval, sleep: sleep, now: now, limits: limits, start: (self, i))
        }
    }
}

/// A watched feed file that cannot be read is looked at again when it changes (every
/// `interval`), not on the merge's backoff.
extension FeedError: SelfPacedSourceError {}
