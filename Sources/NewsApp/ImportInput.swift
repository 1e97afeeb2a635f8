import Foundation
import NewsCore
import NewsFeeds
#if canImport(Glibc)
import Glibc
#endif

/// What `import` reads a file as, decided from its content: a feed (RSS, Atom, JSON Feed,
/// read by NewsFeeds), or a table (CSV or JSON Lines, read by NewsCore's ``Importer``).
public enum ImportInput: Equatable, Sendable {
    case feed
    case table(ImportFormat)

    /// What a file whose content was sniffed as `kind` is imported as; `byExtension` is
    /// the format its name suggests (``ImportFormat/guess(_:)``), used only where the
    /// content does not tell (an empty file, JSON that is neither a feed nor lines, text
    /// that is neither XML nor JSON nor clearly CSV). A page or an XML document that is
    /// not a feed is refused with what it looked like (exit 65).
    public static func decide(_ kind: SniffedKind, byExtension: ImportFormat?, path: String) -> Result<ImportInput, Refusal> {
        switch kind {
        case .feed: return .success(.feed)
        case .csv: return .success(.table(.csv))
        case .jsonLines: return .success(.table(.jsonl))
        case .html, .otherXML: return .failure(Refusal(status: 65, message: "\(path): \(kind)"))
        case .json, .unknown:
            if let byExtension { return .success(.table(byExtension)) }
            return .failure(Refusal(status: 65, message: "\(path): \(kind), nor CSV or JSON Lines (give --format csv or --format jsonl if it is one)"))
        case .empty:
            if let byExtension { return .success(.table(byExtension)) }
            return .failure(Refusal(status: 66, message: "\(path): the file is empty"))
        }
    }

    /// Why an input is not imported: the exit status and the message.
    public struct Refusal: Error, Equatable, Sendable {
        public var status: Int32
        public var message: String
    }

    /// Whether `path` names a stream that can be read only once: `-` (standard input), a
    /// pipe, a FIFO, a character device such as `/dev/stdin` on a pipe. What does not
    /// exist is not one (its open reports it missing).
    public static func isStream(_ path: String) -> Bool {
        if path == "-" { return true }
        var entry = stat()
        guard stat(path, &entry) == 0 else { return false }
        let kind = entry.st_mode & S_IFMT
        return kind != S_IFREG && kind != S_IFDIR
    }

    /// Opens the input at `path` once and tells what it is from its start: a regular
    /// file is sniffed (``sniff(path:)``, and closed); a stream (``isStream(_:)``) is read
    /// from once, its start kept in the ``ImportStream`` returned for the importer to go
    /// on from (the same descriptor, those bytes first). An empty stream is 66.
    public static func openOnce(path: String, limits: FeedLimits = FeedLimits()) -> Result<(SniffedKind, ImportStream?), Refusal> {
        guard isStream(path) else { return sniff(path: path).map { ($0, nil) } }
        let name = path == "-" ? "standard input" : path
        let fd: Int32
        if path == "-" {
            fd = 0
        } else {
            // O_RDONLY on a FIFO waits for a writer, as a reader should; it is opened once.
            fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return .failure(Refusal(status: 66, message: "\(name): cannot open it (\(String(cString: strerror(errno))))")) }
        }
        let stream = ImportStream(fd: fd, name: name, owned: path != "-")
        switch stream.readHead(64 << 10) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let ended):
            if stream.head.isEmpty {
                return .failure(Refusal(status: 66, message: "\(name): nothing to read (the stream ended before its first byte)"))
            }
            var kind = FeedSniffer.sniff(stream.head)
            // A JSON Feed may put its "version" after a long first field: look at all of it
            // (within the feed size limit; a larger one is no feed that could be read).
            if kind == .json && !ended {
                if case .failure(let refusal) = stream.readHead(limits.maxBytes + 1) { return .failure(refusal) }
                kind = FeedSniffer.sniff(stream.head)
            }
            return .success((kind, stream))
        }
    }

    /// Sniffs the start of the file at `path` (64 KiB; the whole file, within the feed
    /// size limit, when that start is JSON whose kind the rest may decide). A file that
    /// cannot be opened or read is exit 66.
    public static func sniff(path: String) -> Result<SniffedKind, Refusal> {
        // A stream can be read only once, so it is not even opened here: looking at its
        // start and closing it would take that start from the importer, and once this end
        // closed the writer may be gone, so that opening a FIFO again waits for ever.
        // ``openOnce(path:limits:)`` keeps what it read for the import; `import` uses it.
        if isStream(path) {
            if ImportFormat.guess(path) != nil { return .success(.unknown) }
            return .failure(Refusal(status: 64, message: "\(path): a stream is read once, by the import itself (ImportInput.openOnce), not looked at first"))
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(Refusal(status: 66, message: "\(path): cannot open it (\(String(cString: strerror(errno))))")) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            return .failure(Refusal(status: 66, message: "\(path): is a directory"))
        }

        var head = [UInt8](repeating: 0, count: 64 << 10)
        var done = 0
        while done < head.count {
            let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(Refusal(status: 66, message: "\(path): cannot read it (\(String(cString: strerror(errno))))")) }
            if n == 0 { break }
            done += n
        }
        head.removeSubrange(done...)
        let kind = FeedSniffer.sniff(head)
        // A JSON Feed may put its "version" after a long first field: look at all of it.
        if kind == .json && done == head.count, let whole = try? FeedFile.read(path: path) {
            return .success(FeedSniffer.sniff(whole))
        }
        return .success(kind)
    }
}

/// A stream being imported (standard input, a pipe, a FIFO), opened once: the bytes of
/// its start already read to tell its format, and the descriptor to read the rest from.
/// A stream is never reopened: reopening a FIFO whose writer has gone waits for ever.
public final class ImportStream: @unchecked Sendable {
    public let fd: Int32
    /// What messages call it: "standard input" or its path.
    public let name: String
    /// What has been read of it so far (its start).
    public private(set) var head: [UInt8] = []
    private let owned: Bool

    init(fd: Int32, name: String, owned: Bool) {
        self.fd = fd
        self.name = name
        self.owned = owned
    }

    deinit { if owned { close(fd) } }

    /// Reads until `head` holds `count` bytes or the stream ends: true when it ended.
    func readHead(_ count: Int) -> Result<Bool, ImportInput.Refusal> {
        var done = head.count
        guard done < count else { return .success(false) }
        FeedFile.grow(&head, to: min(count, max(done * 2, 64 << 10)))
        defer { head.removeSubrange(done...) }
        while done < count {
            if done == head.count { FeedFile.grow(&head, to: min(count, head.count * 2)) }
            let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(.init(status: 66, message: "\(name): cannot read it (\(String(cString: strerror(errno))))")) }
            if n == 0 { return .success(true) }
            done += n
        }
        return .success(false)
    }

    /// The whole stream for the feed parser: the start, then the rest read to the end,
    /// within the feed size limit.
    public func readFeed(limits: FeedLimits = FeedLimits()) throws(FeedError) -> [UInt8] {
        let start = head
        head = []
        return try FeedFile.read(fd: fd, after: start, name: name, limits: limits)
    }

    /// A path that reads as the whole stream, for a reader that opens a path (the CSV and
    /// JSON Lines importer): the read end of a pipe that a thread of its own fills with the
    /// start already read, then the rest of the stream as it comes. Call it once.
    public func relay() -> Result<String, ImportInput.Refusal> {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            return .failure(.init(status: 66, message: "\(name): cannot relay it (\(String(cString: strerror(errno))))"))
        }
        let (readEnd, writeEnd) = (ends[0], ends[1])
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        // A reader that stops early (a usage error on the header) makes the write EPIPE.
        signal(SIGPIPE, SIG_IGN)
        let start = head
        head = []
        let thread = Thread { [self] in
            defer { close(writeEnd) }
            func writeAll(_ p: UnsafeRawBufferPointer) -> Bool {
                var sent = 0
                while sent < p.count {
                    let n = write(writeEnd, p.baseAddress! + sent, p.count - sent)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { return false }
                    sent += n
                }
                return true
            }
            guard start.withUnsafeBytes(writeAll) else { return }
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(self.fd, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                guard buffer.withUnsafeBytes({ writeAll(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }) else { return }
            }
        }
        thread.name = "import relay"
        thread.start()
        return .success("/proc/self/fd/\(readEnd)")
    }
}

/// Importing a feed: the items streamed from ``FeedParser`` into the ``Importer``, which
/// orders them by their date (feeds are often newest first) and offsets them from the
/// earliest, as it does rows.
public enum FeedImport {
    /// The producer for ``Importer/run(headlines:)``: reads and parses the feed at `path`
    /// (`name`: the source's name, nil for a short name from the feed's title; `readTime`:
    /// the date of an item whose own date cannot be read). Each item's notes go on the
    /// headline (``HeadlineField/note``) and into the report as problems; so do the
    /// feed's problems and where it broke (every item before the break is kept).
    /// With `stream`, the feed is the rest of that stream after its start (read once, as
    /// it was opened by ``ImportInput/openOnce(path:limits:)``), not the file at `path`;
    /// standard input (`-`) has no location to resolve relative links against.
    public static func producer(path: String, name: String?, readTime: Timestamp,
                                limits: FeedLimits = FeedLimits(), stream: ImportStream? = nil) -> Importer.Producer {
        return { (add, note) throws(ImportError) in
            let bytes: [UInt8]
            do {
                bytes = try stream?.readFeed(limits: limits) ?? FeedFile.read(path: path, limits: limits)
            } catch {
                // A stream tells its size only by going on: say it went past the limit.
                if stream != nil, case .tooLarge(_, let limit)? = error as? FeedError {
                    throw .input(FileError(path: path, reason: "the feed goes on past the limit of \(limit >> 20) MiB"))
                }
                throw .input(FileError(path: path, reason: "\(error)"))
            }
            var failure: ImportError?
            var count = 0
            let base = path == "-" ? nil : URL(fileURLWithPath: path).absoluteString
            let doc: FeedDocument
            do {
                doc = try bytes.withUnsafeBufferPointer { (b) throws(FeedError) -> FeedDocument in
                    try FeedParser.parse(bytes: b, baseURL: base, name: name, readTime: readTime, limits: limits) { item in
                        guard failure == nil else { return }
                        count += 1
                        var headline = item.headline
                        if !item.notes.isEmpty { headline.note = item.notes.map(\.message).joined(separator: "; ") }
                        do throws(ImportError) {
                            try add(headline)
                            for n in item.notes {
                                try note(LineProblem(path: path, line: 0, reason: "item \(count) (\(quoted(headline.title))): \(n.message)"))
                            }
                        } catch {
                            failure = error
                        }
                    }
                }
            } catch {
                throw .malformed(LineProblem(path: path, line: 0, reason: "\(error)"))
            }
            if let failure { throw failure }
            for problem in doc.problems {
                try note(LineProblem(path: path, line: problem.line, reason: reason(problem)))
            }
            if let broken = doc.brokenAt {
                let kept = switch count {
                case 0: "there is no item before it"
                case 1: "the item before it is imported"
                default: "the \(count.formatted()) items before it are imported"
                }
                try note(LineProblem(path: path, line: broken.line, reason: "the feed breaks here: \(reason(broken)); \(kept)"))
            }
        }
    }

    static func reason(_ problem: FeedProblem) -> String {
        problem.line > 0 ? "column \(problem.column): \(problem.message)" : problem.message
    }

    static func quoted(_ title: String) -> String {
        let short = title.count > 40 ? title.prefix(39) + "…" : Substring(title)
        return "\"\(short)\""
    }
}
