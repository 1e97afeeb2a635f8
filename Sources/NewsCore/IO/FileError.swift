#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a recording (or an import input) cannot be read at all.
public struct FileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

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
