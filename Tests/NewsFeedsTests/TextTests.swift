import NewsCore
import Testing
@testable import NewsFeeds

@Suite("Entities, CDATA and markup")
struct TextTests {
    func title(_ inner: String) throws -> String { try parse(rss(item: "<title>\(inner)</title>")).items[0].title }

    @Test("XML's entities and numeric references")
    func xmlAndNumeric() throws {
        #expect(try title("&lt;b&gt; is not bold &amp; &quot;q&quot; &apos;a&apos;") == "is not bold & \"q\" 'a'")
        #expect(try title("Caf&#233; &#xE9;t&#XE9; &#x1F680;") == "Café été 🚀")
    }

    @Test("HTML's named entities, which XML does not define")
    func html() throws {
        #expect(try title("A&nbsp;&mdash;&nbsp;B &eacute;t&eacute; &hellip; &copy; &euro;") == "A — B été … © €")
        // Escaped once more (common in feeds): decoded at the HTML level.
        #expect(try title("Fish &amp;amp; chips &amp;mdash; &amp;#8217;") == "Fish & chips — ’")
    }

    @Test("an unknown entity is kept as text, a bare & is an ampersand")
    func unknownAndBare() throws {
        let doc = try parse(rss(item: "<title>AT&T &foo; ?a=1&b=2 &</title><link>https://x.example.com/?a=1&b=2</link>"))
        #expect(doc.items[0].title == "AT&T &foo; ?a=1&b=2 &")
        #expect(doc.items[0].url == "https://x.example.com/?a=1&b=2")
        #expect(doc.brokenAt == nil)
        #expect(doc.problems.contains { $0.message.contains("bare '&'") })
        #expect(doc.problems.contains { $0.message.contains("unknown entit") })
    }

    @Test("the prepass finds what needs mending at every alignment")
    func alignments() throws {
        for pad in 0..<17 {
            let filler = String(repeating: "w", count: pad)
            let doc = try parse(rss(item: "<title>\(filler)A&B\u{1B}&nbsp;<![CDATA[&amp;]]>\(filler)</title>"))
            #expect(doc.items.first?.title == "\(filler)A&B\u{FFFD} &\(filler)", "pad \(pad)")
        }
    }

    @Test("CDATA is read as it is, then its markup stripped")
    func cdata() throws {
        #expect(try title("<![CDATA[Fish & chips <i>today</i>]]>") == "Fish & chips today")
        #expect(try title("Before <![CDATA[<b>in</b>]]> after") == "Before in after")
        #expect(try title("<![CDATA[&nbsp;literal&amp;]]>") == "literal&")
    }

    @Test("markup stripped to text: block elements separate words, scripts and styles go")
    func markup() {
        #expect(FeedText.fromHTML("<p>One</p><p>Two</p>three<br/>four") == "One Two three four")
        #expect(FeedText.fromHTML("a<b>b</b>c <script>alert('x<y')</script>d<style>p{}</style>") == "abc d")
        #expect(FeedText.fromHTML("x < y and y > z") == "x < y and y > z")
        #expect(FeedText.fromHTML("one <p>two</p> three &nbsp; four <b>five</b> &amp; six ") == "one two three four five & six")
        #expect(FeedText.fromHTML("<!-- gone -->kept <a href=\"a>b\">link</a>") == "kept link")
    }

    @Test("whitespace collapses, U+00A0 included")
    func whitespace() {
        #expect(FeedText.fromText("  a \n\t b\u{00A0}\u{00A0}c  ") == "a b c")
        #expect(FeedText.fromText("") == "")
    }

    @Test("control characters XML forbids become U+FFFD, the feed goes on")
    func controls() throws {
        let doc = try parse(rss(item: "<title>Bell\u{07} esc\u{1B}[31m &#27;</title>"))
        #expect(doc.items[0].title == "Bell\u{FFFD} esc\u{FFFD}[31m \u{FFFD}")
        #expect(doc.brokenAt == nil)
    }

    @Test("the first words of a long text")
    func firstWords() {
        #expect(FeedText.firstWords("one two three", 2) == "one two…")
        #expect(FeedText.firstWords("one two", 2) == "one two")
        #expect(FeedText.firstWords(String(repeating: "x", count: 500), maxCharacters: 160) == String(repeating: "x", count: 160) + "…")
    }
}

@Suite("Links")
struct LinkTests {
    @Test("relative links resolve against xml:base, the feed's link, or the file's location")
    func resolution() throws {
        let atom = """
        <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example.com/root/"><title>A</title>
        <entry xml:base="sub/"><id>1</id><title>t</title><link href="page"/></entry>
        <entry><id>2</id><title>t</title><link xml:base="/other/" href="x"/></entry>
        <entry><id>3</id><title>t</title><link href="mailto:desk@a.example.com"/></entry></feed>
        """
        #expect(try parse(atom).items.map(\.url) == ["https://a.example.com/root/sub/page", "https://a.example.com/other/x",
                                                     "mailto:desk@a.example.com"])
        let noLink = "<rss version=\"2.0\"><channel><title>L</title><item><title>t</title><link>item.html</link></item></channel></rss>"
        #expect(try parse(noLink, baseURL: "file:///feeds/local/feed.xml").items[0].url == "file:///feeds/local/item.html")
        #expect(try parse(noLink).items[0].url == "item.html")
        let relativeChannel = "<rss version=\"2.0\"><channel><title>L</title><link>/news/</link><item><title>t</title><link>a</link></item></channel></rss>"
        let doc = try parse(relativeChannel, baseURL: "https://host.example.com/feeds/rss.xml")
        #expect(doc.link == "https://host.example.com/news/")
        #expect(doc.items[0].url == "https://host.example.com/news/a")
    }

    @Test("an id derived from a link is its normal form; a changed date keeps the same id")
    func derivedIDs() throws {
        #expect(FeedLinks.normalised("HTTPS://News.Example.COM:443/a?b=1#frag") == "https://news.example.com/a?b=1")
        #expect(FeedLinks.normalised("http://x.example.com") == "http://x.example.com/")
        let one = try parse(rss(item: "<title>T</title><link>HTTP://X.example.com/a#top</link><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>"))
        let two = try parse(rss(item: "<title>T</title><link>http://x.example.com/a</link><pubDate>Wed, 02 Dec 2026 10:00:00 GMT</pubDate>"))
        #expect(one.items[0].id == "http://x.example.com/a")
        #expect(one.items[0].id == two.items[0].id)
        let titled1 = try parse(rss(item: "<title>Same title</title><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>"))
        let titled2 = try parse(rss(item: "<title>Same title</title><pubDate>Tue, 08 Dec 2026 10:00:00 GMT</pubDate>"))
        #expect(titled1.items[0].id == titled2.items[0].id)
    }
}
