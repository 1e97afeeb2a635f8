import NewsCore
import Testing
@testable import NewsFeeds

@Suite("Feed formats")
struct FormatTests {
    @Test("RSS 2.0 with every field")
    func rss2Full() throws {
        let doc = try parseFixture("rss2-full.xml")
        #expect(doc.format == .rss)
        #expect(doc.version == "2.0")
        #expect(doc.title == "Kernel & Post")
        #expect(doc.link == "https://kernel.example.com/news/")
        #expect(doc.items.count == 3)
        #expect(doc.brokenAt == nil)
        let first = doc.items[0]
        #expect(first.id == "kernel-1001")
        #expect(first.title == "Zürich votes & counts")
        #expect(first.url == "https://kernel.example.com/news/zurich-vote")
        #expect(first.summary == "The city voted on Sunday. Turnout was high.")
        #expect(first.published == iso("2026-12-01T10:00:00Z"))
        #expect(first.outlet == "Kernel & Post")
        #expect(first.source == "kernel-post")
        #expect(doc.authors[0] == ["desk@kernel.example.com (News Desk)", "Łucja Nowicka"])
        // A relative link, resolved against the channel's link; the id derived from it.
        let second = doc.items[1]
        #expect(second.title == "Rate cut — what it means")
        #expect(second.url == "https://kernel.example.com/news/markets/rate-cut")
        #expect(second.id == "https://kernel.example.com/news/markets/rate-cut")
        #expect(second.published == iso("2026-12-01T08:30:00Z"))
        #expect(second.summary == nil)
        // No title: the summary's first words; a permalink guid is the link; a bad date.
        let third = doc.items[2]
        #expect(third.title == "An item with no title but a long enough summary to take…")
        #expect(third.url == "https://kernel.example.com/news/untitled")
        #expect(third.published == readTime)
        #expect(doc.notes(forItem: 2).map(\.kind) == [.titleDerived, .dateIsReadTime])
        #expect(doc.notes(forItem: 2)[1].message.contains("\"not a date\""))
        #expect(doc.notes(forItem: 0).isEmpty)
    }

    @Test("RSS 2.0, minimal: the id comes from the title, the date is the read time")
    func rss2Minimal() throws {
        let doc = try parseFixture("rss2-minimal.xml")
        #expect(doc.items.map(\.title) == ["Only a title"])
        #expect(doc.items[0].id == "title:Only a title")
        #expect(doc.items[0].url == nil)
        #expect(doc.items[0].published == readTime)
        #expect(doc.notes.map(\.kind) == [.dateIsReadTime])
    }

    @Test("RSS 0.91 with Netscape's doctype and HTML entities it never loads")
    func rss091() throws {
        let doc = try parseFixture("rss091.xml")
        #expect(doc.version == "0.91")
        #expect(doc.title == "Café News")
        #expect(doc.encoding == "windows-1252")
        #expect(doc.items.count == 1)
        #expect(doc.items[0].title == "Menu du jour — soupe")
        #expect(doc.items[0].summary == "Soupe & pain")
        #expect(doc.items[0].id == "http://cafe.example.com/menu")
    }

    @Test("RSS 0.92: an item with only a description")
    func rss092() throws {
        let doc = try parseFixture("rss092.xml")
        #expect(doc.version == "0.92")
        #expect(doc.items.map(\.title) == ["Tonight's show is about jazz in Lagos", "A titled show"])
        #expect(doc.items[0].id == "title:Tonight's show is about jazz in Lagos")
        #expect(doc.source(0) == "radio-ninety")
    }

    @Test("RSS 1.0 (RDF) with every field: rdf:about is the id, the image's title is not the feed's")
    func rdfFull() throws {
        let doc = try parseFixture("rdf10-full.xml")
        #expect(doc.format == .rdf)
        #expect(doc.version == "1.0")
        #expect(doc.title == "RDF Times")
        #expect(doc.link == "https://rdf.example.org/")
        #expect(doc.items.map(\.id) == ["https://rdf.example.org/1", "https://rdf.example.org/2"])
        #expect(doc.items.map(\.title) == ["First & foremost", "Second"])
        #expect(doc.items[0].summary == "One.")
        #expect(doc.items[0].published == iso("2026-12-01T10:00:00Z"))
        #expect(doc.items[1].published == iso("2026-12-01T00:00:00Z"))
        #expect(doc.authors == [["Ada"], []])
    }

    @Test("RSS 1.0, minimal")
    func rdfMinimal() throws {
        let doc = try parseFixture("rdf10-minimal.xml")
        #expect(doc.items.map(\.title) == ["A"])
        #expect(doc.items[0].id == "https://m.example.org/a")
    }

    @Test("RSS 0.90")
    func rss090() throws {
        let doc = try parseFixture("rss090.xml")
        #expect(doc.format == .rdf)
        #expect(doc.version == "0.90")
        #expect(doc.title == "Mozilla Dot Org")
        #expect(doc.items.map(\.url) == ["http://www.mozilla.org/status/", "http://www.mozilla.org/bugs/"])
    }

    @Test("Atom 1.0 with every field: text types, xml:base, several links and authors, a source")
    func atomFull() throws {
        let doc = try parseFixture("atom10-full.xml")
        #expect(doc.format == .atom)
        #expect(doc.version == "1.0")
        #expect(doc.title == "Atom Weekly")
        #expect(doc.link == "https://atom.example.net/blog/")
        #expect(doc.items.count == 3)
        let one = doc.items[0]
        #expect(one.id == "tag:atom.example.net,2026:1")
        #expect(one.title == "Plain <text> title")
        #expect(one.url == "https://atom.example.net/blog/posts/one?a=1&b=2")
        #expect(one.published == iso("2026-12-01T08:00:00Z"))
        #expect(one.summary == "Summary & more")
        #expect(doc.authors[0] == ["Inès Dubois", "Kenji"])
        let two = doc.items[1]
        #expect(two.title == "An xhtml title")
        #expect(two.url == "https://other.example.org/y/two")
        #expect(two.published == iso("2026-12-01T09:00:00Z"))
        #expect(two.summary == "Body only")
        let three = doc.items[2]
        #expect(three.title == "https://atom.example.net/three")
        #expect(doc.notes(forItem: 2).map(\.kind) == [.titleDerived])
        #expect(doc.items.allSatisfy { $0.outlet == "Atom Weekly" && $0.source == "atom-weekly" })
    }

    @Test("Atom 1.0, minimal")
    func atomMinimal() throws {
        let doc = try parseFixture("atom10-minimal.xml")
        #expect(doc.items.map(\.id) == ["e1"])
        #expect(doc.items[0].published == iso("2026-12-01T00:00:00Z"))
        #expect(doc.notes.isEmpty)
    }

    @Test("Atom 0.3: escaped mode, issued before modified")
    func atom03() throws {
        let doc = try parseFixture("atom03.xml")
        #expect(doc.version == "0.3")
        #expect(doc.title == "Old <Atom>")
        #expect(doc.link == "http://old.example.com/")
        #expect(doc.items.count == 1)
        #expect(doc.items[0].published == iso("2005-07-31T10:29:29Z"))
        #expect(doc.items[0].summary == "Bold claim")
        #expect(doc.items[0].url == "http://old.example.com/2005/07/31/1")
    }

    @Test("JSON Feed 1.0: one author object, a numeric id, a relative url")
    func jsonFeed10() throws {
        let doc = try parseFixture("jsonfeed10.json")
        #expect(doc.format == .jsonFeed)
        #expect(doc.version == "1.0")
        #expect(doc.title == "JSON Daily")
        #expect(doc.items.map(\.id) == ["1", "2"])
        #expect(doc.items[0].summary == "Hello world")
        #expect(doc.items[0].published == iso("2026-12-01T10:00:00Z"))
        #expect(doc.items[1].url == "https://json.example.com/2")
        #expect(doc.items[1].title == "No title here, just text that goes on for a while and…")
        #expect(doc.items[1].published == iso("2026-12-01T16:00:00Z"))
        #expect(doc.authors == [["Ada Lovelace"], []])
    }

    @Test("JSON Feed with its slashes escaped (json_encode's default): read as any other")
    func jsonFeedEscapedSlashes() throws {
        let text = #"{"version":"https:\/\/jsonfeed.org\/version\/1.1","title":"Escaped","items":[{"id":"1","url":"https:\/\/x.example\/a","title":"One","date_published":"2026-12-01T10:00:00Z"}]}"#
        let doc = try FeedParser.parse(bytes: Array(text.utf8), readTime: readTime)
        #expect(doc.format == .jsonFeed && doc.version == "1.1" && doc.title == "Escaped")
        #expect(doc.items.map(\.url) == ["https://x.example/a"])
    }

    @Test("JSON Feed 1.1: an authors array (and 1.0's author still read)")
    func jsonFeed11() throws {
        let doc = try parseFixture("jsonfeed11.json")
        #expect(doc.version == "1.1")
        #expect(doc.authors == [["Grace Hopper", "Alan Turing"], ["Old Style"]])
        #expect(doc.items[0].summary == "Short")
        #expect(doc.items[0].published == iso("2026-12-01T09:00:00Z"))
        #expect(doc.items[1].published == readTime)
        #expect(doc.notes(forItem: 1).map(\.kind) == [.dateIsReadTime])
    }

    @Test("JSON Feed whose title and home page come after its items")
    func jsonTitleLast() throws {
        let text = #"{"items":[{"url":"posts/1","title":"One"},{"id":"2","url":"https://abs.example.com/2","title":"Two"}],"#
            + #""version":"https://jsonfeed.org/version/1.1","title":"Late Title","home_page_url":"https://late.example.com/blog/"}"#
        let doc = try parse(text)
        #expect(doc.items.map(\.url) == ["https://late.example.com/blog/posts/1", "https://abs.example.com/2"])
        #expect(doc.items.map(\.id) == ["https://late.example.com/blog/posts/1", "2"])
        #expect(doc.items.allSatisfy { $0.outlet == "Late Title" && $0.source == "late-title" })
        #expect(doc.link == "https://late.example.com/blog/")
    }

    @Test("JSON Feed, minimal")
    func jsonMinimal() throws {
        let doc = try parseFixture("jsonfeed-minimal.json")
        #expect(doc.items.map(\.title) == ["hi"])
        #expect(doc.items[0].id == "x")
    }

    @Test("a JSON Feed that breaks keeps the items before the break")
    func jsonBroken() throws {
        let text = #"{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"a","title":"A"},{"id":"b","title":"B"},{"id":"c","tit"#
        let doc = try parse(text)
        #expect(doc.items.map(\.id) == ["a", "b"])
        #expect(doc.brokenAt?.line == 1)
    }

    @Test("the source is the name given, else a short name from the feed's title")
    func sourceName() throws {
        #expect(try parse(rss(item: "<title>x</title>"), name: "mine").items[0].source == "mine")
        #expect(shortSourceName(fromTitle: "The Daily Kernel & Gazette") == "daily-kernel")
        #expect(shortSourceName(fromTitle: "BBC News - World") == "bbc-news")
        #expect(shortSourceName(fromTitle: "") == "feed")
    }
}

extension FeedDocument {
    func source(_ i: Int) -> String { items[i].source }
}

@Suite("Streaming")
struct StreamingTests {
    @Test("streamed items are the document's items, with their authors and notes", arguments: [
        "rss2-full.xml", "rss091.xml", "rss092.xml", "rdf10-full.xml", "rss090.xml", "atom10-full.xml", "atom03.xml",
        "jsonfeed10.json", "jsonfeed11.json",
    ])
    func same(_ name: String) throws {
        let bytes = try fixture(name)
        let whole = try FeedParser.parse(bytes: bytes, baseURL: "file:///feeds/\(name)", readTime: readTime)
        var streamed: [FeedItem] = []
        let rest = try bytes.withUnsafeBufferPointer { b in
            try FeedParser.parse(bytes: b, baseURL: "file:///feeds/\(name)", readTime: readTime) { streamed.append($0) }
        }
        #expect(!whole.items.isEmpty)
        #expect(streamed.map(\.headline) == whole.items)
        #expect(streamed.map(\.authors) == whole.authors)
        #expect(streamed.flatMap(\.notes) == whole.notes)
        #expect(rest.items.isEmpty && rest.notes.isEmpty)
        #expect(rest.title == whole.title)
    }
}

@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("feeds parse at the same time on several threads, each to its own result")
    func parallel() async throws {
        let names = ["rss2-full.xml", "rdf10-full.xml", "atom10-full.xml", "jsonfeed11.json", "rss091.xml", "atom03.xml"]
        let inputs = try names.map { try fixture($0) }
        let expected = try inputs.map { try FeedParser.parse(bytes: $0, readTime: readTime).items }
        try await withThrowingTaskGroup(of: (Int, [Headline]).self) { group in
            for _ in 0..<8 {
                for (i, bytes) in inputs.enumerated() {
                    group.addTask { (i, try FeedParser.parse(bytes: bytes, readTime: readTime).items) }
                }
            }
            for try await (i, items) in group { #expect(items == expected[i], "\(names[i])") }
        }
    }
}
