import Foundation
import NewsApp
import NewsCore
import NewsFeeds
import Testing

/// Opening a stream to import (issue 11): read once, its start sniffed and kept.
@Suite("Import streams")
struct ImportStreamTests {
    /// A FIFO with a thread writing `bytes` into it, then closing it.
    static func fifo(writing bytes: [UInt8]) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("import-stream-\(UUID().uuidString).fifo").path
        mkfifo(path, 0o600)
        Thread {
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { return }
            bytes.withUnsafeBytes { p in
                var sent = 0
                while sent < p.count {
                    let n = write(fd, p.baseAddress! + sent, p.count - sent)
                    if n <= 0 { break }
                    sent += n
                }
            }
            close(fd)
        }.start()
        return path
    }

    @Test("a FIFO is a stream, a file and a missing path are not")
    func kinds() throws {
        let path = Self.fifo(writing: [])
        defer { unlink(path) }
        #expect(ImportInput.isStream(path))
        #expect(ImportInput.isStream("-"))
        #expect(!ImportInput.isStream(#filePath))
        #expect(!ImportInput.isStream("/no/such/file"))
        // Let the writer's open go through.
        _ = ImportInput.openOnce(path: path)
    }

    @Test("a feed in a FIFO: sniffed from its start, then read whole from the same descriptor")
    func feed() throws {
        var text = #"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>"#
        for i in 0..<2_000 { text += "<item><title>Item \(i)</title><guid>\(i)</guid><description>\(String(repeating: "word ", count: 20))</description></item>" }
        text += "</channel></rss>"
        let bytes = Array(text.utf8)
        #expect(bytes.count > 128 << 10)  // more than the start that is sniffed
        let path = Self.fifo(writing: bytes)
        defer { unlink(path) }
        guard case .success(let (kind, stream)) = ImportInput.openOnce(path: path), let stream else {
            Issue.record("not opened")
            return
        }
        #expect(kind == .feed(.rss, version: "2.0"))
        #expect(try stream.readFeed() == bytes)
    }

    @Test("a table in a FIFO: the relay reads as the whole stream, its start first")
    func relay() throws {
        var csv = "title,time\n"
        for i in 0..<8_000 { csv += "Row \(i),2024-01-01T00:00:00Z\n" }
        let bytes = Array(csv.utf8)
        let path = Self.fifo(writing: bytes)
        defer { unlink(path) }
        guard case .success(let (kind, stream)) = ImportInput.openOnce(path: path), let stream else {
            Issue.record("not opened")
            return
        }
        #expect(kind == .csv)
        guard case .success(let relayed) = stream.relay() else { Issue.record("no relay"); return }
        let fd = open(relayed, O_RDONLY)
        #expect(fd >= 0, "\(relayed): \(String(cString: strerror(errno)))")
        guard fd >= 0 else { return }
        defer { close(fd) }
        var read: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n <= 0 { break }
            read.append(contentsOf: buffer[0..<n])
        }
        #expect(read == bytes)
    }

    @Test("an empty stream is 66, saying so")
    func empty() throws {
        let path = Self.fifo(writing: [])
        defer { unlink(path) }
        guard case .failure(let refusal) = ImportInput.openOnce(path: path) else { Issue.record("opened"); return }
        #expect(refusal.status == 66)
        #expect(refusal.message.contains("nothing to read"))
    }
}
