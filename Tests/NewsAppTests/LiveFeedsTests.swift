import Foundation
import Testing
import NewsCore
@testable import NewsApp

@Suite("LiveFeeds: --feed arguments")
struct LiveFeedsTests {
    @Test("PATH is named after the file, NAME=PATH names it, - is stdin; names are made unique in order")
    func specs() {
        let specs = LiveFeeds.specs(["feeds/hn.xml", "news=/tmp/a=b.xml", "-", "/x/y/hn.rss", "dir/x=1/f.xml", "tech=t.xml"], taken: ["tech"])
        #expect(specs == [
            FeedSpec(name: "hn", path: "feeds/hn.xml"),
            FeedSpec(name: "news", path: "/tmp/a=b.xml"),
            FeedSpec(name: "stdin", path: "-"),
            FeedSpec(name: "hn-2", path: "/x/y/hn.rss"),
            FeedSpec(name: "f", path: "dir/x=1/f.xml"),
            FeedSpec(name: "tech-2", path: "t.xml"),
        ])
    }

    @Test("Two - are refused, a missing file is named, stdin is never missing")
    func problems() {
        #expect(LiveFeeds.usageProblem(LiveFeeds.specs(["-", "-"])) != nil)
        #expect(LiveFeeds.usageProblem(LiveFeeds.specs(["-", "a.xml"])) == nil)
        #expect(LiveFeeds.missingFile(LiveFeeds.specs(["-", "/nonexistent/a.xml"]))?.contains("/nonexistent/a.xml: no such file") == true)
        #expect(LiveFeeds.missingFile(LiveFeeds.specs(["-", "/"])) == nil)
        // A FIFO is refused at once (reading it would wait for a writer): pipe into --feed - instead.
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("livefeeds-\(UUID().uuidString)").path
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        #expect(LiveFeeds.missingFile(LiveFeeds.specs(["a=" + fifo]))?.contains("a FIFO") == true)
        #expect(LiveFeeds.missingFile(LiveFeeds.specs(["/dev/null"]))?.contains("a device") == true)
    }

    @Test("The sources keep the order given, stdin as a live line source")
    func sources() {
        let sources = LiveFeeds.sources(LiveFeeds.specs(["a=/tmp/a.xml", "-"]), now: { Timestamp(milliseconds: 0) })
        #expect(sources.map(\.name) == ["a", "stdin"])
        #expect(sources.allSatisfy { $0.timing == .live })
        #expect(sources[1] is LineSource)
    }

    @Test("A file given without a name is named by its feed's title, made short and unique; NAME= and stdin keep theirs")
    func titledNames() {
        let titles = ["a.xml": "The Daily Kernel & Gazette", "b.xml": "Daily Kernel", "c.xml": "Tech"]
        let specs = LiveFeeds.specs(["a.xml", "b.xml", "mine=a.xml", "-", "c.xml", "none.xml"], taken: ["tech"], title: { titles[$0] })
        #expect(specs.map(\.name) == ["daily-kernel", "daily-kernel-2", "mine", "stdin", "tech-2", "none"])
        #expect(specs.map(\.path) == ["a.xml", "b.xml", "a.xml", "-", "c.xml", "none.xml"])
    }
}
