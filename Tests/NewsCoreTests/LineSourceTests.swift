import Foundation
import Testing
@testable import NewsCore

@Suite("LineSource: headlines from lines of standard input")
struct LineSourceTests {
    let now = Timestamp(milliseconds: 1_800_000_000_000)

    func headline(_ line: String, number: Int = 1) -> Headline? {
        LineSource.headline(line: Array(line.utf8), number: number, source: "stdin", now: now)
    }

    @Test("Plain text is the title, dated now, with an id from its line number; a CR before the newline is dropped")
    func plain() {
        let h = headline("Hello, world\r", number: 7)
        #expect(h == Headline(id: "stdin-7", source: "stdin", title: "Hello, world", published: now))
    }

    @Test("A JSON object gives every field it has; a line naming a source is from it")
    func json() {
        let h = headline(#"{"title":"T","source":"wire","url":"https://x.example/","published":"2026-01-01T09:00:00Z","id":"i1","summary":"S","outlet":"O","extra":[1]}"#)
        #expect(h == Headline(id: "i1", source: "wire", title: "T", published: ISOTime.parse("2026-01-01T09:00:00Z")!,
                              outlet: "O", summary: "S", url: "https://x.example/"))
        let bare = headline(#"{"title":"Only a title"}"#, number: 3)
        #expect(bare == Headline(id: "stdin-3", source: "stdin", title: "Only a title", published: now))
    }

    @Test("Blank lines and objects without a title are skipped; a line that only looks like JSON is text")
    func skipped() {
        #expect(headline("") == nil)
        #expect(headline("   \t") == nil)
        #expect(headline(#"{"summary":"no title"}"#) == nil)
        #expect(headline(#"{"title":""}"#) == nil)
        #expect(headline("{not json")?.title == "{not json")
    }

    @Test("Read from a pipe: each line as it comes, the last without a newline too, then the end")
    func pipe() async throws {
        var fds: [Int32] = [0, 0]
        #expect(Foundation.pipe(&fds) == 0)
        let source = LineSource(name: "stdin", fd: fds[0], now: { Timestamp(milliseconds: 5) })
        #expect(source.timing == .live)
        let iterator = source.makeAsyncIterator()
        _ = "one\n".withCString { write(fds[1], $0, 4) }
        let first = try #require(try await iterator.next())
        #expect(first.map(\.headline.title) == ["one"])
        _ = "two\nthree".withCString { write(fds[1], $0, 9) }
        close(fds[1])
        var titles: [String] = []
        while let batch = try await iterator.next() { titles += batch.map(\.headline.title) }
        #expect(titles == ["two", "three"])
        close(fds[0])
    }
}
