import Foundation
import NewsCore
import Testing
@testable import NewsFeeds

/// Mending as libxml2 reads (issue 11, point 1): no whole copy of the document is made
/// before or during the parse, and the chunks it is read in change nothing.
@Suite("Parsing in chunks", .serialized)
struct ChunkedParseTests {
    /// A feed of `items` items that needs mending all through (stray `&`, HTML entities,
    /// a `<` that starts no tag, a forbidden control character), as real feeds do.
    static func mendedFeed(items: Int) -> [UInt8] {
        var text = #"<?xml version="1.0"?><rss version="2.0"><channel><title>AT&T &mdash; News</title><link>https://n.example/</link>"#
        for i in 0..<items {
            text += "<item><title>Story \(i): 1 < 2 &amp; Q&A&nbsp;today \u{1}</title><guid>g\(i)</guid>"
            text += "<link>/s/\(i)?a=1&b=2</link><description>Some text &hellip; "
            text += String(repeating: "more words here ", count: 20) + "</description></item>\n"
        }
        return Array((text + "</channel></rss>").utf8)
    }

    @Test("the mended document is handed on in pieces: stretches of the input itself, and short replacements between them")
    func piecesPointIntoTheInput() throws {
        let text = "  \n<?xml version=\"1.0\"?><rss><channel><title>AT&T &mdash; 1 < 2 \u{1} &foo; &amp;</title></channel></rss>"
        let bytes = Array(text.utf8)
        var pieces: [[UInt8]] = []
        var copies = 0
        bytes.withUnsafeBufferPointer { input in
            var prepass = XMLPrepass(input)
            #expect(prepass.start == 3 && prepass.skippedLines == 1)
            let range = UnsafeRawPointer(input.baseAddress!)..<UnsafeRawPointer(input.baseAddress! + input.count)
            prepass.run(input) { piece in
                let inside = range.contains(UnsafeRawPointer(piece.baseAddress!))
                    && UnsafeRawPointer(piece.baseAddress! + piece.count) <= range.upperBound
                if !inside {
                    copies += 1
                    #expect(piece.count <= 8, "a piece of \(piece.count) bytes is not from the input")
                }
                pieces.append(Array(piece))
            }
            #expect(prepass.bareAmpersands == 1 && prepass.unknownEntities == 1 && prepass.htmlEntities == 1 && prepass.bareLess == 1 && prepass.badCharacters == 1)
        }
        let mended = String(decoding: pieces.flatMap { $0 }, as: UTF8.self)
        #expect(mended == "<?xml version=\"1.0\"?><rss><channel><title>AT&amp;T &#8212; 1 &lt; 2 \u{FFFD} &amp;foo; &amp;</title></channel></rss>")
        #expect(copies == 5)
        // Nothing to mend: the document is one piece, the input itself.
        let clean = Array("<rss><channel><title>fine</title></channel></rss>".utf8)
        clean.withUnsafeBufferPointer { input in
            var prepass = XMLPrepass(input)
            var seen: [UnsafeBufferPointer<UInt8>] = []
            prepass.run(input) { seen.append($0) }
            #expect(seen.count == 1 && seen[0].baseAddress == input.baseAddress && seen[0].count == input.count)
        }
    }

    @Test("any chunk size gives the same document: items, notes, problems and where it broke", arguments: [1, 2, 3, 7, 64, 4096])
    func chunkSizes(_ chunk: Int) throws {
        var inputs: [(String, [UInt8])] = try [
            "rss2-full.xml", "rss091.xml", "rdf10-full.xml", "atom10-full.xml", "atom03.xml",
        ].map { ($0, try fixture($0)) }
        inputs.append(("mended", Self.mendedFeed(items: 30)))
        var broken = Self.mendedFeed(items: 30)
        broken.removeLast(broken.count / 3)
        inputs.append(("broken", broken))
        inputs.append(("doctype", Array(#"""
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY who "the team"> ]>
            <rss version="2.0"><channel><title>T</title><item><title>By &who; &amp; AT&T &mdash; &foo;</title><guid>1</guid>
            <description><![CDATA[a & b < c]]></description></item><!-- & < --></channel></rss>
            """#.utf8)))
        for (name, bytes) in inputs {
            let reference = try FeedParser.parse(bytes: bytes, baseURL: "file:///f/\(name)", readTime: readTime)
            let chunked = try bytes.withUnsafeBufferPointer { b in
                try FeedParser.parse(bytes: b, baseURL: "file:///f/\(name)", name: nil, readTime: readTime, limits: FeedLimits(),
                                     format: nil, sink: nil, chunkSize: chunk)
            }
            #expect(!reference.items.isEmpty, "\(name)")
            #expect(chunked.items == reference.items, "\(name)")
            #expect(chunked.notes == reference.notes, "\(name)")
            #expect(chunked.problems == reference.problems, "\(name)")
            #expect(chunked.brokenAt == reference.brokenAt, "\(name)")
        }
    }

    @Test("a file is read into one buffer of its size: no second, larger one grown to find its end")
    func readOnce() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("newsfeeds-once-\(getpid()).xml").path
        defer { unlink(path) }
        let bytes = Self.mendedFeed(items: 2_000)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let read = try FeedFile.read(path: path)
        #expect(read == bytes)
        // Grown to find the end, the buffer would have doubled (and been copied).
        #expect(read.capacity < bytes.count + 64 << 10, "capacity \(read.capacity) for \(bytes.count) bytes")
    }
}

