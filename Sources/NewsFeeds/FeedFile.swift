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
        var bytes = [UInt8](repeating: 0, count: max(size, 64 << 10))
        var done = 0
        while true {
            if done == bytes.count {
                guard bytes.count <= limits.maxBytes else { throw .tooLarge(bytes: bytes.count, limit: limits.maxBytes) }
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, limits.maxBytes + 1 - bytes.count)))
            }
            let n = bytes.withUnsafeMutableBytes { readBytes(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable("cannot read \(path): \(String(cString: strerror(errno)))")
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
