import Foundation

/// A recording that is a stream (a pipe, a FIFO, `-` for standard input), read once: a
/// thread copies it, as it arrives, into an unlinked temporary file, and every reader of
/// the replay (the header, the feed, the index, a seek, `--loop`) reads that file,
/// following it as it grows. So a stream is read once, seeking works over what has
/// arrived, memory stays flat, and nothing is left on disk (the file has no name; its
/// space is freed when the process ends).
///
/// The copying thread is the only one that blocks on the stream, in `open` (a FIFO with
/// no writer yet) or `read`: readers wait on a condition that cancellation wakes
/// (``wakeWaiters()``), so a signal ends the program whatever the stream does.
public final class Spool: @unchecked Sendable {
    /// Where readers open it (`/proc/self/fd/N`: the unlinked file, with an offset of its own).
    public let path: String
    private let fd: Int32
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var length = 0
    private var ended = false
    private var failure: FileError?

    /// Starts copying `input` (a path, or "-" for standard input); `name` is for messages.
    public init(copying input: String, name: String) throws(FileError) {
        var template = Array("\(NSTemporaryDirectory())/newsdesk-stream-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0, fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else { throw FileError(path: name, reason: "cannot make a temporary file to read it into (\(String(cString: strerror(errno))))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
        path = "/proc/self/fd/\(fd)"
        let thread = Thread { [self] in copy(from: input, name: name) }
        thread.name = "newsdesk-stream"
        thread.start()
    }

    private func copy(from input: String, name: String) {
        let source = input == "-" ? STDIN_FILENO : open(input, O_RDONLY | O_CLOEXEC)
        if source < 0 { return finish(FileError(path: name, reason: "cannot read it (\(String(cString: strerror(errno))))")) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return finish(FileError(path: name, reason: "cannot read it (\(String(cString: strerror(errno))))")) }
            if n == 0 { return finish(nil) }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + written, n - written) }
                if w < 0 && errno == EINTR { continue }
                if w < 0 { return finish(FileError(path: name, reason: "cannot keep what was read (\(String(cString: strerror(errno))))")) }
                written += w
            }
            condition.withLock { length += n }
            condition.broadcast()
        }
    }

    private func finish(_ error: FileError?) {
        condition.withLock {
            ended = true
            failure = error
        }
        condition.broadcast()
    }

    /// What is there past `offset`.
    public enum Availability: Equatable {
        /// More bytes (read them from the file).
        case more
        /// Nothing more, ever (the stream ended).
        case end
        /// Nothing yet (without waiting), or the waiting task was cancelled.
        case notYet
    }

    /// Whether there is more past `offset`; with `wait`, waits until there is, the stream
    /// ends, or `cancelled()` says so after a wake-up (then `.notYet`).
    public func available(beyond offset: Int, wait: Bool, cancelled: () -> Bool = { Task.isCancelled }) -> Availability {
        condition.withLock {
            while true {
                if length > offset { return .more }
                if ended { return .end }
                if !wait || cancelled() { return .notYet }
                condition.wait()
            }
        }
    }

    /// The error that ended the stream, if one did.
    public var error: FileError? { condition.withLock { failure } }

    /// Whether the whole stream has arrived.
    public var isComplete: Bool { condition.withLock { ended } }

    /// Wakes every waiting reader (to see that its task was cancelled).
    public func wakeWaiters() {
        condition.withLock {}
        condition.broadcast()
    }
}
