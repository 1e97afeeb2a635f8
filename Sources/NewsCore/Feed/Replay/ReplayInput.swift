import Foundation

/// Where a replay reads its recording: a regular file, by path (read again to index, seek
/// and loop, as ever), or a stream (a pipe, a FIFO, `-` for standard input) read once into
/// a ``Spool``.
public struct ReplayInput: Sendable {
    /// The name in messages and what readers are given as the path: the file, or "stdin".
    public let name: String
    /// The stream's spool; nil for a regular file.
    public let spool: Spool?

    /// Opens `argument` without blocking: a FIFO with no writer yet is opened by the
    /// spool's thread. Missing or a directory: a FileError.
    public static func open(_ argument: String) throws(FileError) -> ReplayInput {
        if argument == "-" { return ReplayInput(name: "stdin", spool: try Spool(copying: "-", name: "stdin")) }
        var info = stat()
        if stat(argument, &info) != 0 {
            throw FileError(path: argument, reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return ReplayInput(name: argument, spool: nil)
        case S_IFDIR: throw FileError(path: argument, reason: "is a directory, not a file")
        default: return ReplayInput(name: argument, spool: try Spool(copying: argument, name: argument))
        }
    }
}
