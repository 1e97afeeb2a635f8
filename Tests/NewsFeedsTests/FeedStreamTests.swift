import Foundation
import NewsCore
import Testing
@testable import NewsFeeds

/// A feed read from a stream (issue 11, point 2): once, after the start already read.
@Suite("Feeds from a stream")
struct FeedStreamTests {
    /// A pipe whose writer (a thread) writes `bytes` then closes; returns the read end.
    static func pipeWriting(_ bytes: [UInt8]) -> Int32 {
        signal(SIGPIPE, SIG_IGN)  // the reader may close first (over the limit): EPIPE, not death
        var ends: [Int32] = [0, 0]
        _ = pipe(&ends)
        let writeEnd = ends[1]
        Thread {
            bytes.withUnsafeBytes { p in
                var sent = 0
                while sent < p.count {
                    let n = write(writeEnd, p.baseAddress! + sent, p.count - sent)
                    if n <= 0 { break }
                    sent += n
                }
            }
            close(writeEnd)
        }.start()
        return ends[0]
    }

    @Test("the start already read, then the rest of the stream: the whole feed, once")
    func prefixThenRest() throws {
        let bytes = ChunkedParseTests.mendedFeed(items: 400)
        let fd = Self.pipeWriting(Array(bytes[1000...]))
        defer { close(fd) }
        let read = try FeedFile.read(fd: fd, after: Array(bytes[..<1000]), name: "standard input")
        #expect(read == bytes)
        #expect(try FeedParser.parse(bytes: read, readTime: readTime).items.count == 400)
    }

    @Test("a stream larger than the limit is refused once it passes it, saying the limit")
    func tooLarge() throws {
        var limits = FeedLimits()
        limits.maxBytes = 100_000
        let fd = Self.pipeWriting([UInt8](repeating: 0x20, count: 300_000))
        defer { close(fd) }
        do {
            _ = try FeedFile.read(fd: fd, after: Array("<rss>".utf8), name: "standard input", limits: limits)
            Issue.record("a stream over the limit was read")
        } catch {
            guard case .tooLarge(let bytes, let limit) = error else { Issue.record("\(error)"); return }
            #expect(limit == 100_000 && bytes > 100_000 && bytes <= 100_001)
            #expect("\(error)".contains("more than the limit of 97.7 KiB") || "\(error)".contains("more than the limit"))
        }
    }
}

