#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Tells when the reader of a pipe has gone, without writing to it.
///
/// A closed pipe shows only when the next write fails (EPIPE), and a feed that is quiet
/// for an hour writes nothing for an hour: `newsdesk --feed URL | head -1` printed its line,
/// `head` ended, and newsdesk went on polling until the feed's next item. Linux's `poll()`
/// reports POLLERR on a pipe whose reader has gone (and POLLHUP on a socket whose peer
/// has), with no event asked for; a thread waits on that and on a wake-up pipe, so that
/// the wait ends as soon as its task is cancelled.
public enum ReaderWatch {
    /// `fd` when it is a pipe or a socket (what a reader can leave), else nil.
    public static func watchable(_ fd: Int32) -> Int32? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let kind = info.st_mode & S_IFMT
        return kind == S_IFIFO || kind == S_IFSOCK ? fd : nil
    }

    /// Returns when the reader of `fd` has gone; throws `CancellationError` when cancelled first.
    public static func gone(_ fd: Int32) async throws {
        let wake = WakePipe()
        guard wake.ok else { return try await Task.sleep(for: .seconds(Int64.max / 4)) }  // no pipe: watch nothing
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    var fds = [pollfd(fd: fd, events: 0, revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
                    while poll(&fds, 2, -1) < 0 && errno == EINTR {}
                    c.resume()
                }
            }
        } onCancel: {
            wake.ring()
        }
        try Task.checkCancellation()
    }

    /// A pipe that ends the wait when written to; closed when the last holder lets it go.
    final class WakePipe: @unchecked Sendable {
        let read: Int32
        let writeEnd: Int32
        var ok: Bool { read >= 0 }

        init() {
            var fds: [Int32] = [-1, -1]
            if pipe(&fds) != 0 { fds = [-1, -1] }
            read = fds[0]
            writeEnd = fds[1]
        }

        func ring() {
            guard writeEnd >= 0 else { return }
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)
        }

        deinit {
            if read >= 0 { close(read) }
            if writeEnd >= 0 { close(writeEnd) }
        }
    }
}
