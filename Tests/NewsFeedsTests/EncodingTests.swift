import Foundation
import NewsCore
import Testing
@testable import NewsFeeds

@Suite("Encodings")
struct EncodingTests {
    func feed(_ title: [UInt8], declaration: String?) -> [UInt8] {
        var out: [UInt8] = []
        if let declaration { out += Array("<?xml version=\"1.0\" encoding=\"\(declaration)\"?>\n".utf8) }
        out += Array("<rss version=\"2.0\"><channel><title>E</title><item><title>".utf8)
        out += title
        out += Array("</title></item></channel></rss>".utf8)
        return out
    }

    func title(_ bytes: [UInt8]) throws -> (String, FeedDocument) {
        let doc = try FeedParser.parse(bytes: bytes, readTime: readTime)
        return (doc.items.first?.title ?? "<none>", doc)
    }

    @Test("UTF-8, with and without a byte order mark")
    func utf8() throws {
        #expect(try title(feed(Array("Zürich 東京".utf8), declaration: "UTF-8")).0 == "Zürich 東京")
        let (t, doc) = try title([0xEF, 0xBB, 0xBF] + feed(Array("Zürich".utf8), declaration: "utf-8"))
        #expect(t == "Zürich")
        #expect(doc.problems.isEmpty)
    }

    @Test("UTF-16 little and big endian, with a byte order mark")
    func utf16() throws {
        let text = String(decoding: feed(Array("東京 🚀 news".utf8), declaration: "UTF-16"), as: UTF8.self)
        let leUnits: [UInt8] = text.utf16.flatMap { (u: UInt16) -> [UInt8] in [UInt8(u & 0xFF), UInt8(u >> 8)] }
        let beUnits: [UInt8] = text.utf16.flatMap { (u: UInt16) -> [UInt8] in [UInt8(u >> 8), UInt8(u & 0xFF)] }
        let le: [UInt8] = [0xFF, 0xFE] + leUnits
        let be: [UInt8] = [0xFE, 0xFF] + beUnits
        let (t1, d1) = try title(le)
        #expect(t1 == "東京 🚀 news")
        #expect(d1.encoding == "UTF-16LE")
        let (t2, d2) = try title(be)
        #expect(t2 == "東京 🚀 news")
        #expect(d2.encoding == "UTF-16BE")
        // Without a byte order mark, recognised from `<` next to a zero byte.
        #expect(try title(Array(le.dropFirst(2))).0 == "東京 🚀 news")
    }

    @Test("ISO-8859-1 and windows-1252 (its curly quotes and euro sign)")
    func singleByte() throws {
        let (t1, d1) = try title(feed([0x43, 0x61, 0x66, 0xE9], declaration: "ISO-8859-1"))
        #expect(t1 == "Café")
        #expect(d1.encoding == "windows-1252")
        #expect(try title(feed([0x93, 0x71, 0x94, 0x20, 0x80, 0x35], declaration: "windows-1252")).0 == "“q” €5")
    }

    @Test("what iconv knows: KOI8-R, Shift_JIS")
    func iconvEncodings() throws {
        let (t1, d1) = try title(feed([238, 207, 215, 207, 211, 212, 201], declaration: "KOI8-R"))
        #expect(t1 == "Новости")
        #expect(d1.encoding == "KOI8-R")
        #expect(try title(feed([131, 106, 131, 133, 129, 91, 131, 88], declaration: "Shift_JIS")).0 == "ニュース")
    }

    @Test("a wrong declaration is recovered from")
    func wrongDeclaration() throws {
        // Declared UTF-8, written in Latin-1.
        let (t1, d1) = try title(feed([0x43, 0x61, 0x66, 0xE9], declaration: "UTF-8"))
        #expect(t1 == "Café")
        #expect(d1.problems.contains { $0.message.contains("declared UTF-8 but the bytes are not UTF-8") })
        // Declared ISO-8859-1, written in UTF-8.
        let (t2, d2) = try title(feed(Array("Zürich".utf8), declaration: "ISO-8859-1"))
        #expect(t2 == "Zürich")
        #expect(d2.encoding == "UTF-8")
        // Declared UTF-16, but the bytes are ASCII.
        #expect(try title(feed(Array("plain".utf8), declaration: "UTF-16")).0 == "plain")
        // No declaration at all, Latin-1 bytes.
        #expect(try title(feed([0x4D, 0xFC, 0x6E, 0x63, 0x68, 0x65, 0x6E], declaration: nil)).0 == "München")
        // An encoding nobody knows.
        let (t3, d3) = try title(feed(Array("ok".utf8), declaration: "x-no-such-encoding"))
        #expect(t3 == "ok")
        #expect(d3.problems.contains { $0.message.contains("unknown encoding") })
    }

    @Test("invalid bytes become U+FFFD, never a lost feed")
    func invalidBytes() throws {
        let (t, doc) = try title(feed(Array("Zürich ".utf8) + [0xFF, 0xC3] + Array(" end".utf8), declaration: "UTF-8"))
        #expect(t == "Zürich \u{FFFD}\u{FFFD} end")
        #expect(doc.problems.contains { $0.message.contains("2 bytes are not UTF-8") })
        let (t2, _) = try title(feed([0x41, 0xFF, 0x42], declaration: "KOI8-R") + [])
        #expect(t2.count == 3)
    }
}

@Suite("Encodings, the edges")
struct EncodingEdgeTests {
    func decode(_ bytes: [UInt8]) -> (String, FeedEncoding.Decoded) {
        let d = bytes.withUnsafeBufferPointer { FeedEncoding.decode($0) }
        let text = bytes.withUnsafeBufferPointer { b in d.withUTF8(b) { String(decoding: $0, as: UTF8.self) } }
        return (text, d)
    }

    @Test("UTF-16: a lone surrogate and an odd last byte become U+FFFD")
    func utf16Edges() {
        let (text, d) = decode([0xFF, 0xFE, 0x3C, 0x00, 0x00, 0xD8, 0x41, 0x00, 0x00, 0xDC, 0x42])
        #expect(text == "<\u{FFFD}A\u{FFFD}\u{FFFD}")
        #expect(d.problems == ["3 UTF-16 units are invalid and became U+FFFD"])
    }

    @Test("valid UTF-8 is not copied; a byte order mark is skipped")
    func noCopy() {
        let (text, d) = decode([0xEF, 0xBB, 0xBF] + Array("<rss>ü".utf8))
        #expect(text == "<rss>ü")
        #expect(d.converted == nil)
        #expect(d.start == 3)
    }

    @Test("overlong forms and encoded surrogates are not UTF-8 (in a text that is UTF-8 otherwise)")
    func invalidForms() {
        let (text, d) = decode(Array("<ü".utf8) + [0xC0, 0xAF, 0xED, 0xA0, 0x80, 0x3E])
        #expect(text == "<ü\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}>")
        #expect(d.encoding == "UTF-8")
        // With no multi-byte sequence at all, the same bytes are windows-1252.
        #expect(decode([0x3C, 0xC0, 0xAF, 0x3E]).0 == "<À¯>")
    }
}
