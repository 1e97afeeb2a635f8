import Foundation
import NewsCore
@testable import NewsFeeds
import Testing

/// Parses `text` as the subscriptions file `/cfg/newsdesk/feeds`, with HOME `/home/ada`.
func parseFeeds(_ text: String, path: String = "/cfg/newsdesk/feeds") throws(SubscriptionError) -> [Subscription] {
    try SubscriptionsFile.parse(Array(text.utf8), path: path, home: "/home/ada").subscriptions
}

/// The error `text` gives, or nil.
func feedsError(_ text: String) -> SubscriptionError? {
    do { _ = try parseFeeds(text); return nil } catch { return error }
}

@Suite("Subscriptions file")
struct SubscriptionsFileTests {
    // MARK: Where it is

    @Test("XDG_CONFIG_HOME when absolute, else HOME/.config, else none")
    func defaultPath() {
        #expect(SubscriptionsFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/ada"]) == "/x/cfg/newsdesk/feeds")
        #expect(SubscriptionsFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x/cfg/", "HOME": "/home/ada"]) == "/x/cfg/newsdesk/feeds")
        #expect(SubscriptionsFile.defaultPath(environment: ["HOME": "/home/ada"]) == "/home/ada/.config/newsdesk/feeds")
        // An empty or relative XDG_CONFIG_HOME is ignored, as the XDG rules say.
        #expect(SubscriptionsFile.defaultPath(environment: ["XDG_CONFIG_HOME": "", "HOME": "/home/ada"]) == "/home/ada/.config/newsdesk/feeds")
        #expect(SubscriptionsFile.defaultPath(environment: ["XDG_CONFIG_HOME": "cfg", "HOME": "/home/ada"]) == "/home/ada/.config/newsdesk/feeds")
        #expect(SubscriptionsFile.defaultPath(environment: ["XDG_CONFIG_HOME": "cfg"]) == nil)
        #expect(SubscriptionsFile.defaultPath(environment: ["HOME": "relative"]) == nil)
        #expect(SubscriptionsFile.defaultPath(environment: [:]) == nil)
    }

    // MARK: Lines

    @Test("a line: location, name, every=, tags; comments and blank lines")
    func fullLines() throws {
        let subs = try parseFeeds("""
            # my feeds
            https://www.theverge.com/rss verge every=10m tech gadgets

            \thttp://lwn.net/headlines/rss\tlwn\t# the comment after an entry
            https://x.example/a#frag # a fragment is part of the URL, this is a comment
            https://y.example/b - every=1h30m world
            https://z.example/c every=90s name-after-every tag1
            """)
        #expect(subs == [
            Subscription(location: .url("https://www.theverge.com/rss"), name: "verge", every: .seconds(600), tags: ["tech", "gadgets"]),
            Subscription(location: .url("http://lwn.net/headlines/rss"), name: "lwn"),
            Subscription(location: .url("https://x.example/a#frag")),
            Subscription(location: .url("https://y.example/b"), every: .seconds(5400), tags: ["world"]),
            Subscription(location: .url("https://z.example/c"), name: "name-after-every", every: .seconds(90), tags: ["tag1"]),
        ])
    }

    @Test("line numbers count every line, blank and comment ones too")
    func lineNumbers() throws {
        let file = try SubscriptionsFile.parse(Array("# a\n\nhttps://a.example/\n  # b\nhttps://b.example/\n".utf8), path: "/f", home: nil)
        #expect(file.entries.map(\.line) == [3, 5])
    }

    @Test("a '#' inside a word is not a comment; at the start of a word it is")
    func hashRule() throws {
        #expect(try parseFeeds("http://x/#a") == [Subscription(location: .url("http://x/#a"))])
        #expect(try parseFeeds("http://x/ #a") == [Subscription(location: .url("http://x/"))])
        #expect(feedsError("http://x/ news#1")?.reason.contains("cannot be a name") == true)
        #expect(try parseFeeds("#http://x/").isEmpty)
    }

    @Test("paths: relative to the file's folder, ~ is HOME, file:/// URLs, quotes for spaces")
    func paths() throws {
        let subs = try parseFeeds("""
            local.xml
            ../shared/../other.rss
            ~/feeds/hn.xml hn
            ~
            /abs/./x.atom
            file:///srv/feeds/a%20b.xml ab
            "~/My Feeds/c \\"d\\".xml" quoted
            ./news:today.xml
            """)
        #expect(subs.map(\.location) == [
            .path("/cfg/newsdesk/local.xml"),
            .path("/cfg/other.rss"),
            .path("/home/ada/feeds/hn.xml"),
            .path("/home/ada"),
            .path("/abs/x.atom"),
            .path("/srv/feeds/a b.xml"),
            .path("/home/ada/My Feeds/c \"d\".xml"),
            .path("/cfg/newsdesk/news:today.xml"),
        ])
        #expect(subs[2].name == "hn" && subs[5].name == "ab" && subs[6].name == "quoted")
    }

    @Test("the old feed: pseudo-scheme is read as the URL it stands for")
    func feedScheme() throws {
        #expect(try parseFeeds("feed://x.example/a\nfeed:https://y.example/b").map(\.location)
            == [.url("http://x.example/a"), .url("https://y.example/b")])
        #expect(feedsError("feed:x")?.reason.contains("'feed:' must be followed by") == true)
    }

    @Test("CRLF line ends and a byte order mark are read")
    func crlfAndBOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("https://a.example/ a\r\n# c\r\nhttps://b.example/ b\r\n".utf8)
        let file = try SubscriptionsFile.parse(bytes, path: "/f", home: nil)
        #expect(file.subscriptions.map(\.name) == ["a", "b"])
    }

    @Test("repeated tags are kept once")
    func repeatedTags() throws {
        #expect(try parseFeeds("https://a.example/ a x y x")[0].tags == ["x", "y"])
    }

    // MARK: Errors

    @Test("malformed lines are FILE:LINE: reason", arguments: [
        ("ftp://x.example/feed", 1, "unknown scheme 'ftp:'"),
        ("# ok\ngopher://x", 2, "unknown scheme 'gopher:'"),
        ("https://a.example/ a every=10x", 1, "every=10x is not a time like 90s, 10m or 1h30m"),
        ("https://a.example/ a every=", 1, "every= needs a time"),
        ("https://a.example/ a every=500ms", 1, "every=500ms is less than 1s"),
        ("https://a.example/ a every=0", 1, "less than 1s"),
        ("https://a.example/ a every=1m every=2m", 1, "every= is given twice"),
        ("https://a.example/ a colour=red", 1, "unknown key 'colour=' (the one key is every=, as in every=10m)"),
        ("https://a.example/ a\n\nhttps://a.example/ b", 3, "'https://a.example/' is already on line 1"),
        ("https://A.EXAMPLE:443/x#one\nhttps://a.example/x#two", 2, "is already on line 1"),
        ("a.xml\n./a.xml", 2, "is already on line 1"),
        ("https://a.example/ news\nhttps://b.example/ news", 2, "the name 'news' is already used on line 1"),
        ("https://a.example/ bad/name", 1, "'bad/name' cannot be a name"),
        ("https://a.example/ .dot", 1, "cannot start with '.'"),
        ("https://a.example/ a ta,g", 1, "'ta,g' cannot be a tag"),
        ("https://", 1, "the URL has no host"),
        ("http:x.example", 1, "must be followed by //host"),
        ("https://a.example:99999/", 1, "port '99999'"),
        ("\"unclosed.xml", 1, "a quote that is not closed"),
        ("\"a\"b", 1, "a space must follow a closing quote"),
        ("https://a.example/ a\u{1B}[31m", 1, "a control character (U+001B)"),
        ("~bob/feed.xml", 1, "'~user' paths are not supported"),
    ] as [(String, Int, String)])
    func malformed(text: String, line: Int, reason: String) throws {
        let error = try #require(feedsError(text))
        #expect(error.kind == .malformed)
        #expect(error.line == line)
        #expect(error.description.hasPrefix("/cfg/newsdesk/feeds:\(line): "))
        #expect(error.reason.contains(reason), "\(error)")
    }

    @Test("a line that is not UTF-8 is an error at its line")
    func notUTF8() throws {
        let bytes = Array("https://a.example/ a\n".utf8) + [0x68, 0x74, 0xFF, 0x0A]
        #expect(throws: SubscriptionError(.malformed, path: "/f", line: 2, "the line is not UTF-8")) {
            try SubscriptionsFile.parse(bytes, path: "/f", home: nil)
        }
    }

    @Test("data quoted in an error never reaches the terminal as an escape sequence")
    func errorsAreTerminalSafe() throws {
        let error = try #require(feedsError("x\u{1B}]0;pwned\u{07}y://host/"))
        #expect(!error.description.contains("\u{1B}"))
        let bidi = try #require(feedsError("https://a.example/ a\u{202E}b"))
        #expect(!bidi.description.unicodeScalars.contains("\u{202E}"))
    }

    @Test("~ without HOME is an error")
    func tildeWithoutHome() {
        #expect(throws: SubscriptionError.self) { try SubscriptionsFile.parse(Array("~/a.xml".utf8), path: "/f", home: nil) }
    }

    // MARK: Names

    @Test("default names from the URL's host", arguments: [
        ("https://www.theverge.com/rss", "theverge"),
        ("https://lwn.net/headlines/rss", "lwn"),
        ("https://feeds.bbci.co.uk/news/rss.xml", "bbci"),
        ("https://blog.rust-lang.org/feed.xml", "blog.rust-lang"),
        ("https://news.ycombinator.com/rss", "news.ycombinator"),
        ("http://127.0.0.1:8080/a.xml", "127.0.0.1"),
        ("http://localhost:8000/feed", "localhost"),
        ("http://[::1]:9/feed", "ip6-1"),
        ("https://user:pw@WWW.Example.COM:8443/x", "example"),
        ("https://www.abc.net.au/news/feed/51120/rss.xml", "abc"),
    ] as [(String, String)])
    func defaultNames(url: String, name: String) {
        #expect(SourceName.defaultName(for: url) == name)
        #expect(SourceName.isValid(SourceName.defaultName(for: url)))
    }

    @Test("titles become source names; names stay as they are")
    func makeNames() {
        #expect(SourceName.make(from: "theverge") == "theverge")
        #expect(SourceName.make(from: "Linux") == "Linux")
        #expect(SourceName.make(from: "Ars Technica") == "ars-technica")
        #expect(SourceName.make(from: "The Verge -  All Posts") == "the-verge-all-posts")
        #expect(SourceName.make(from: "Zürich & Genève") == "zürich-genève")
        #expect(SourceName.make(from: "  ...  ") == nil)
        #expect(SourceName.make(from: "--x--") == "x")
        #expect(SourceName.make(from: String(repeating: "ab ", count: 40))!.count <= SourceName.maxLength)
        #expect(SourceName.make(from: "a\u{1B}[31mb") == "a-31mb")
        #expect(!SourceName.isValid("-"))
        #expect(!SourceName.isValid("a b"))
        #expect(!SourceName.isValid("a\u{200B}b"))
        #expect(SourceName.isValid("café_1.x-y"))
    }

    @Test("every= reads back as written")
    func everyFormat() {
        for ms: Int64 in [1000, 90_000, 600_000, 5_400_000, 1500, 172_800_000, 3_601_001] {
            let text = SubscriptionsFile.formatEvery(.milliseconds(ms))
            #expect((try? SubscriptionsFile.parseEvery(text).get()) == .milliseconds(ms), "\(text)")
        }
        #expect(SubscriptionsFile.formatEvery(.seconds(5400)) == "1h30m")
        #expect(SubscriptionsFile.formatEvery(.seconds(90)) == "1m30s")
    }
}

@Suite("Subscriptions file: size")
struct SubscriptionsFileSizeTests {
    @Test("a long line of many words and a file of 10,000 feeds parse in linear time")
    func large() throws {
        let words = "https://a.example/ a " + Array(repeating: "tag", count: 200_000).joined(separator: " ")
        let start = ContinuousClock.now
        #expect(try parseFeeds(words)[0].tags == ["tag"])
        let many = (0..<10_000).map { "https://h\($0).example/feed n\($0) every=10m t" }.joined(separator: "\n")
        #expect(try parseFeeds(many).count == 10_000)
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test("a control character in a comment is fine; in a word it is not")
    func controlInComment() throws {
        #expect(try parseFeeds("https://a.example/ a # \u{07} bell").count == 1)
        #expect(feedsError("https://a.example/\u{07}x")?.reason.contains("U+0007") == true)
    }
}
