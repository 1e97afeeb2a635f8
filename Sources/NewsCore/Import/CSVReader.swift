#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads CSV (RFC 4180) as it goes, through a fixed buffer: quoted fields may hold
/// commas, quotes (doubled) and newlines; records end with LF or CRLF. Memory stays
/// bounded: a record longer than `maxRecord` is skipped and reported, not kept.
///
/// Lenient where real files are sloppy and nothing is lost: a quote inside an unquoted
/// field is kept as a character, and so is text after a closing quote. A quoted field
/// still open at the end of the file is an error for that record. A byte order mark at
/// the start is skipped.
///
/// A record's fields are UTF-8 bytes in the reader's own storage (``field(_:)``, valid
/// until the next call of ``next()``), not strings: unquoted runs are copied whole, and
/// only a field with a byte above 0x7F is checked for valid UTF-8 (issue 16).
public final class CSVReader {
    public enum Status {
        /// A record: its fields are ``field(_:)`` for `0..<count`; `line` is where it starts.
        case record(line: Int)
        case problem(LineProblem)
    }

    public let path: String
    public let maxRecord: Int
    public let size: Int
    private let fd: Int32
    private static let bufferSize = 1 << 20
    private let buffer: UnsafeMutablePointer<UInt8>
    /// Where the reader is: kept in a local while a record is read (a class's stored
    /// properties cost an exclusivity check at each access; the loop does millions).
    private struct Cursor {
        var start = 0, end = 0
        var eof = false
        var position = 0
        var line = 1
    }
    private var cursor = Cursor()
    /// Bytes consumed so far (for progress).
    public var position: Int { cursor.position }
    /// The current record's fields, unquoted, back to back: field `i` ends at `ends[i]`.
    private let fields: UnsafeMutablePointer<UInt8>
    private var ends: [Int] = []

    /// `name`: what messages call the input, when not `path` (a relay of a stream).
    public init(path: String, name: String? = nil, maxRecord: Int = LineReader.defaultMaxLine) throws(FileError) {
        self.path = name ?? path
        self.maxRecord = maxRecord
        (fd, size) = try FileError.openForReading(path)
        buffer = .allocate(capacity: Self.bufferSize)
        fields = .allocate(capacity: max(1, maxRecord))
    }

    deinit {
        close(fd)
        buffer.deallocate()
        fields.deallocate()
    }

    /// How many fields the current record has.
    public var count: Int { ends.count }

    /// Field `i` (0-based) of the current record: valid UTF-8, until the next ``next()``.
    @inline(__always)
    public func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let from = i == 0 ? 0 : ends[i - 1]
        return UnsafeBufferPointer(start: fields + from, count: ends[i] - from)
    }

    /// The current record's fields as strings (the header row, a row shown in a message).
    public func strings() -> [String] {
        (0..<count).map { String(decoding: field($0), as: UTF8.self) }
    }

    /// Reads more into the buffer when it is used up; false at the end of the file.
    @inline(__always)
    private func fill(_ c: inout Cursor) -> Bool {
        if c.start < c.end { return true }
        return refill(&c)
    }

    private func refill(_ c: inout Cursor) -> Bool {
        if c.eof { return false }
        let n = read(fd, buffer, Self.bufferSize)
        if n <= 0 {
            c.eof = true
            return false
        }
        c.start = 0
        c.end = n
        // A UTF-8 byte order mark (Excel writes one) is not part of the first field.
        if c.position == 0 && n >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            c.start = 3
            c.position = 3
            return c.start < c.end || refill(&c)
        }
        return true
    }

    /// The next record, a problem with one, or nil at the end.
    public func next() -> Status? {
        var c = cursor
        var ends: [Int] = []
        swap(&ends, &self.ends)
        defer {
            cursor = c
            swap(&ends, &self.ends)
        }
        let buffer = self.buffer, fields = self.fields, maxRecord = self.maxRecord
        while true {
            let recordLine = c.line
            ends.removeAll(keepingCapacity: true)
            var stored = 0  // bytes of the record's fields kept so far
            var fieldStart = 0
            var high: UInt8 = 0  // every byte of the field or-ed: above 0x7F means check the UTF-8
            var bytes = 0  // the record's field bytes, kept or not
            var tooLong = false
            var badUTF8Column = 0

            /// Keeps `count` bytes from `from` in the current field (or counts them only,
            /// once the record is over the limit).
            @inline(__always)
            func keep(_ from: UnsafePointer<UInt8>, _ count: Int) {
                bytes += count
                guard !tooLong else { return }
                if bytes > maxRecord {
                    tooLong = true
                    return
                }
                (fields + stored).update(from: from, count: count)
                stored += count
            }
            func keep(_ byte: UInt8) {
                var b = byte
                keep(&b, 1)
            }
            func finishField() {
                guard !tooLong else { return }
                if high >= 0x80 && !UTF8Bytes.isValid(UnsafeBufferPointer(start: fields + fieldStart, count: stored - fieldStart)) {
                    // As before the byte-level reader: the first bad field counts as empty
                    // (the record is reported anyway); a later one is dropped.
                    stored = fieldStart
                    if badUTF8Column == 0 {
                        badUTF8Column = ends.count + 1
                        ends.append(stored)
                    }
                } else {
                    ends.append(stored)
                }
                fieldStart = stored
                high = 0
            }

            guard fill(&c) else { return nil }
            var inQuotes = false
            var atFieldStart = true
            recordLoop: while true {
                guard fill(&c) else {
                    if inQuotes {
                        return .problem(LineProblem(path: path, line: recordLine, reason: "a quoted field is not closed before the end of the file"))
                    }
                    finishField()
                    break recordLoop
                }
                if inQuotes {
                    // A run up to the next quote or newline, copied whole.
                    var p = c.start
                    while p < c.end {
                        let b = buffer[p]
                        if b == 0x22 || b == 0x0A { break }
                        high |= b
                        p += 1
                    }
                    if p > c.start { keep(buffer + c.start, p - c.start) }
                    c.position += p - c.start
                    c.start = p
                    guard p < c.end else { continue }
                    let b = buffer[c.start]
                    c.start += 1
                    c.position += 1
                    if b == 0x0A {
                        c.line += 1
                        keep(b)
                    } else if fill(&c) && buffer[c.start] == 0x22 {
                        c.start += 1
                        c.position += 1
                        keep(0x22)
                    } else {
                        inQuotes = false
                    }
                    continue
                }
                if atFieldStart && buffer[c.start] == 0x22 {
                    c.start += 1
                    c.position += 1
                    inQuotes = true
                    atFieldStart = false
                    continue
                }
                var p = c.start
                while p < c.end {
                    let b = buffer[p]
                    if b == 0x2C || b == 0x0A || b == 0x0D { break }
                    high |= b
                    p += 1
                }
                if p > c.start {
                    keep(buffer + c.start, p - c.start)
                    atFieldStart = false
                }
                c.position += p - c.start
                c.start = p
                guard p < c.end else { continue }
                let b = buffer[c.start]
                c.start += 1
                c.position += 1
                switch b {
                case 0x2C:  // ,
                    finishField()
                    atFieldStart = true
                case 0x0A:
                    c.line += 1
                    finishField()
                    break recordLoop
                default:  // CR: the end of the record before LF, a character otherwise
                    if fill(&c) && buffer[c.start] == 0x0A {
                        c.start += 1
                        c.position += 1
                        c.line += 1
                        finishField()
                        break recordLoop
                    }
                    keep(b)
                    atFieldStart = false
                }
            }
            if tooLong {
                return .problem(LineProblem(path: path, line: recordLine, reason: "the record is \(bytes) bytes, over the 1 MiB limit"))
            }
            if badUTF8Column > 0 {
                return .problem(LineProblem(path: path, line: recordLine, reason: "invalid UTF-8 in column \(badUTF8Column)"))
            }
            // A blank line is no record.
            if ends.count == 1 && ends[0] == 0 { continue }
            return .record(line: recordLine)
        }
    }
}
