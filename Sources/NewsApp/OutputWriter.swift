import Foundation

/// When an ``OutputWriter`` hands what it holds to the descriptor.
public enum WriteMode: Equatable, Sendable {
    /// At 64 KiB: `--speed max` into a pipe or a file, where only throughput matters.
    case blocks
    /// After every batch: a feed paced in real time, or a terminal, so that each line
    /// shows up when its headline arrives (`| grep goal` is not silent for minutes).
    case batches
    /// After every line (`--line-buffered`), at any speed.
    case lines

    public static func choose(lineBuffered: Bool, paced: Bool, fd: Int32) -> WriteMode {
        if lineBuffered { return .lines }
        return paced || isatty(fd) == 1 ? .batches : .blocks
    }
}

/// Buffered writes to a file descriptor, flushed as its ``WriteMode`` says.
public final class OutputWriter {
    /// The reader has gone (EPIPE): the commands end quietly, status 0.
    public struct Closed: Error {}

    public let fd: Int32
    public let mode: WriteMode
    public var buffer: [UInt8] = []

    public init(fd: Int32, mode: WriteMode) {
        self.fd = fd
        self.mode = mode
        buffer.reserveCapacity(1 << 16 + 1024)
    }

    /// A whole line has been appended to `buffer`.
    public func lineEnded() throws {
        if mode == .lines { try flush() }
    }

    /// A batch of the feed has been appended.
    public func batchEnded() throws {
        if mode != .blocks || buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes everything buffered. Throws ``Closed`` when the reader has gone (EPIPE).
    public func flush() throws {
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                buffer.removeAll(keepingCapacity: true)
                if errno == EPIPE { throw Closed() }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            written += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
