import Foundation
import NewsCore
@testable import NewsStore

/// A fresh folder under the system's temporary folder, removed when the test is done.
final class TempFolder {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("newsstore-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        // A test may have made parts read-only.
        _ = try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }
}

/// A clock the test sets.
final class TestClock: Sendable {
    let now: Protected<Int64>
    init(_ start: Int64 = 1_780_000_000_000) { now = Protected(start) }
    var function: @Sendable () -> Timestamp { { [now] in Timestamp(milliseconds: now.withLock { $0 }) } }
    func advance(_ ms: Int64) { now.withLock { $0 += ms } }
}

func headline(_ id: String, _ title: String, at ms: Int64, source: String = "bbc", summary: String? = nil) -> Headline {
    Headline(id: id, source: source, title: title, published: Timestamp(milliseconds: ms), summary: summary)
}

func openStore(_ path: String, clock: TestClock = TestClock()) throws -> HeadlineStore {
    try HeadlineStore(path: path, clock: clock.function)
}

/// The StoreError kind thrown by `body`, or nil when it throws none.
func storeErrorKind(_ body: () throws -> Void) -> StoreError.Kind? {
    do {
        try body()
        return nil
    } catch let error as StoreError {
        return error.kind
    } catch {
        return .io
    }
}

/// Deterministic realistic headlines (the generator of the store's figures and of
/// /tmp-free Python comparison in DECISIONS.md): titles of 60-80 bytes from a Zipf-like
/// draw over 20,000 words, ids of 40 bytes, urls of 60 bytes, a summary of 100 bytes on
/// half of them, 20 feeds.
struct RealisticHeadlines {
    private var x: UInt64
    private let lexicon: [String]

    init(seed: UInt64 = 42) {
        var state = seed
        var words: [String] = []
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        for _ in 0..<20_000 {
            let length = 3 + Int(Self.step(&state) % 7)
            var word = ""
            for _ in 0..<length { word.append(letters[Int(Self.step(&state) % 26)]) }
            words.append(word)
        }
        x = state
        lexicon = words
    }

    private static func step(_ x: inout UInt64) -> UInt64 {
        x = x &* 6364136223846793005 &+ 1442695040888963407
        return x >> 33
    }

    private mutating func word() -> String {
        let u = Double(Self.step(&x) % (1 << 20)) / Double(1 << 20)
        return lexicon[Int(u * u * u * Double(lexicon.count))]
    }

    private mutating func text(_ length: Int) -> String {
        var t = ""
        while t.utf8.count < length { t += (t.isEmpty ? "" : " ") + word() }
        return String(t.utf8.prefix(length))!
    }

    /// The `i`th headline (call in order) and its feed.
    mutating func next(_ i: Int) -> (Headline, String) {
        let title = text(60 + Int(Self.step(&x) % 21))
        let feed = "feed" + String(Self.step(&x) % 20)
        let id = String(String("https://example.org/\(feed)/\(String(i, radix: 16))-\(Self.step(&x))").utf8.prefix(40))!
        let url = String(String("https://www.example-news.com/world/2026/12/\(i)-\(String(repeating: "x", count: 60))").utf8.prefix(60))!
        let summary: String? = Self.step(&x) % 2 == 0 ? text(100) : nil
        let h = Headline(
            id: id, source: feed, title: title,
            published: Timestamp(milliseconds: 1_780_000_000_000 + Int64(i) * 60_000),
            summary: summary, url: url)
        return (h, feed)
    }
}
