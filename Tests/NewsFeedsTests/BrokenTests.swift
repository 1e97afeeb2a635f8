import Foundation
import NewsCore
import Testing
@testable import NewsFeeds

@Suite("Broken documents")
struct BrokenTests {
    static let five: String = {
        var s = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<title>Five</title>\n"
        for i in 1...5 { s += "<item>\n<title>Item \(i)</title>\n<guid>g\(i)</guid>\n</item>\n" }
        return s + "</channel>\n</rss>\n"
    }()

    @Test("an unclosed tag mid-way keeps the items before it and says where it broke")
    func unclosedTag() throws {
        let text = Self.five.replacingOccurrences(of: "<title>Item 3</title>", with: "<title>Item 3")
        let doc = try parse(text)
        #expect(doc.items.map(\.id) == ["g1", "g2"])
        let broken = try #require(doc.brokenAt)
        #expect(broken.line == 16)  // the line of Item 3's </item>, where the mismatch shows
        #expect(broken.message.contains("mismatch") || broken.message.contains("Opening and ending tag"))
    }

    @Test("cut at any point, every item completed before the cut is kept", arguments: [40, 70, 95, 120, 150, 200, 230])
    func truncated(_ cut: Int) throws {
        let bytes = Array(Self.five.utf8.prefix(cut))
        let doc = try FeedParser.parse(bytes: bytes, readTime: readTime)
        let completed = String(decoding: bytes, as: UTF8.self).components(separatedBy: "</item>").count - 1
        #expect(doc.items.count == completed)
        #expect(doc.items.map(\.id) == (0..<completed).map { "g\($0 + 1)" })
        #expect(doc.brokenAt != nil)
    }

    @Test("junk after the root keeps every item")
    func junkAfterRoot() throws {
        let doc = try parse(Self.five + "<junk>")
        #expect(doc.items.count == 5)
        #expect(doc.brokenAt != nil)
    }

    @Test("a broken attribute and a stray < mid-way")
    func badMarkup() throws {
        let doc = try parse(Self.five.replacingOccurrences(of: "<title>Item 4</title>", with: "<title a=\">Item 4</title>"))
        #expect(doc.items.count == 3)
        // A `<` that starts no tag is text; one that looks like a tag breaks the document there.
        let doc2 = try parse(Self.five.replacingOccurrences(of: "Item 2", with: "1 < 2 <= 3 <4"))
        #expect(doc2.items.count == 5)
        #expect(doc2.items[1].title == "1 < 2 <= 3 <4")
        #expect(doc2.brokenAt == nil)
        let doc3 = try parse(Self.five.replacingOccurrences(of: "Item 2", with: "a <b c"))
        #expect(doc3.items.count == 1)
        #expect(doc3.brokenAt?.line == 10)
    }

    @Test("blank lines before the XML declaration are skipped; line numbers still count them")
    func leadingSpace() throws {
        let doc = try parse("\n\n  " + Self.five.replacingOccurrences(of: "<title>Item 2</title>", with: "<title>Item 2</titel>"))
        #expect(doc.items.count == 1)
        #expect(doc.brokenAt?.line == 12)
    }

    @Test("a field with a bad date drops the date, not the item")
    func badField() throws {
        let doc = try parse(rss(item: "<title>Kept</title><pubDate>Someday</pubDate><dc:date>also bad</dc:date>"))
        #expect(doc.items.map(\.title) == ["Kept"])
        #expect(doc.items[0].published == readTime)
    }

    @Test("an undeclared dc: prefix is still Dublin Core")
    func undeclaredPrefix() throws {
        let doc = try parse(rss(item: "<title>T</title><dc:date>2026-12-01T10:00:00Z</dc:date><dc:creator>Ann</dc:creator>"))
        #expect(doc.items[0].published == iso("2026-12-01T10:00:00Z"))
        #expect(doc.authors[0] == ["Ann"])
    }

    @Test("an item with nothing to show is skipped with a problem")
    func emptyItem() throws {
        let doc = try parse(rss(item: "<category>x</category>"))
        #expect(doc.items.isEmpty)
        #expect(doc.problems.contains { $0.message.contains("no title, summary or link") })
    }
}

@Suite("Safety")
struct SafetyTests {
    @Test("a billion laughs is an error for that feed, in bounded time")
    func billionLaughs() throws {
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n"
        text += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        for i in 2...9 { text += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">\n" }
        text += "]>\n<rss version=\"2.0\"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>"
        #expect(throws: FeedError.self) { try parse(text) }
        do {
            _ = try parse(text)
        } catch {
            guard case .entityExpansion = error else { Issue.record("wrong error \(error)"); return }
        }
    }

    @Test("a quadratic blow-up (one large entity used many times) stops at the expansion limit")
    func quadratic() throws {
        let big = String(repeating: "x", count: 50_000)
        let text = "<!DOCTYPE rss [<!ENTITY big \"\(big)\">]><rss version=\"2.0\"><channel><title>q</title><item><title>"
            + String(repeating: "&big;", count: 2_000) + "</title></item></channel></rss>"
        do {
            _ = try parse(text)
            Issue.record("no error")
        } catch {
            guard case .entityExpansion = error else { Issue.record("wrong error \(error)"); return }
        }
    }

    @Test("an entity declared in the document's own subset is expanded")
    func internalEntity() throws {
        let text = "<!DOCTYPE rss [<!ENTITY co \"Copperline &amp; Co\">]><rss version=\"2.0\"><channel><title>&co;</title><item><title>News from &co;</title></item></channel></rss>"
        let doc = try parse(text)
        #expect(doc.title == "Copperline & Co")
        #expect(doc.items[0].title == "News from Copperline & Co")
    }

    @Test("external entities and DTDs are never read")
    func external() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newsfeeds-xxe-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let secret = dir.appendingPathComponent("secret.txt")
        try "TOPSECRET".write(to: secret, atomically: true, encoding: .utf8)
        let dtd = dir.appendingPathComponent("evil.dtd")
        try "<!ENTITY stolen SYSTEM \"\(secret.absoluteString)\"><!ENTITY named \"FROMDTD\">".write(to: dtd, atomically: true, encoding: .utf8)
        let general = "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"\(secret.absoluteString)\">]><rss version=\"2.0\"><channel><title>x</title><item><title>a &xxe; b</title></item></channel></rss>"
        let parameter = "<!DOCTYPE rss [<!ENTITY % ext SYSTEM \"\(dtd.absoluteString)\"> %ext;]><rss version=\"2.0\"><channel><title>x</title><item><title>a &stolen; &named; b</title></item></channel></rss>"
        let system = "<!DOCTYPE rss SYSTEM \"\(dtd.absoluteString)\"><rss version=\"2.0\"><channel><title>x</title><item><title>a &named; b</title></item></channel></rss>"
        // The general entity and the external DTD are left out, the rest of the feed read.
        #expect(try parse(general).items.map(\.title) == ["a b"])
        #expect(try parse(system).items.map(\.title) == ["a &named; b"])
        // An external parameter entity in the subset is not found: the document breaks there.
        #expect(try parse(parameter).brokenAt?.message.contains("%ext;") == true)
        for text in [general, parameter, system] {
            let doc: FeedDocument
            do { doc = try parse(text) } catch { continue }  // refusing it is fine too
            for item in doc.items {
                #expect(!item.title.contains("TOPSECRET"))
                #expect(!item.title.contains("FROMDTD"))
            }
        }
    }

    @Test("nesting deeper than the limit is an error")
    func deep() throws {
        let nested = String(repeating: "<d>", count: 150) + String(repeating: "</d>", count: 150)
        #expect(throws: FeedError.tooDeep(limit: 100, line: 1)) { try parse(rss(item: "<title>t</title>" + nested)) }
        var limits = FeedLimits()
        limits.maxDepth = 200
        #expect(try parse(rss(item: "<title>t</title>" + nested), limits: limits).items.count == 1)
        let json = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"a\",\"x\":" + String(repeating: "[", count: 150)
            + String(repeating: "]", count: 150) + "}]}"
        #expect(throws: FeedError.self) { try parse(json) }
    }

    @Test("a feed larger than the limit is an error that says both sizes")
    func tooLarge() throws {
        var limits = FeedLimits()
        limits.maxBytes = 1 << 20
        let text = rss(item: "<title>" + String(repeating: "x", count: 3 << 19) + "</title>")
        #expect(throws: FeedError.tooLarge(bytes: text.utf8.count, limit: 1 << 20)) { try parse(text, limits: limits) }
        #expect(FeedError.tooLarge(bytes: 3 << 19, limit: 1 << 20).description == "the feed is 1.5 MiB, more than the limit of 1 MiB")
        #expect(FeedLimits().maxBytes == 32 << 20)
    }
}

@Suite("Sniffing")
struct SnifferTests {
    func kind(_ text: String) -> SniffedKind { FeedSniffer.sniff(Array(text.utf8)) }

    @Test("feeds, recognised from the content")
    func feeds() throws {
        #expect(kind("\u{FEFF}  \n<?xml version=\"1.0\"?><!-- c --><?xml-stylesheet href=\"s\"?><rss version=\"2.0\">") == .feed(.rss, version: "2.0"))
        #expect(kind("<!DOCTYPE rss [<!ENTITY a \"]>\">]><rss version=\"0.94\">") == .feed(.rss, version: "0.94"))
        #expect(kind("<rdf:RDF xmlns:rdf=\"x\" xmlns=\"http://purl.org/rss/1.0/\">") == .feed(.rdf, version: "1.0"))
        #expect(kind("<rdf:RDF xmlns=\"http://my.netscape.com/rdf/simple/0.9/\">") == .feed(.rdf, version: "0.90"))
        #expect(kind("<feed xmlns=\"http://www.w3.org/2005/Atom\">") == .feed(.atom, version: "1.0"))
        #expect(kind("<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">") == .feed(.atom, version: "0.3"))
        #expect(kind("{\"version\": \"https://jsonfeed.org/version/1\", \"items\": []}") == .feed(.jsonFeed, version: "1.0"))
        #expect(kind(" {\"items\": [], \"version\": \"https://jsonfeed.org/version/1.1\"}") == .feed(.jsonFeed, version: "1.1"))
        // Slashes escaped, as PHP's json_encode and Foundation's JSONSerialization write them.
        #expect(kind("{\"version\":\"https:\\/\\/jsonfeed.org\\/version\\/1.1\",\"items\":[]}") == .feed(.jsonFeed, version: "1.1"))
        #expect(kind("{\"version\":\"https:\\/\\/jsonfeed.org\\/version\\/1\"}") == .feed(.jsonFeed, version: "1.0"))
        let units: [UInt8] = "<rss version=\"2.0\">".utf16.flatMap { (u: UInt16) -> [UInt8] in [UInt8(u & 0xFF), UInt8(u >> 8)] }
        let utf16: [UInt8] = [0xFF, 0xFE] + units
        #expect(FeedSniffer.sniff(utf16) == .feed(.rss, version: "2.0"))
    }

    @Test("what is not a feed, and how it is described")
    func notFeeds() throws {
        #expect(kind("<!DOCTYPE html><html><body>") == .html)
        #expect(kind("<!doctype HTML>") == .html)
        #expect(kind("<html lang=\"en\">") == .html)
        #expect(kind("<?xml version=\"1.0\"?><note><to>x</to></note>") == .otherXML(root: "note"))
        #expect(kind("{\"a\": 1}") == .json)
        #expect(kind("{\"id\": 1}\n{\"id\": 2}\n") == .jsonLines)
        #expect(kind("id,title\n1,x\n") == .csv)
        #expect(kind("  \n") == .empty)
        #expect(kind("hello") == .unknown)
        #expect(SniffedKind.html.description == "an HTML page, not a feed")
        #expect(throws: FeedError.notAFeed("an HTML page, not a feed")) {
            try FeedParser.parse(bytes: try fixture("html-page.html"), readTime: readTime)
        }
    }
}

@Suite("The large feed generator")
struct GeneratorTests {
    @Test("deterministic, about 16 MB for 30,000 items, and every item parses")
    func generator() throws {
        let small = LargeFeedGenerator.rss(items: 2_000, seed: 7)
        #expect(small == LargeFeedGenerator.rss(items: 2_000, seed: 7))
        #expect(small != LargeFeedGenerator.rss(items: 2_000, seed: 8))
        // 30,000 items of about 540 bytes: 15-17 MB.
        #expect((1_000_000...1_200_000).contains(small.count))
        let doc = try FeedParser.parse(bytes: small, baseURL: "https://news.example.com/feed.xml", readTime: readTime)
        #expect(doc.items.count == 2_000)
        #expect(doc.brokenAt == nil)
        #expect(doc.problems.isEmpty)
        #expect(doc.notes.isEmpty)
        #expect(Set(doc.items.map(\.id)).count == 2_000)
        #expect(doc.items.allSatisfy { $0.url?.hasPrefix("https://news.example.com/") == true })
        #expect(doc.items.contains { $0.title.contains("“live” updates") })
        #expect(doc.items.contains { $0.title.contains("& partners") })
        #expect(doc.items.contains { $0.summary?.hasSuffix("More »") == true })
        #expect(zip(doc.items, doc.items.dropFirst()).allSatisfy { $0.published > $1.published })
    }
}

@Suite("Feed files")
struct FeedFileTests {
    @Test("a file is read whole; one over the limit is refused before it is read; a missing one is unreadable")
    func files() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newsfeeds-file-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("feed.xml").path
        let bytes = try fixture("rss2-full.xml")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        #expect(try FeedFile.read(path: path) == bytes)
        var limits = FeedLimits()
        limits.maxBytes = 100
        #expect(throws: FeedError.tooLarge(bytes: bytes.count, limit: 100)) { try FeedFile.read(path: path, limits: limits) }
        #expect(throws: FeedError.self) { try FeedFile.read(path: dir.appendingPathComponent("missing.xml").path) }
        #expect(throws: FeedError.unreadable("\(dir.path) is a directory")) { try FeedFile.read(path: dir.path) }
        let empty = dir.appendingPathComponent("empty.xml").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(try FeedFile.read(path: empty) == [])
    }
}

@Suite("Problems")
struct ProblemTests {
    @Test("errors that do not stop the parse are kept, at most 100")
    func bounded() throws {
        let undeclared = String(repeating: "<x:y>z</x:y>", count: 300)
        let doc = try parse(rss(item: "<title>kept</title>" + undeclared))
        #expect(doc.items.map(\.title) == ["kept"])
        #expect(doc.brokenAt == nil)
        #expect(doc.problems.count == 100)
        #expect(doc.problems[0].line == 1 && doc.problems[0].message.contains("Namespace prefix x"))
    }
}
