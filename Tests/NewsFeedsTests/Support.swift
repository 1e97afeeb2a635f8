import Foundation
import NewsCore
@testable import NewsFeeds

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

func fixture(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
}

/// The time the tests "read" every feed (an injected clock's now): 2030-01-01T00:00:00Z.
let readTime = Timestamp(milliseconds: 1_893_456_000_000)

func iso(_ text: String) -> Timestamp { ISOTime.parse(text)! }

func parse(_ text: String, baseURL: String? = nil, name: String? = nil, limits: FeedLimits = FeedLimits()) throws(FeedError) -> FeedDocument {
    try FeedParser.parse(bytes: Array(text.utf8), baseURL: baseURL, name: name, readTime: readTime, limits: limits)
}

func parseFixture(_ name: String, baseURL: String? = nil) throws -> FeedDocument {
    try FeedParser.parse(bytes: try fixture(name), baseURL: baseURL ?? "file:///feeds/\(name)", readTime: readTime)
}

/// A one-item RSS 2.0 feed around `item` (the inside of `<item>`).
func rss(item: String, channel: String = "<title>T</title><link>https://t.example.com/</link>") -> String {
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>\(channel)<item>\(item)</item></channel></rss>"
}
