import NewsCore
import Testing

@Suite("Which links are opened: http, https and file, whole, with no control characters")
struct OpenableLinkTests {
    @Test("http, https and file links open exactly as written, whatever the scheme's case", arguments: [
        "http://example.com", "https://example.com/a?b=1#c", "HTTP://EXAMPLE.COM/", "HtTpS://x.test/",
        "file:///home/me/page.html", "file:/etc/hostname", "FILE:///tmp/x",
        "https://example.com/$(touch x)`id`;ls|cat 'a' \"b\" c", "https://例え.jp/パス",
    ])
    func opened(link: String) {
        #expect(OpenableLink.check(link) == .open(link))
    }

    @Test("other schemes are refused, named in lower case", arguments: [
        ("javascript:alert(1)", "javascript"), ("JavaScript:alert(1)", "javascript"), ("data:text/html,<b>x</b>", "data"),
        ("mailto:me@example.com", "mailto"), ("ftp://example.com/", "ftp"), ("vbscript:x", "vbscript"), ("x-my.app+1:open", "x-my.app+1"),
    ])
    func otherSchemes(link: String, scheme: String) {
        #expect(OpenableLink.check(link) == .refused(.scheme(scheme, link: link)))
        #expect(OpenableLink.scheme(of: link) == scheme)
    }

    @Test("relative links (no scheme) are refused", arguments: [
        "/articles/1", "articles/1", "//example.com/a", "?page=2", "#top", "-remote=x", "1http://x", " https://example.com", ":foo",
    ])
    func relative(link: String) {
        #expect(OpenableLink.check(link) == .refused(.relative(link)))
        #expect(OpenableLink.scheme(of: link) == nil)
    }

    @Test("a control, bidi or invisible character anywhere refuses the link", arguments: [
        "https://example.com/\na", "https://example.com/\r", "https://example.com/\u{1B}[2J", "https://exa\u{7F}mple.com",
        "https://example.com/\u{85}", "https://example.com/\u{202E}gpj.exe", "https://pay\u{200B}pal.com", "https://example.com/\t",
        "javascript:\nalert(1)",
    ])
    func controlCharacters(link: String) {
        #expect(OpenableLink.check(link) == .refused(.controlCharacters(link)))
    }

    @Test("no link, an empty one or only spaces: missing")
    func missing() {
        #expect(OpenableLink.check(nil) == .missing)
        #expect(OpenableLink.check("") == .missing)
        #expect(OpenableLink.check("   ") == .missing)
    }

    @Test("http and https need // and a host")
    func noHost() {
        for link in ["http:example.com", "https:/x", "https://", "http:///etc/passwd"] {
            #expect(OpenableLink.check(link) == .refused(.noHost(link)), "\(link)")
        }
    }

    @Test("the reason's text shows the link made safe and cut short")
    func reasonText() {
        let refusal = OpenableLink.Refusal.controlCharacters("https://a\u{1B}b")
        #expect(refusal.text == "the link has control characters in it (https://a␛b)")
        let long = "data:" + String(repeating: "A", count: 100)
        guard case .refused(let reason) = OpenableLink.check(long) else { Issue.record("not refused"); return }
        #expect(reason.text == "only http, https and file links (data:\(String(repeating: "A", count: 19))…)")
    }
}
