#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        guard let arrival = try nextArrival() else { return nil }
        return RecordedEvent(line: lines.lineNumber, arrival: arrival)
    }

    /// ``next()`` without the line number: the replay's batches take the arrival as it is
    /// parsed (a recorded event is 136 bytes since headlines have a note, and each copy of one
    /// was a `memcpy` call; DECISIONS.md, 2026-12-02).
    public func nextArrival() throws(LineProblem) -> Arrival? {
        while let line = lines.next() {
            let number = lines.lineNumber
            switch line {
            case .tooLong(let length):
                try problem(LineProblem(path: path, line: number, reason: "line is \(length) bytes, over the 1 MiB limit"))
            case .text(let bytes, let terminated):
                if bytes.isEmpty || isBlank(bytes) { continue }
                do {
                    return try RecordingEvent.parse(bytes, started: header.started, line: number)
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
