#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Writes event lines already encoded (whole lines, each with its newline), counting
    /// `events` of them: the importer's, which encodes its rows once as it reads them.
    public func write(encoded lines: [UInt8], events: Int) throws(FileError) {
        let path = self.path
        try state.withLock { (s: inout State) throws(FileError) in
            guard s.fd >= 0 else { throw FileError(path: path, reason: "already closed") }
            s.events += events
            let failure = lines.withUnsafeBytes { Self.writeAll($0, to: &s, path: path) }
            if let failure { throw failure }
        }
    }

    private static func flush(_ s: inout State, path: String) throws(FileError) {
        // Taken out while it is written (so that the state can note a reader gone), and put
        // back empty with its capacity: a failed write drops what it held, as it always has.
        var buffer: [UInt8] = []
        swap(&buffer, &s.buffer)
        let failure = buffer.withUnsafeBytes { writeAll($0, to: &s, path: path) }
        buffer.removeAll(keepingCapacity: true)
        s.buffer = buffer
        if let failure { throw failure }
    }

    /// Writes all of `bytes`, or returns why it could not.
    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to s: inout State, path: String) -> FileError? {
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(s.fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { s.readerGone = true }
                return FileError(path: path, reason: "cannot write (\(String(cString: strerror(errno))))")
            }
            written += n
        }
        return nil
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
