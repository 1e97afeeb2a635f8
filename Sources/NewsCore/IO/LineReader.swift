#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
