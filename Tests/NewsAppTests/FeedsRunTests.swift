import Foundation
import NewsCore
import NewsFeeds
import NewsFetch
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
            "NAME   EVERY  TAGS   STATUS       LAST FETCH  NEXT  ITEMS  LAST ERROR  FEED",
            "lwn    30m    linux  not fetched  -           -     -      -           https://lwn.net/headlines/rss",
            "verge  -      -      not fetched  -           -     -      -           https://www.theverge.com/rss/index.xml",
        ])
    }

    @Test("list shows each URL's health from the live runs' state file: status, last fetch, next due, items, last error; a broken state file is as none")
    func listWithHealth() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/feeds", statePath = dir + "/state/newsdesk/feeds-state.json"
        try "https://a.example/rss a\nhttps://b.example/rss b\nhttps://c.example/rss c\nhttps://d.example/rss d\n/tmp/x.xml x\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let t = Timestamp(milliseconds: 1_800_000_000_000)
        let recorder = FeedStateFile(path: statePath, urls: ["a": "https://a.example/rss", "b": "https://b.example/rss", "c": "https://c.example/rss"])
        recorder.record("a", .fetched(newItems: 3, items: 40, validators: Validators(etag: "e"), nextPoll: t.adding(milliseconds: 900_000)), at: t)
        recorder.record("b", .failed(reason: "HTTP 500", nextPoll: t.adding(milliseconds: 4000)), at: t.adding(milliseconds: -120_000))
        recorder.record("c", .fetched(newItems: 1, items: 5, validators: Validators(), nextPoll: t), at: t.adding(milliseconds: -60_000))
        recorder.record("c", .rateLimited(status: 429, until: t.adding(milliseconds: 3_600_000)), at: t.adding(milliseconds: -1000))
        recorder.record("unknown", .failed(reason: "not ours", nextPoll: t), at: t)
        recorder.finish()
        let lines = Lines()
        var run = runner(path, lines)
        run.statePath = statePath
        #expect(run.list(now: t.adding(milliseconds: 1000)) == 0)
        #expect(lines.out == [
            "NAME  EVERY  TAGS  STATUS        LAST FETCH  NEXT    ITEMS  LAST ERROR  FEED",
            "a     -      -     ok            1s ago      in 14m  40     -           https://a.example/rss",
            "b     -      -     failed        2m ago      in 3s   -      HTTP 500    https://b.example/rss",
            "c     -      -     rate-limited  2s ago      in 59m  5      HTTP 429    https://c.example/rss",
            "d     -      -     not fetched   -           -       -      -           https://d.example/rss",
            "x     -      -     -             -           -       -      -           /tmp/x.xml",
        ], "\(lines.out.joined(separator: "\n"))")
        // Written whole under another name, then renamed: no temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/state/newsdesk") == ["feeds-state.json"])
        try "{ not json".write(toFile: statePath, atomically: true, encoding: .utf8)
        lines.out = []
        #expect(run.list(now: t) == 0)
        #expect(lines.out.dropFirst().allSatisfy { $0.contains("not fetched") || $0.hasPrefix("x ") }, "\(lines.out)")
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
