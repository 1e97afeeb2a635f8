#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NewsCore

/// A feed file's title, read from its start only: what names a `--feed PATH` source
/// before the whole file is read (a feed says its title before its items).
public enum FeedTitle {
    /// How much of the file is looked at.
    public static let prefixBytes = 64 << 10

    /// The title of the feed in the first ``prefixBytes`` of `path`, or nil when the file
    /// cannot be read, is not a feed, or has no title there. Never waits on a FIFO: only a
    /// regular file is opened.
    public static func peek(path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: prefixBytes)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            count += n
        }
        return title(of: Array(bytes[..<count]))
    }

    /// The title of the feed that `bytes` start (a whole feed or its beginning), or nil.
    public static func title(of bytes: [UInt8]) -> String? {
        guard let document = try? FeedParser.parse(bytes: bytes, readTime: Timestamp(milliseconds: 0)) else { return nil }
        let title = document.title.trimmingWhitespace()
        return title.isEmpty ? nil : title
    }
}

private extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }
        return String(String.UnicodeScalarView(scalars.reversed()))
    }
}
