#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a feed file whole, within the size limit: a file larger than
/// `FeedLimits.maxBytes` is refused before any of it is read (a file that grows while it
/// is read is cut at the limit and refused too).
public enum FeedFile {
    public static func read(path: String, limits: FeedLimits = FeedLimits()) throws(FeedError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable("cannot read \(path): \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw .unreadable("\(path) is a directory") }
        let size = Int(info.st_size)
        guard size <= limits.maxBytes else { throw .tooLarge(bytes: size, limit: limits.maxBytes) }
        // Regular files report their size; pipes and devices report 0 and are read in steps.
        return try read(fd: fd, after: [], name: path, expected: size, limits: limits)
    }

    /// Reads what is left of a stream (a pipe, a FIFO, standard input) that has given
    /// `prefix` already, to its end, and returns `prefix` and the rest: the stream is read
    /// once and never reopened. More than `limits.maxBytes` in all is
    /// ``FeedError/tooLarge(bytes:limit:)`` as soon as the limit is passed (a stream says
    /// nothing of its size; `bytes` is then what was read, just past the limit). `fd` is
    /// left open; `name` names it in errors.
    public static func read(fd: Int32, after prefix: [UInt8], name: String, limits: FeedLimits = FeedLimits()) throws(FeedError) -> [UInt8] {
        try read(fd: fd, after: prefix, name: name, expected: 0, limits: limits)
    }

    /// Makes `bytes` `count` long (zeros after its bytes): one zeroed allocation and one
    /// copy, not a byte-at-a-time append (which a debug build takes seconds over for 32 MiB).
    public static func grow(_ bytes: inout [UInt8], to count: Int) {
        guard count > bytes.count else { return }
        if bytes.isEmpty { bytes = [UInt8](repeating: 0, count: count); return }
        var bigger = [UInt8](repeating: 0, count: count)
        bigger.withUnsafeMutableBufferPointer { to in
            bytes.withUnsafeBufferPointer { from in to.baseAddress!.update(from: from.baseAddress!, count: from.count) }
        }
        bytes = bigger
    }

    private static func read(fd: Int32, after prefix: [UInt8], name: String, expected: Int, limits: FeedLimits) throws(FeedError) -> [UInt8] {
        guard prefix.count <= limits.maxBytes else { throw .tooLarge(bytes: prefix.count, limit: limits.maxBytes) }
        var bytes = prefix
        var done = bytes.count
        // A regular file: one allocation of its size and a byte more, so that the read that
        // finds the end does not grow (and copy) the whole buffer; a stream grows by doubling.
        grow(&bytes, to: max(expected + 1, 64 << 10, done))
        while true {
            if done == bytes.count {
                guard bytes.count <= limits.maxBytes else { throw .tooLarge(bytes: bytes.count, limit: limits.maxBytes) }
                grow(&bytes, to: bytes.count + min(bytes.count, limits.maxBytes + 1 - bytes.count))
            }
            let n = bytes.withUnsafeMutableBytes { readBytes(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable("cannot read \(name): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            done += n
        }
        guard done <= limits.maxBytes else { throw .tooLarge(bytes: done, limit: limits.maxBytes) }
        bytes.removeSubrange(done...)
        return bytes
    }
}

private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, buffer, count)
    #else
    Darwin.read(fd, buffer, count)
    #endif
}
