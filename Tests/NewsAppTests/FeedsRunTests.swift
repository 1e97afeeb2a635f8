import Foundation
import NewsCore
import NewsFeeds
import Testing
@testable import NewsApp

/// `newsdesk feeds add|list|import|export` without the binary: output, messages and exit status.
@Suite("feeds commands: the subscriptions file")
struct FeedsRunTests {
    final class Lines: @unchecked Sendable {
        var out: [String] = [], err: [String] = []
    }

    func runner(_ path: String?, _ lines: Lines) -> FeedsRun {
        FeedsRun(path: path, home: "/home/u", out: { lines.out.append($0) }, err: { lines.err.append($0) })
    }

    func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("feedsrun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @Test("add creates the file and its folder, list shows each feed's name, interval, tags and location; a duplicate is 65 and changes nothing")
    func addAndList() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/config/newsdesk/feeds"
        let lines = Lines()
        let run = runner(path, lines)
        #expect(run.list() == 0)
        #expect(lines.err.last?.contains("no subscriptions yet") == true)
        #expect(run.add(location: "https://lwn.net/headlines/rss", name: nil, every: .seconds(1800), tags: ["linux"]) == 0)
        #expect(run.add(location: "https://www.theverge.com/rss/index.xml", name: "verge", every: nil, tags: []) == 0)
        #expect(lines.err.last == "added https://www.theverge.com/rss/index.xml as verge to \(path)")
        let before = try String(contentsOfFile: path, encoding: .utf8)
        #expect(before == "https://lwn.net/headlines/rss - every=30m linux\nhttps://www.theverge.com/rss/index.xml verge\n")
        #expect(run.add(location: "https://LWN.net/headlines/rss", name: nil, every: nil, tags: []) == 65)
        #expect(lines.err.last?.contains("\(path):1:") == true, "\(lines.err)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == before)
        lines.out = []
        #expect(run.list() == 0)
        #expect(lines.out == [
            "NAME   EVERY  TAGS   FEED",
            "lwn    30m    linux  https://lwn.net/headlines/rss",
            "verge  -      -      https://www.theverge.com/rss/index.xml",
        ])
    }

    @Test("bad values are usage errors (64) before anything is written; a malformed file is 78 with FILE:LINE")
    func refusals() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/feeds"
        let lines = Lines()
        let run = runner(path, lines)
        #expect(run.add(location: "gopher://x/", name: nil, every: nil, tags: []) == 64)
        #expect(run.add(location: "https://x.example/", name: "two words", every: nil, tags: []) == 64)
        #expect(run.add(location: "https://x.example/", name: nil, every: .milliseconds(500), tags: []) == 64)
        #expect(run.add(location: "https://x.example/", name: nil, every: nil, tags: ["a b"]) == 64)
        #expect(!FileManager.default.fileExists(atPath: path))
        try "https://ok.example/\nhttps://x.example/ every=soon\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(run.list() == 78)
        #expect(lines.err.last?.hasPrefix("\(path):2:") == true, "\(lines.err)")
        #expect(run.export(now: Timestamp(milliseconds: 0)) == 78)
        #expect(runner(nil, lines).list() == 78)
    }

    @Test("export then import into another file gives the same subscriptions; importing again adds nothing; a missing or non-OPML file is 66 or 65")
    func roundTrip() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = Lines()
        let first = runner(dir + "/feeds", lines)
        #expect(first.add(location: "https://lwn.net/headlines/rss", name: "lwn", every: .seconds(600), tags: ["linux", "news"]) == 0)
        #expect(first.add(location: dir + "/local.xml", name: "local", every: nil, tags: []) == 0)
        lines.out = []
        #expect(first.export(now: Timestamp(milliseconds: 1_767_258_000_000)) == 0)
        let opml = lines.out.joined(separator: "\n")
        #expect(opml.contains("<opml version=\"2.0\"") && opml.contains("xmlUrl=\"https://lwn.net/headlines/rss\""), "\(opml)")
        try (opml + "\n").write(toFile: dir + "/out.opml", atomically: true, encoding: .utf8)
        let second = runner(dir + "/other", lines)
        #expect(second.importOPML(dir + "/out.opml") == 0)
        #expect(lines.err.last?.hasPrefix("imported 2 feeds into") == true, "\(lines.err)")
        let a = try #require(try SubscriptionsFile.load(path: dir + "/feeds", home: nil))
        let b = try #require(try SubscriptionsFile.load(path: dir + "/other", home: nil))
        #expect(a.subscriptions == b.subscriptions)
        #expect(second.importOPML(dir + "/out.opml") == 0)
        #expect(lines.err.last?.contains("2 feeds were there already") == true, "\(lines.err)")
        #expect(second.importOPML(dir + "/missing.opml") == 66)
        try "<rss version=\"2.0\"><channel/></rss>".write(toFile: dir + "/feed.xml", atomically: true, encoding: .utf8)
        #expect(second.importOPML(dir + "/feed.xml") == 65)
        #expect(lines.err.last?.contains("not an OPML file") == true, "\(lines.err)")
    }
}
