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
public final class CSVReader {
    public enum Record {
        /// The fields, and the line the record starts on.
        case fields([String], line: Int)
        case problem(LineProblem)
    }

    public let path: String
    public let maxRecord: Int
    public let size: Int
    private let fd: Int32
    private var buffer: [UInt8]
    private var start = 0, end = 0
    private var eof = false
    /// Bytes consumed so far (for progress).
    public private(set) var position = 0
    private var line = 1

    /// `name`: what messages call the input, when not `path` (a relay of a stream).
    public init(path: String, name: String? = nil, maxRecord: Int = LineReader.defaultMaxLine) throws(FileError) {
        self.path = name ?? path
        self.maxRecord = maxRecord
        (fd, size) = try FileError.openForReading(path)
        buffer = [UInt8](repeating: 0, count: 1 << 16)
    }

    deinit { close(fd) }

    /// Reads more into the buffer when it is used up; false at the end of the file.
    @inline(__always)
    private func fill() -> Bool {
        if start < end { return true }
        if eof { return false }
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n <= 0 {
            eof = true
            return false
        }
        start = 0
        end = n
        // A UTF-8 byte order mark (Excel writes one) is not part of the first field.
        if position == 0 && n >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            start = 3
            position = 3
            return start < end || fill()
        }
        return true
    }

    @inline(__always)
    private func nextByte() -> UInt8? {
        guard fill() else { return nil }
        let b = buffer[start]
        start += 1
        position += 1
        return b
    }

    @inline(__always)
    private func peekByte() -> UInt8? {
        guard fill() else { return nil }
        return buffer[start]
    }

    /// The next record, a problem with one, or nil at the end.
    public func next() -> Record? {
        while true {
            let recordLine = line
            var fields: [String] = []
            var field: [UInt8] = []
            var bytes = 0
            var tooLong = false
            var badUTF8Column = 0
            var sawAnything = false

            func finishField() {
                if !tooLong {
                    if let text = String(validating: field, as: UTF8.self) {
                        fields.append(text)
                    } else if badUTF8Column == 0 {
                        badUTF8Column = fields.count + 1
                        fields.append("")
                    }
                }
                field.removeAll(keepingCapacity: true)
            }
            func add(_ b: UInt8) {
                bytes += 1
                if bytes > maxRecord {
                    tooLong = true
                    field.removeAll()
                } else if !tooLong {
                    field.append(b)
                }
            }

            guard let first = peekByte() else { return nil }
            _ = first
            var inQuotes = false
            var quotedField = false  // the current field started with a quote
            var atFieldStart = true
            recordLoop: while true {
                guard let b = nextByte() else {
                    if inQuotes {
                        return .problem(LineProblem(path: path, line: recordLine, reason: "a quoted field is not closed before the end of the file"))
                    }
                    if !sawAnything { return nil }
                    finishField()
                    break recordLoop
                }
                sawAnything = true
                if inQuotes {
                    if b == 0x22 {
                        if peekByte() == 0x22 {
                            _ = nextByte()
                            add(0x22)
                        } else {
                            inQuotes = false
                        }
                    } else {
                        if b == 0x0A { line += 1 }
                        add(b)
                    }
                    continue
                }
                switch b {
                case 0x2C:  // ,
                    finishField()
                    atFieldStart = true
                    quotedField = false
                    continue
                case 0x0A:
                    line += 1
                    finishField()
                    break recordLoop
                case 0x0D:
                    if peekByte() == 0x0A {
                        _ = nextByte()
                        line += 1
                        finishField()
                        break recordLoop
                    }
                    add(b)
                case 0x22 where atFieldStart:
                    inQuotes = true
                    quotedField = true
                default:
                    add(b)
                }
                atFieldStart = false
                _ = quotedField
            }
            if tooLong {
                return .problem(LineProblem(path: path, line: recordLine, reason: "the record is \(bytes) bytes, over the 1 MiB limit"))
            }
            if badUTF8Column > 0 {
                return .problem(LineProblem(path: path, line: recordLine, reason: "invalid UTF-8 in column \(badUTF8Column)"))
            }
            // A blank line is no record.
            if fields.count == 1 && fields[0].isEmpty { continue }
            return .fields(fields, line: recordLine)
        }
    }
}
