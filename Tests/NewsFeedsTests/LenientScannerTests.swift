import Foundation
import NewsCore
import Testing
@testable import NewsFeeds

/// One JSON scanner (issue 11, point 3): NewsCore's, strict for recordings and lenient for
/// JSON Feed.
@Suite("The JSON scanner, lenient")
struct LenientScannerTests {
    /// What `body` reads from `text`, or nil when it throws.
    func scan<R>(_ text: [UInt8], lenient: Bool, _ body: (inout JSONScanner) throws -> R) -> R? {
        text.withUnsafeBufferPointer { b in
            var scanner = JSONScanner(b, lenient: lenient)
            return try? body(&scanner)
        }
    }

    @Test("what strict reading refuses, lenient reading takes: raw controls, invalid UTF-8, lone surrogates, loose numbers")
    func leniency() throws {
        let control: [UInt8] = Array(#""a"#.utf8) + [0x09, 0x01] + Array(#"b""#.utf8)
        #expect(scan(control, lenient: true) { try $0.string() } == "a\t\u{1}b")
        #expect((scan(control, lenient: false) { try $0.string() }) == nil)
        let latin1: [UInt8] = [0x22, 0x63, 0x61, 0x66, 0xE9, 0x22]  // "caf\xE9"
        #expect(scan(latin1, lenient: true) { try $0.string() } == "caf\u{FFFD}")
        #expect((scan(latin1, lenient: false) { try $0.string() }) == nil)
        for lone in [#""x\uD83Dy""#, #""x\uDE80y""#, #""x\uD83D\u0041y""#] {
            #expect(scan(Array(lone.utf8), lenient: true) { try $0.string() } == "x\u{FFFD}y", "\(lone)")
            #expect((scan(Array(lone.utf8), lenient: false) { try $0.string() }) == nil, "\(lone)")
        }
        #expect(scan(Array(#""\uD83D\uDE80""#.utf8), lenient: true) { try $0.string() } == "🚀")
        let loose = Array("+1.5e".utf8)
        #expect(scan(loose, lenient: true) { s in String(decoding: UnsafeBufferPointer(rebasing: s.bytes[try s.numberText()]), as: UTF8.self) } == "+1.5e")
        #expect((scan(loose, lenient: false) { try $0.numberText() }) == nil)
        #expect(scan(Array(" -12.5e3,".utf8), lenient: false) { try $0.numberText() } == 1..<8)
    }

    @Test("a JSON Feed that ends early says so as a document, at its line and column")
    func brokenFeed() throws {
        let text = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"T\",\"items\":[\n{\"id\":\"a\",\"title\":\"A\"},\n{\"id\":\"b\",\"title\":"
        let doc = try parse(text)
        #expect(doc.items.map(\.id) == ["a"])
        #expect(doc.brokenAt?.line == 3)
        #expect(doc.brokenAt?.column == 19)
        #expect(doc.brokenAt?.message == "expected a value, found the end of the document")
    }

    @Test("JSON Feed values: numbers kept as their text, raw controls and bad escapes as before")
    func values() throws {
        let text = #"{"version":"https://jsonfeed.org/version/1","title":"T","items":[{"id":123,"title":"x\u0041\uD800y","url":"https://e/1","extra":[1,-2.5e3,true,false,null,{"k":{}}]}]}"#
        let doc = try parse(text)
        #expect(doc.items.map(\.id) == ["123"])
        #expect(doc.items.map(\.title) == ["xA\u{FFFD}y"])
        #expect(doc.brokenAt == nil)
        let deep = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"a\",\"x\":" + String(repeating: "[", count: 150)
        #expect(throws: FeedError.tooDeep(limit: 100, line: 1)) { try parse(deep) }
    }
}
