
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The first line of a recording (see `docs/recording-format.md`).
public struct RecordingHeader: Sendable, Equatable {
    public static let format = "newsdesk-recording"
    public static let version = 1

    /// When offset 0 happened (wall-clock time).
    public var started: Timestamp
    /// The seed of the simulated sources, if simulated.
    public var seed: UInt64?
    public var sources: [String]
    /// Free text about where the recording came from (`import` writes the input's name).
    public var origin: String?

    public init(started: Timestamp, seed: UInt64? = nil, sources: [String], origin: String? = nil) {
        self.started = started
        self.seed = seed
        self.sources = sources
        self.origin = origin
    }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.appendRaw("{\"format\":\"newsdesk-recording\",\"version\":1,\"started\":\"", to: &out)
        ISOTime.append(started, to: &out)
        out.append(0x22)
        if let seed {
            JSONWriter.appendRaw(",\"seed\":", to: &out)
            out.append(contentsOf: Array(String(seed).utf8))
        }
        JSONWriter.appendRaw(",\"sources\":[", to: &out)
        for (i, source) in sources.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONWriter.appendString(source, to: &out)
        }
        out.append(0x5D)
        if let origin {
            JSONWriter.appendRaw(",\"origin\":", to: &out)
            JSONWriter.appendString(origin, to: &out)
        }
        JSONWriter.appendRaw("}\n", to: &out)
        return out
    }

    /// Parses a header line.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) throws(JSONError) -> RecordingHeader {
        var scanner = JSONScanner(line)
        var format: String?, version: Int64?, started: Timestamp?, seed: UInt64?, origin: String?
        var sources: [String] = []
        try scanner.object { (s: inout JSONScanner, key) throws(JSONError) in
            if s.keyIs(key, "format") {
                format = try s.string()
            } else if s.keyIs(key, "version") {
                version = try s.integer()
            } else if s.keyIs(key, "started") {
                let at = s.position
                let text = try s.string()
                guard let t = ISOTime.parse(text) else { throw s.fail("'started' must be an ISO 8601 time", at: at) }
                started = t
            } else if s.keyIs(key, "seed") {
                if !s.takeNull() {
                    let at = s.position
                    let n = try s.number()
                    guard n >= 0, n == n.rounded(), n < 1.8e19 else { throw s.fail("'seed' must be a whole number", at: at) }
                    seed = UInt64(n)
                }
            } else if s.keyIs(key, "sources") {
                try s.expect(0x5B, "'[' (sources is a list)")
                if !s.take(0x5D) {
                    repeat { sources.append(try s.string()) } while s.take(0x2C)
                    try s.expect(0x5D, "',' or ']'")
                }
            } else if s.keyIs(key, "origin") {
                origin = s.takeNull() ? nil : try s.string()
            } else {
                try s.skipValue()
            }
        }
        try scanner.expectEnd()
        guard format == RecordingHeader.format else {
            throw JSONError(message: "not a newsdesk recording: the first line must be its header, {\"format\":\"newsdesk-recording\",\"version\":1,...}", column: 1)
        }
        guard let version else { throw JSONError(message: "the header has no 'version'", column: 1) }
        guard version <= Int64(RecordingHeader.version), version >= 1 else {
            throw JSONError(message: "recording format version \(version) is not supported (this newsdesk reads version \(RecordingHeader.version))", column: 1)
        }
        guard let started else { throw JSONError(message: "the header has no 'started' time", column: 1) }
        return RecordingHeader(started: started, seed: seed, sources: sources, origin: origin)
    }
}

/// One recorded headline: where it is in the file and when it arrived.
public struct RecordedEvent: Sendable, Equatable {
    /// 1-based line number in the file.
    public var line: Int
    public var arrival: Arrival
}

public enum RecordingEvent {
    /// Appends one event line (with its newline) to `out`.
    public static func append(_ arrival: Arrival, to out: inout [UInt8]) {
        let h = arrival.headline
        JSONWriter.appendRaw("{\"offset\":", to: &out)
        JSONWriter.appendInteger(arrival.offset, to: &out)
        JSONWriter.appendRaw(",\"id\":", to: &out)
        JSONWriter.appendString(h.id, to: &out)
        JSONWriter.appendRaw(",\"source\":", to: &out)
        JSONWriter.appendString(h.source, to: &out)
        JSONWriter.appendRaw(",\"title\":", to: &out)
        JSONWriter.appendString(h.title, to: &out)
        JSONWriter.appendRaw(",\"published\":\"", to: &out)
        ISOTime.append(h.published, to: &out)
        out.append(0x22)
        if let outlet = h.outlet {
            JSONWriter.appendRaw(",\"outlet\":", to: &out)
            JSONWriter.appendString(outlet, to: &out)
        }
        if let summary = h.summary {
            JSONWriter.appendRaw(",\"summary\":", to: &out)
            JSONWriter.appendString(summary, to: &out)
        }
        if let url = h.url {
            JSONWriter.appendRaw(",\"url\":", to: &out)
            JSONWriter.appendString(url, to: &out)
        }
        JSONWriter.appendRaw("}\n", to: &out)
    }

    /// Parses one event line. `started` fills in a missing publication time; `line` names
    /// an event that has no id.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, started: Timestamp, line: Int) throws(JSONError) -> Arrival {
        var scanner = JSONScanner(bytes)
        var offset: Int64?, id: String?, source: String?, title: String?, published: Timestamp?
        var outlet: String?, summary: String?, url: String?
        func optionalString(_ s: inout JSONScanner, _ name: String) throws(JSONError) -> String? {
            if s.takeNull() { return nil }
            guard s.peek() == 0x22 else { throw s.fail("'\(name)' must be a string") }
            return try s.string()
        }
        try scanner.object { (s: inout JSONScanner, key) throws(JSONError) in
            if s.keyIs(key, "offset") {
                guard let b = s.peek(), b == 0x2D || (0x30...0x39).contains(b) else { throw s.fail("'offset' must be a number of milliseconds") }
                offset = try s.integer()
            } else if s.keyIs(key, "id") {
                if s.peek() == 0x22 {
                    id = try s.string()
                } else if let b = s.peek(), b == 0x2D || (0x30...0x39).contains(b) {
                    // Numeric ids from other tools are fine.
                    let start = s.position
                    _ = try s.number()
                    id = String(decoding: UnsafeBufferPointer(rebasing: s.bytes[start..<s.position]), as: UTF8.self)
                } else {
                    throw s.fail("'id' must be a string")
                }
            } else if s.keyIs(key, "source") {
                guard s.peek() == 0x22 else { throw s.fail("'source' must be a string") }
                source = try s.string()
            } else if s.keyIs(key, "title") {
                guard s.peek() == 0x22 else { throw s.fail("'title' must be a string") }
                title = try s.string()
            } else if s.keyIs(key, "published") {
                if s.takeNull() { return }
                if s.peek() == 0x22 {
                    let at = s.position
                    if let raw = try s.rawString(), let t = ISOTime.parse(UnsafeBufferPointer(rebasing: s.bytes[raw])) {
                        published = t
                    } else {
                        throw s.fail("'published' must be an ISO 8601 time like 2026-11-21T22:04:41.357Z", at: at)
                    }
                } else {
                    let at = s.position
                    let ms = try s.integer()  // epoch milliseconds
                    guard Timestamp.validMilliseconds.contains(ms) else { throw s.fail("'published' is not a time between the years 0 and 9999", at: at) }
                    published = Timestamp(milliseconds: ms)
                }
            } else if s.keyIs(key, "outlet") {
                outlet = try optionalString(&s, "outlet")
            } else if s.keyIs(key, "summary") {
                summary = try optionalString(&s, "summary")
            } else if s.keyIs(key, "url") {
                url = try optionalString(&s, "url")
            } else {
                try s.skipValue()  // unknown fields are ignored
            }
        }
        try scanner.expectEnd()
        guard let offset else { throw JSONError(message: "missing 'offset'", column: 1) }
        guard let title else { throw JSONError(message: "missing 'title'", column: 1) }
        guard let source, !source.isEmpty else { throw JSONError(message: "missing 'source'", column: 1) }
        // An offset so large that its time is not one (past the year 9999) is an error, not a trap.
        let (time, overflow) = started.milliseconds.addingReportingOverflow(offset)
        guard !overflow, Timestamp.validMilliseconds.contains(time) else {
            throw JSONError(message: "'offset' is too large: it is past the year 9999", column: 1)
        }
        let headline = Headline(
            id: id ?? "line-\(line)", source: source, title: title,
            published: published ?? started.adding(milliseconds: offset),
            outlet: outlet, summary: summary, url: url)
        return Arrival(offset: offset, headline: headline)
    }
}

/// Why a recording (or an import input) cannot be read at all.
public struct FileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }

    /// Opens `path` for reading: its descriptor and size. A missing or unreadable file, a
    /// directory, or (unless `allowEmpty`) an empty regular file is an error.
    static func openForReading(_ path: String, allowEmpty: Bool = false) throws(FileError) -> (fd: Int32, size: Int) {
        var info = stat()
        if stat(path, &info) != 0 {
            throw FileError(path: path, reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FileError(path: path, reason: "is a directory, not a file") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw FileError(path: path, reason: "cannot read it (\(String(cString: strerror(errno))))") }
        let size = Int(info.st_size)
        if size == 0 && !allowEmpty && (info.st_mode & S_IFMT) == S_IFREG {
            close(fd)
            throw FileError(path: path, reason: "the file is empty")
        }
        return (fd, size)
    }
}

/// A problem on one line of a file: reported with the file, the line and the reason.
public struct LineProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var reason: String
    public var description: String { "\(path):\(line): \(reason)" }
}

/// Reads a file line by line through a fixed buffer: memory stays bounded whatever the
/// file holds. A line longer than `maxLine` is skipped (and reported), never buffered.
///
/// Following a ``Spool`` (a stream being copied), the end of what has arrived is not the
/// end: the reader waits for more (`waits`), or returns nil for now and goes on from the
/// same place when called again.
public final class LineReader {
    public static let defaultMaxLine = 1 << 20

    public let path: String
    public let maxLine: Int
    private let fd: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0  // next unread byte in buffer
    private var end = 0  // end of valid bytes in buffer
    private var eof = false
    private let follow: Spool?
    /// Bytes read from the file so far (ahead of `position` by what is buffered).
    private var readOffset = 0
    /// Following a spool: wait at the end of what has arrived (true), or return nil for now.
    public var waits = true
    /// Following a spool: asked after each wake-up whether to stop waiting.
    public var cancelled: @Sendable () -> Bool = { Task.isCancelled }
    /// Bytes consumed from the file so far (the start of the next line).
    public private(set) var position = 0
    /// Line number of the last line returned.
    public private(set) var lineNumber = 0
    public let size: Int

    public enum Line {
        case text(UnsafeBufferPointer<UInt8>, terminated: Bool)
        case tooLong(length: Int)
    }

    /// Opens `path` for reading. Missing, unreadable, a directory, or empty: a FileError.
    /// With `follow`, reads the spool (`path` then only names it in messages).
    public init(path: String, maxLine: Int = LineReader.defaultMaxLine, allowEmpty: Bool = false, follow: Spool? = nil) throws(FileError) {
        self.path = path
        self.maxLine = maxLine
        self.follow = follow
        (fd, size) = try FileError.openForReading(follow?.path ?? path, allowEmpty: allowEmpty || follow != nil)
        buffer = .allocate(byteCount: maxLine + 65_536, alignment: 16)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// Continues reading at byte `offset` (the start of a line), counting lines from `line`.
    public func seek(toByte offset: Int, line: Int) {
        lseek(fd, off_t(offset), SEEK_SET)
        position = offset
        readOffset = offset
        lineNumber = line - 1
        start = 0
        end = 0
        eof = false
    }

    /// The next line (without its newline); valid until the next call. Nil at the end.
    public func next() -> Line? {
        while true {
            // A complete line in the buffer?
            if start < end, let newline = memchr(buffer.baseAddress! + start, 0x0A, end - start) {
                let lineEnd = buffer.baseAddress!.distance(to: newline)
                var lineBytes = lineEnd - start
                if lineBytes > 0 && buffer[lineEnd - 1] == 0x0D { lineBytes -= 1 }  // CRLF
                let line = UnsafeBufferPointer(start: (buffer.baseAddress! + start).assumingMemoryBound(to: UInt8.self), count: lineBytes)
                position += lineEnd + 1 - start
                start = lineEnd + 1
                lineNumber += 1
                return .text(line, terminated: true)
            }
            if eof {
                guard start < end else { return nil }
                let line = UnsafeBufferPointer(start: (buffer.baseAddress! + start).assumingMemoryBound(to: UInt8.self), count: end - start)
                position += end - start
                start = end
                lineNumber += 1
                return .text(line, terminated: false)
            }
            // Make room: move the partial line to the front, then read more.
            if start > 0 {
                if end > start { memmove(buffer.baseAddress!, buffer.baseAddress! + start, end - start) }
                end -= start
                start = 0
            }
            if end >= maxLine {
                // Too long: drop everything up to the next newline without keeping it.
                let skipped = skipRestOfLine(alreadyHave: end)
                lineNumber += 1
                return .tooLong(length: skipped)
            }
            let n = read(fd, buffer.baseAddress! + end, buffer.count - end)
            if n < 0 {
                if errno == EINTR { continue }
                eof = true
            } else if n == 0 {
                switch follow?.available(beyond: readOffset, wait: waits, cancelled: cancelled) {
                case .more?: continue
                case .notYet?: return nil
                case .end?, nil: eof = true
                }
            } else {
                end += n
                readOffset += n
            }
        }
    }

    /// Following a spool: whether the next line has not fully arrived yet (reading it would wait).
    public var wouldWait: Bool {
        guard let follow else { return false }
        if start < end && memchr(buffer.baseAddress! + start, 0x0A, end - start) != nil { return false }
        return follow.available(beyond: readOffset, wait: false) == .notYet
    }

    private func skipRestOfLine(alreadyHave: Int) -> Int {
        var skipped = alreadyHave
        start = 0
        end = 0
        while true {
            let n = read(fd, buffer.baseAddress!, buffer.count)
            if n > 0 { readOffset += n }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                if n == 0, follow?.available(beyond: readOffset, wait: true, cancelled: cancelled) == .more { continue }
                eof = true
                position += skipped
                return skipped
            }
            if let newline = memchr(buffer.baseAddress!, 0x0A, n) {
                let upTo = buffer.baseAddress!.distance(to: newline)
                skipped += upTo + 1
                position += skipped
                start = upTo + 1
                end = n
                return skipped
            }
            skipped += n
        }
    }
}

/// Reads a recording as it plays: the header, then one event at a time. Malformed lines
/// are skipped and counted (each kept as a ``LineProblem``, the first 100 of them), or,
/// when `strict`, stop the reading with the problem.
public final class RecordingReader {
    public let header: RecordingHeader
    public let path: String
    public let strict: Bool
    private let lines: LineReader
    /// Malformed lines skipped so far, and the first ones in detail.
    public private(set) var malformed = 0
    public private(set) var problems: [LineProblem] = []
    /// Set when the last line was cut short (the recording was interrupted): a warning.
    public private(set) var truncatedLastLine: LineProblem?
    /// Byte position and line number of the first event, for starting over.
    public let firstEventByte: Int
    public var size: Int { lines.size }
    /// Bytes read so far (for progress).
    public var position: Int { lines.position }

    /// Reads `path`, or with `follow` the spool of a stream (named `path` in messages).
    /// `cancelled` is asked when waiting for a stream is woken (see ``Spool``).
    public init(path: String, strict: Bool = false, follow: Spool? = nil,
                cancelled: @escaping @Sendable () -> Bool = { Task.isCancelled }) throws {
        self.path = path
        self.strict = strict
        lines = try LineReader(path: path, follow: follow)
        lines.cancelled = cancelled
        guard let first = lines.next() else { throw follow?.error ?? FileError(path: path, reason: "the file is empty") }
        switch first {
        case .tooLong:
            throw LineProblem(path: path, line: 1, reason: "not a newsdesk recording (the first line is over 1 MiB)")
        case .text(let bytes, _):
            do {
                header = try RecordingHeader.parse(bytes)
            } catch {
                throw LineProblem(path: path, line: 1, reason: error.description)
            }
        }
        firstEventByte = lines.position
    }

    /// The next event, or nil at the end of the file. Throws only when `strict`.
    public func next() throws(LineProblem) -> RecordedEvent? {
        while let line = lines.next() {
            let number = lines.lineNumber
            switch line {
            case .tooLong(let length):
                try problem(LineProblem(path: path, line: number, reason: "line is \(length) bytes, over the 1 MiB limit"))
            case .text(let bytes, let terminated):
                if bytes.isEmpty || isBlank(bytes) { continue }
                do {
                    let arrival = try RecordingEvent.parse(bytes, started: header.started, line: number)
                    return RecordedEvent(line: number, arrival: arrival)
                } catch {
                    if !terminated {
                        // The writer always ends lines; a cut-off last line means it was interrupted.
                        truncatedLastLine = LineProblem(path: path, line: number, reason: "the last line is incomplete (the recording was interrupted); skipped")
                        return nil
                    }
                    try problem(LineProblem(path: path, line: number, reason: error.description))
                }
            }
        }
        return nil
    }

    /// Starts again from the first event (for `--loop`) or from a known line start.
    public func rewind(toByte byte: Int? = nil, line: Int? = nil) {
        lines.seek(toByte: byte ?? firstEventByte, line: line ?? 2)
    }

    /// Line number of the last line read.
    public var lineNumber: Int { lines.lineNumber }

    /// Following a spool: wait for more at the end of what has arrived, or return nil for now.
    public var waits: Bool {
        get { lines.waits }
        set { lines.waits = newValue }
    }

    /// Following a spool: whether the next event has not fully arrived yet.
    public var wouldWait: Bool { lines.wouldWait }

    private func problem(_ p: LineProblem) throws(LineProblem) {
        if strict { throw p }
        malformed += 1
        if problems.count < 100 { problems.append(p) }
    }

    private func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// The offset of the last event in the file, read from its end (for the duration).
    public static func lastOffset(path: String) -> Int64? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return nil }
        var chunk = Int(min(size, 1 << 16))
        while true {
            var tail = [UInt8](repeating: 0, count: chunk)
            let n = pread(fd, &tail, chunk, off_t(Int(size) - chunk))
            guard n > 0 else { return nil }
            tail.removeLast(chunk - n)
            // The last complete, parseable line.
            let lines = tail.split(separator: 0x0A, omittingEmptySubsequences: true)
            for line in lines.dropFirst(chunk < Int(size) ? 1 : 0).reversed() {
                let parsed = Array(line).withUnsafeBufferPointer { try? RecordingEvent.parse($0, started: Timestamp(milliseconds: 0), line: 0) }
                if let parsed { return parsed.offset }
            }
            if chunk >= Int(size) || chunk >= 1 << 24 { return nil }
            chunk = min(Int(size), chunk * 4)
        }
    }
}

/// Writes a recording: the header, then whole event lines, each batch in one `write`.
/// After a `kill -9` every line written before survives whole (a line is never split
/// across writes); `close()` flushes to disk. Safe to use from any thread (one lock per
/// batch).
public final class RecordingWriter: Sendable {
    public let path: String
    private struct State {
        var fd: Int32
        var buffer: [UInt8] = []
        var events = 0
        var readerGone = false
    }
    private let state: Protected<State>

    public var eventsWritten: Int { state.withLock { $0.events } }
    /// A write failed because nothing reads the pipe any more (`record --out - | head`):
    /// the end of the run, not a fault.
    public var readerGone: Bool { state.withLock { $0.readerGone } }

    /// Creates `path`; an existing file is an error unless `overwrite`.
    public convenience init(path: String, header: RecordingHeader, overwrite: Bool = false) throws(FileError) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, 0o644)
        if fd < 0 {
            if errno == EEXIST { throw FileError(path: path, reason: "already exists (use --force to overwrite it)") }
            throw FileError(path: path, reason: "cannot create it (\(String(cString: strerror(errno))))")
        }
        try self.init(fileDescriptor: fd, name: path, header: header)
    }

    /// Writes to `fd`, already open (`record --out -`: a duplicate of standard output),
    /// and closes it in `close()`; `name` stands for it in messages.
    public init(fileDescriptor fd: Int32, name: String, header: RecordingHeader) throws(FileError) {
        self.path = name
        var first = State(fd: fd)
        first.buffer.reserveCapacity(1 << 16)
        first.buffer = header.encoded()
        try Self.flush(&first, path: path)
        state = Protected(first)
    }

    deinit {
        state.withLock { s in if s.fd >= 0 { Glibc.close(s.fd) } }
    }

    /// Writes a batch of events, as whole lines.
    public func write(_ arrivals: [Arrival]) throws(FileError) {
        let path = self.path
        try state.withLock { (s: inout State) throws(FileError) in
            guard s.fd >= 0 else { throw FileError(path: path, reason: "already closed") }
            for arrival in arrivals { RecordingEvent.append(arrival, to: &s.buffer) }
            s.events += arrivals.count
            try Self.flush(&s, path: path)
        }
    }

    private static func flush(_ s: inout State, path: String) throws(FileError) {
        var written = 0
        let fd = s.fd
        while written < s.buffer.count {
            let n = s.buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                s.buffer.removeAll(keepingCapacity: true)
                if errno == EPIPE { s.readerGone = true }
                throw FileError(path: path, reason: "cannot write (\(String(cString: strerror(errno))))")
            }
            written += n
        }
        s.buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes to disk and closes. Safe to call twice.
    public func close() throws(FileError) {
        let path = self.path
        try state.withLock { (s: inout State) throws(FileError) in
            guard s.fd >= 0 else { return }
            fsync(s.fd)
            let result = Glibc.close(s.fd)
            s.fd = -1
            if result != 0 { throw FileError(path: path, reason: "cannot close (\(String(cString: strerror(errno))))") }
        }
    }
}
