import Foundation
import NewsCore
@testable import NewsFeeds
import PropertyBased
import Testing

func opmlFixture(_ name: String) throws -> OPMLDocument {
    try OPML.parse(try fixture("opml/" + name), path: "/in/" + name)
}

func parseOPML(_ text: String) throws(SubscriptionError) -> OPMLDocument {
    try OPML.parse(Array(text.utf8), path: "/in/x.opml")
}

func opmlError(_ text: String) -> SubscriptionError? {
    do { _ = try parseOPML(text); return nil } catch { return error }
}

func url(_ u: String, _ name: String?, tags: [String] = [], every: Duration? = nil) -> Subscription {
    Subscription(location: .url(u), name: name, every: every, tags: tags)
}

@Suite("OPML")
struct OPMLTests {
    // MARK: Files other readers write

    @Test("Feedly: folders become tags, a feed in two folders is one feed with both")
    func feedly() throws {
        let doc = try opmlFixture("feedly.opml")
        #expect(doc.title == "Ada subscriptions in feedly Cloud")
        #expect(doc.subscriptions == [
            url("https://www.theverge.com/rss/index.xml", "the-verge-all-posts", tags: ["Tech", "News"]),
            url("https://feeds.arstechnica.com/arstechnica/index", "ars-technica", tags: ["Tech"]),
            url("https://feeds.bbci.co.uk/news/rss.xml", "bbc-news-home", tags: ["News"]),
        ])
        #expect(doc.notes.count == 1 && doc.notes[0].hasPrefix("/in/feedly.opml:14: "))
    }

    @Test("Inoreader")
    func inoreader() throws {
        let doc = try opmlFixture("inoreader.xml")
        #expect(doc.subscriptions == [
            url("https://lwn.net/headlines/rss", "LWN.net", tags: ["Linux"]),
            url("https://www.phoronix.com/rss.php", "Phoronix", tags: ["Linux"]),
            url("https://news.ycombinator.com/rss", "hacker-news"),
        ])
        #expect(doc.notes.isEmpty)
    }

    @Test("NetNewsWire (OPML 1.1, a comment before the root)")
    func netNewsWire() throws {
        let doc = try opmlFixture("netnewswire.opml")
        #expect(doc.title == "Subscriptions-OnMyMac.opml")
        #expect(doc.subscriptions == [
            url("https://daringfireball.net/feeds/main", "daring-fireball"),
            url("https://www.swift.org/atom.xml", "Swift.org", tags: ["Swift"]),
            url("https://www.swiftbysundell.com/rss", "swift-by-sundell", tags: ["Swift"]),
            url("https://www.jsonfeed.org/feed.json", "json-feed"),
        ])
    }

    @Test("Thunderbird: its own namespace, nested folders, entities in titles")
    func thunderbird() throws {
        let doc = try opmlFixture("thunderbird.opml")
        #expect(doc.title == "Thunderbird OPML Export - Blogs & News Feeds")
        #expect(doc.subscriptions == [
            url("https://planet.mozilla.org/rss20.xml", "planet-mozilla", tags: ["blogs-news-feeds"]),
            url("https://hacks.mozilla.org/feed/", "mozilla-hacks-the-web-developer-blog", tags: ["blogs-news-feeds", "mozilla-hacks"]),
        ])
    }

    @Test("newsboat: no folders, an empty title, a query string, an exec: feed skipped, category tags")
    func newsboat() throws {
        let doc = try opmlFixture("newsboat.opml")
        #expect(doc.subscriptions == [
            url("https://lwn.net/headlines/rss", "LWN.net"),
            url("https://example.org/search.xml?q=swift&sort=new", nil),
            url("https://www.reddit.com/r/swift/.rss", "Swift", tags: ["programming", "reddit"]),
        ])
        #expect(doc.notes.count == 1)
        #expect(doc.notes[0].hasPrefix("/in/newsboat.opml:9: the feed 'exec:~/bin/weather-feed' is skipped: unknown scheme 'exec:'"))
    }

    @Test("FreshRSS: OPML 2.0 with its namespace; a scraped page is not a feed")
    func freshRSS() throws {
        let doc = try opmlFixture("freshrss.opml.xml")
        #expect(doc.subscriptions == [
            url("https://github.com/FreshRSS/FreshRSS/releases.atom", "freshrss-releases", tags: ["Uncategorized"]),
            url("https://blog.rust-lang.org/feed.xml", "rust-blog", tags: ["Dev"]),
        ])
        #expect(doc.notes.count == 1 && doc.notes[0].contains(":13: ") && doc.notes[0].contains("HTML+XPath"))
    }

    @Test("nested folders and odd bytes: BOM, CRLF, a doctype's entity (not expanded), HTML entities, a bare &, control bytes, emoji")
    func nestedOdd() throws {
        let doc = try opmlFixture("nested-odd.opml")
        #expect(doc.title == "Odd & nested feeds")
        let zurich = ["World", "Europe", "zürich-genève"]
        #expect(doc.subscriptions == [
            url("https://www.nzz.ch/startseite.rss?utm=a&b=c", "nzz-startseite", tags: zurich + ["swiss"]),
            url("https://www.letemps.ch/feed", "le-temps", tags: zurich),
            url("https://www3.nhk.or.jp/rss/news/cat0.xml", "NHK", tags: ["World", "asia"]),
            url("https://spaced.example.org/feed", "spaced-out"),
        ])
        let notes = doc.notes.joined(separator: "\n")
        #expect(notes.contains("/in/nested-odd.opml:22: the feed 'ftp://ftp.example.org/feed.xml' is skipped: unknown scheme 'ftp:'"))
        #expect(notes.contains("/in/nested-odd.opml:23: the feed 'feeds/local.xml' is skipped: not a URL"))
        #expect(notes.contains("/in/nested-odd.opml:24: an rss outline 'No URL' without an xmlUrl is skipped"))
        #expect(notes.contains("/in/nested-odd.opml:25: the feed 'https://&site;/rss' is skipped: the entity '&site;' of the file's doctype is not expanded in attributes"))
        #expect(notes.contains("/in/nested-odd.opml:26: 'HTTPS://WWW.NZZ.CH/startseite.rss?utm=a&b=c#top' is listed again (line 12)"))
        #expect(!notes.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test("ISO-8859-1 as declared")
    func latin1() throws {
        let doc = try opmlFixture("latin1.opml")
        #expect(doc.title == "Flux français")
        #expect(doc.subscriptions == [
            url("https://www.lemonde.fr/rss/une.xml", "le-monde-à-la-une", tags: ["Actualités"]),
            url("https://café.example.fr/flux", "café-déco", tags: ["Actualités"]),
        ])
    }

    // MARK: Broken and hostile files

    @Test("a broken file is FILE:LINE: reason", arguments: [
        ("<opml version=\"2.0\"><body>\n<outline text=\"a\" xmlUrl=\"https://a/\">\n</body></opml>", 3),
        ("<opml><body>\n\n<outline text=\"a\" xmlUrl=\"https://a/\"/>", 3),
        ("<?xml version=\"1.0\"?>\n<opml>\n<body><outline text=\"a\" text=\"b\"/></body></opml>", 3),
    ] as [(String, Int)])
    func broken(text: String, line: Int) throws {
        let error = try #require(opmlError(text))
        #expect(error.kind == .malformed)
        #expect(error.line == line, "\(error)")
        #expect(error.description.hasPrefix("/in/x.opml:\(line): "))
    }

    @Test("not OPML at all")
    func notOPML() throws {
        #expect(opmlError("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>")?.description
            == "/in/x.opml:2: not an OPML file: the root element is '<rss>'")
        #expect(opmlError("")?.kind == .malformed)
        #expect(opmlError("just text")?.kind == .malformed)
    }

    @Test("external entities are never read")
    func externalEntity() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("SECRET", to: root + "/secret.txt")
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE opml [ <!ENTITY ext SYSTEM "file://\(root)/secret.txt"> ]>
            <opml version="2.0"><head><title>a &ext; b</title></head><body>
            <outline text="x" xmlUrl="https://a.example/"/></body></opml>
            """
        let doc = try parseOPML(text)
        #expect(doc.title == "a b")
        #expect(doc.subscriptions == [url("https://a.example/", "x")])
        let inAttribute = """
            <?xml version="1.0"?>
            <!DOCTYPE opml [ <!ENTITY ext SYSTEM "file://\(root)/secret.txt"> ]>
            <opml version="2.0"><body><outline text="&ext;" xmlUrl="https://a.example/"/></body></opml>
            """
        if case .success(let doc) = Result(catching: { try parseOPML(inAttribute) }) {
            #expect(doc.subscriptions.allSatisfy { $0.name?.contains("SECRET") != true })
        }
    }

    @Test("an entity bomb is an error, quickly")
    func billionLaughs() throws {
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE opml [\n<!ENTITY a0 \"lol\">\n"
        for i in 1...12 { text += "<!ENTITY a\(i) \"" + String(repeating: "&a\(i - 1);", count: 10) + "\">\n" }
        text += "]>\n<opml><body><outline text=\"&a12;\" xmlUrl=\"https://a.example/\"/></body></opml>"
        let start = ContinuousClock.now
        let error = opmlError(text)
        #expect(error?.kind == .malformed)
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("very deep nesting is an error, not a crash")
    func deep() {
        let text = "<opml><body>" + String(repeating: "<outline text=\"f\">", count: 100_000) + "</body></opml>"
        #expect(opmlError(text)?.kind == .malformed)
    }

    @Test("names given twice are made unique; a URL as the text gives no name")
    func uniqueNames() throws {
        let doc = try parseOPML("""
            <opml version="2.0"><body>
            <outline text="News" xmlUrl="https://a.example/"/>
            <outline text="News" xmlUrl="https://b.example/"/>
            <outline text="news-2" xmlUrl="https://c.example/"/>
            <outline text="https://d.example/" xmlUrl="https://d.example/"/>
            <outline title="Title only" xmlUrl="https://e.example/"/>
            </body></opml>
            """)
        #expect(doc.subscriptions.map(\.name) == ["News", "News-3", "news-2", nil, "title-only"])
    }

    @Test("newsdesk:every is read; a bad one is a note; category paths are split")
    func everyAndCategory() throws {
        let doc = try parseOPML("""
            <opml version="2.0" xmlns:newsdesk="\(OPML.namespace)"><body>
            <outline text="a" xmlUrl="https://a.example/" newsdesk:every="10m" category="/Boston/Weather, tech"/>
            <outline text="b" xmlUrl="https://b.example/" newsdesk:every="never"/>
            </body></opml>
            """)
        #expect(doc.subscriptions == [
            url("https://a.example/", "a", tags: ["Boston", "Weather", "tech"], every: .seconds(600)),
            url("https://b.example/", "b"),
        ])
        #expect(doc.notes.count == 1 && doc.notes[0].hasPrefix("/in/x.opml:3: every=never"))
    }

    // MARK: Export

    @Test("export: OPML 2.0 with head, dateCreated from the clock, folders and categories")
    func export() throws {
        let subs = [
            url("https://www.theverge.com/rss", "verge", tags: ["tech", "gadgets"]),
            url("https://lwn.net/headlines/rss", "lwn", tags: ["tech"]),
            url("https://a.example/?x=1&y=<2>", nil, every: .seconds(90)),
            Subscription(location: .path("/srv/my feeds/ü.xml"), name: "local"),
        ]
        let now = Timestamp(milliseconds: 1_796_176_800_000)  // 2026-12-02T02:00:00Z, a Wednesday
        let text = OPML.export(subs, title: "Ada's <feeds> & more", now: now)
        #expect(text == """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0" xmlns:newsdesk="\(OPML.namespace)">
              <head>
                <title>Ada's &lt;feeds&gt; &amp; more</title>
                <dateCreated>Wed, 02 Dec 2026 02:00:00 GMT</dateCreated>
                <docs>http://opml.org/spec2.opml</docs>
              </head>
              <body>
                <outline text="tech" title="tech">
                  <outline type="rss" text="verge" title="verge" xmlUrl="https://www.theverge.com/rss" category="tech,gadgets"/>
                  <outline type="rss" text="lwn" title="lwn" xmlUrl="https://lwn.net/headlines/rss" category="tech"/>
                </outline>
                <outline type="rss" text="https://a.example/?x=1&amp;y=&lt;2&gt;" title="https://a.example/?x=1&amp;y=&lt;2&gt;" xmlUrl="https://a.example/?x=1&amp;y=&lt;2&gt;" newsdesk:every="1m30s"/>
                <outline type="rss" text="local" title="local" xmlUrl="file:///srv/my%20feeds/%C3%BC.xml"/>
              </body>
            </opml>

            """)
        let back = try OPML.parse(Array(text.utf8), path: "/out.opml")
        #expect(back.subscriptions == subs)
        #expect(back.title == "Ada's <feeds> & more")
        #expect(back.notes.isEmpty)
    }

    @Test("RFC 822 dates", arguments: [
        (Int64(0), "Thu, 01 Jan 1970 00:00:00 GMT"),
        (-1000, "Wed, 31 Dec 1969 23:59:59 GMT"),
        (951_782_400_000, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_893_456_000_000 - 1, "Mon, 31 Dec 2029 23:59:59 GMT"),
    ] as [(Int64, String)])
    func rfc822(ms: Int64, text: String) {
        #expect(OPML.rfc822(Timestamp(milliseconds: ms)) == text)
    }

    // MARK: Round trip

    @Test("what newsdesk exports imports back unchanged, and the same goes for the subscriptions file (property)")
    func roundTrip() async {
        let lists = Gen.uint64(in: 0...UInt64.max).array(of: 0...12)
        let titles = Gen.element(of: ["newsdesk subscriptions", "Ada & Bob's <list>", "\"quoted\" 'x'", "Zürich 東京 🚀", "a\tb"])
            .compactMap { $0 }
        await propertyCheck(count: 200, input: lists, titles) { seeds, title in
            let subs = randomSubscriptions(seeds)
            let text = OPML.export(subs, title: title, now: Timestamp(milliseconds: 1_796_176_800_000))
            let back: OPMLDocument
            do { back = try OPML.parse(Array(text.utf8), path: "/rt.opml") } catch {
                Issue.record("export did not parse: \(error)\n\(text)")
                return
            }
            #expect(back.subscriptions == subs, "\(text)")
            #expect(back.notes.isEmpty, "\(back.notes)")
            #expect(back.title == title.replacingOccurrences(of: "\t", with: " "))
            let lines = subs.map(SubscriptionsFile.line(for:)).joined(separator: "\n")
            #expect((try? parseFeeds(lines)) == subs, "\(lines)")
        }
    }
}

/// Subscriptions drawn from `seeds`, one each, every location and name different.
func randomSubscriptions(_ seeds: [UInt64]) -> [Subscription] {
    let schemes = ["http", "https", "HTTPS"]
    let hosts = ["example.com", "www.theverge.com", "127.0.0.1:8080", "[::1]:9", "user@host.org", "bücher.de", "xn--bcher-kva.example"]
    let paths = ["/rss", "/feed.xml?a=1&b=2", "/a/#frag", "/%20x", "/q?x=<y>&z=\"w\"", "/ü/フィード", "/a;b=c", "/'q'", "/&amp;", "/&#38;x"]
    let files = ["/tmp/feeds/a b.xml", "/home/u/ü.xml", "/x/#hash.xml", "/p/a%20b.xml", "/q/a?b.xml", "/\"q\".xml", "/t\\x.xml"]
    let names: [String?] = [nil, "news", "Tech.Daily", "ünïcode", "a_b", "x-y-z", "日本", "A1"]
    let tagPool = ["tech", "Linux", "news.world", "日本語", "a_b", "x-1", "Z"]
    let everies: [Duration?] = [nil, .seconds(1), .seconds(90), .seconds(600), .seconds(5400), .milliseconds(1500), .seconds(172_800)]
    return seeds.enumerated().map { index, seed in
        var rng = SplitMix(seed)
        let location: FeedLocation
        if rng.next(10) < 2 {
            location = .path("/f\(index)" + files[rng.next(files.count)])
        } else {
            location = .url("\(schemes[rng.next(schemes.count)])://\(hosts[rng.next(hosts.count)])/i\(index)\(paths[rng.next(paths.count)])")
        }
        let name = names[rng.next(names.count)].map { "\($0)\(index)" }
        var tags: [String] = []
        for _ in 0..<rng.next(4) {
            let tag = tagPool[rng.next(tagPool.count)]
            if !tags.contains(tag) { tags.append(tag) }
        }
        return Subscription(location: location, name: name, every: everies[rng.next(everies.count)], tags: tags)
    }
}

struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}

@Suite("OPML and subscriptions: hostile input")
struct SubscriptionsHostileInputTests {
    @Test("damaged OPML files are read or refused, never a crash (property)")
    func damagedOPML() async throws {
        let originals = try ["feedly.opml", "thunderbird.opml", "nested-odd.opml", "latin1.opml", "freshrss.opml.xml"].map { try fixture("opml/" + $0) }
        let edits = Gen.uint64(in: 0...UInt64.max).array(of: 1...20)
        let inserts = Array("<>&\"';#\u{0}\u{1B}/=".utf8)
        await propertyCheck(count: 300, input: Gen.int(in: 0...(originals.count - 1)), edits) { which, seeds in
            var bytes = originals[which]
            for seed in seeds {
                var rng = SplitMix(seed)
                let at = rng.next(bytes.count + 1)
                switch rng.next(4) {
                case 0 where at < bytes.count: bytes.remove(at: at)
                case 1: bytes.insert(inserts[rng.next(inserts.count)], at: at)
                case 2 where at < bytes.count: bytes[at] = UInt8(truncatingIfNeeded: rng.next(256))
                default: bytes = Array(bytes[..<at])
                }
            }
            do {
                let doc = try OPML.parse(bytes, path: "/d.opml")
                for sub in doc.subscriptions {
                    #expect(sub.name.map(SourceName.isValid) ?? true)
                    #expect(sub.tags.allSatisfy(SourceName.isValid))
                    // What was imported can be written to the subscriptions file and read back.
                    #expect((try? parseFeeds(SubscriptionsFile.line(for: sub))) == [sub])
                }
                #expect(doc.notes.allSatisfy { !$0.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0 } })
            } catch let error as SubscriptionError {
                #expect(error.kind == .malformed || error.kind == .unreadable)
                #expect(!error.description.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0 })
            } catch {
                Issue.record("not a SubscriptionError: \(error)")
            }
        }
    }

    @Test("random lines in the subscriptions file are read or refused at their line, never a crash (property)")
    func randomLines() async {
        let pieces = ["https://a.example/", "http://", "ftp://x", "~/x", "a.xml", "\"q r\"", "\"", "\\", "#", " ", "\t", "every=", "every=5m",
                      "every=0", "x=y", "-", "name", "Tag", "é", "\u{1B}", "\u{202E}", "\r", "=", "file:///a", "file://h/a", "feed://b.example/"]
        let lines = Gen.element(of: pieces).compactMap { $0 }.array(of: 0...8).map { $0.joined() }.array(of: 1...6)
        await propertyCheck(count: 300, input: lines) { lines in
            let text = lines.joined(separator: "\n")
            do {
                let subs = try parseFeeds(text)
                #expect((try? parseFeeds(subs.map(SubscriptionsFile.line(for:)).joined(separator: "\n"))) == subs)
            } catch let error as SubscriptionError {
                #expect(error.kind == .malformed)
                #expect((1...lines.count).contains(error.line))
                #expect(!error.description.unicodeScalars.contains { $0.value == 0x1B || $0 == "\u{202E}" })
            } catch {
                Issue.record("not a SubscriptionError: \(error)")
            }
        }
    }

    @Test("a FIFO in place of the file is refused at once, not waited on")
    func fifo() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(mkfifo(root + "/feeds", 0o600) == 0)
        let error = #expect(throws: SubscriptionError.self) { try SubscriptionsFile.load(path: root + "/feeds", home: nil) }
        #expect(error?.kind == .unreadable)
        #expect(throws: SubscriptionError.self) { try OPML.read(path: root + "/feeds") }
    }
}
