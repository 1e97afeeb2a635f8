import Foundation
import NewsCore
import Testing
@testable import NewsStore

/// The store's figures for DECISIONS.md: insert rate for 100,000 realistic headlines in
/// batches of 1,000, and bytes per headline (search index included, log checkpointed).
/// Printed, never asserted (times vary with the machine); only correctness is checked.
/// Off by default (10-60 s): `NEWSSTORE_FIGURES=1 swift test --filter StoreFigures`.
@Suite struct StoreFiguresTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NEWSSTORE_FIGURES"] != nil))
    func insertRateAndBytesPerHeadline() throws {
        let dir = TempFolder()
        let path = dir.file("figures.db")
        let store = try openStore(path)
        let count = 100_000
        var generator = RealisticHeadlines()
        var batches: [[String: [Headline]]] = []
        for start in stride(from: 0, to: count, by: 1000) {
            var batch: [String: [Headline]] = [:]
            for i in start..<start + 1000 {
                let (h, feed) = generator.next(i)
                batch[feed, default: []].append(h)
            }
            batches.append(batch)
        }
        let clock = ContinuousClock()
        var new = 0
        let elapsed = try clock.measure {
            for batch in batches {
                for (feed, headlines) in batch {
                    new += try store.insert(headlines, feed: feed).filter { $0 }.count
                }
            }
        }
        #expect(new == count)
        try store.checkpoint()
        #expect(try store.count() == count)
        #expect(try store.integrityCheck())
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let searchElapsed = try clock.measure { _ = try store.search("abc", limit: 100) }
        let recentElapsed = try clock.measure { _ = try store.recent(limit: 10_000) }
        print("""
            store figures: \(count) headlines in \(batches.count) batches of 1000: \
            \(Int(Double(count) / seconds)) headlines/s; \(size) bytes, \(size / count) bytes/headline; \
            search \(searchElapsed), recent(10000) \(recentElapsed)
            """)
    }
}
