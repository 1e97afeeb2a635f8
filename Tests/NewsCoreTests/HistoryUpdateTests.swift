@testable import NewsCore
import Testing

private func item(_ id: String, _ title: String, source: String = "feed", at ms: Int64 = 0, url: String? = nil) -> Headline {
    Headline(id: id, source: source, title: title, published: Timestamp(milliseconds: ms), url: url)
}

private func update(_ headline: Headline) -> Arrival { Arrival(offset: 0, headline: headline, isUpdate: true) }
private func plain(_ headline: Headline) -> Arrival { Arrival(offset: 0, headline: headline) }

private func titles(_ history: History) -> [String] { (history.firstSeq..<history.nextSeq).map { history.title($0) } }

@Suite("History: updates replace in place")
struct HistoryUpdateTests {
    @Test("An update replaces the title of the same source and id under its seq; the titles after it in the chunk stay whole")
    func replaceInPlace() throws {
        let history = History(capacity: 100, chunkSize: 4)
        history.append(contentsOf: (0..<10).map { plain(item("i\($0)", "title \($0)", at: Int64($0))) })
        let replaced = history.append(contentsOf: [update(item("i5", "title 5, now much longer than before", at: 50, url: "https://x.test/5"))])
        #expect(replaced == [History.Replacement(index: 0, seq: 5)])
        #expect(history.count == 10 && history.nextSeq == 10 && history.replaced == 1)
        var expected = (0..<10).map { "title \($0)" }
        expected[5] = "title 5, now much longer than before"
        #expect(titles(history) == expected)
        #expect(history.headline(5).url == "https://x.test/5")
        #expect(history.published(5) == Timestamp(milliseconds: 50))
        // Shorter again: the next title in the chunk (6, 7) moves back.
        history.append(contentsOf: [update(item("i5", "5"))])
        expected[5] = "5"
        #expect(titles(history) == expected)
        #expect(history.headline(5).url == nil)
        // The filter sees the new title, not the old one.
        #expect(history.filter(try Query.parse("longer")) == [])
        #expect(history.filter(try Query.parse("title")) == [0, 1, 2, 3, 4, 6, 7, 8, 9])
        #expect(history.matches(5, try Query.parse("5")))
    }

    @Test("Only an arrival marked as an update replaces: the same id again unmarked is a new row, as before")
    func onlyMarkedUpdates() {
        let history = History(capacity: 100, chunkSize: 8)
        history.append(contentsOf: [plain(item("a", "One"))])
        history.append(contentsOf: [plain(item("a", "One again"))])
        #expect(titles(history) == ["One", "One again"])
        // An update replaces the newest of the two.
        history.append(contentsOf: [update(item("a", "Edited"))])
        #expect(titles(history) == ["One", "Edited"])
    }

    @Test("The same id from another source is another item: appended")
    func otherSource() {
        let history = History(capacity: 100, chunkSize: 8)
        history.append(contentsOf: [plain(item("a", "One", source: "left"))])
        let replaced = history.append(contentsOf: [update(item("a", "Other", source: "right"))])
        #expect(replaced.isEmpty)
        #expect(titles(history) == ["One", "Other"])
        #expect(history.source(1) == "right")
    }

    @Test("An update of an evicted item is appended as a new one; the history stays within its capacity")
    func evictedIsNew() {
        let history = History(capacity: 5, chunkSize: 2)
        history.append(contentsOf: (0..<10).map { plain(item("i\($0)", "t\($0)")) })
        #expect(history.firstSeq == 5)
        let replaced = history.append(contentsOf: [update(item("i2", "t2 edited")), update(item("i7", "t7 edited"))])
        #expect(replaced == [History.Replacement(index: 1, seq: 7)])
        #expect(history.count == 5 && history.nextSeq == 11)
        #expect(titles(history) == ["t6", "t7 edited", "t8", "t9", "t2 edited"])
    }

    @Test("An update of an item earlier in the same batch replaces it; plain headlines around it keep their order")
    func withinOneBatch() {
        let history = History(capacity: 100, chunkSize: 3)
        let replaced = history.append(contentsOf: [
            plain(item("a", "A")), plain(item("b", "B")), update(item("a", "A2")), plain(item("c", "C")), update(item("c", "C2")),
        ])
        #expect(replaced == [History.Replacement(index: 2, seq: 0), History.Replacement(index: 4, seq: 2)])
        #expect(titles(history) == ["A2", "B", "C2"])
    }

    @Test("Random appends and updates agree with a plain model of rows (titles, fields, filter results)")
    func agreesWithAModel() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let words = ["goal", "cup", "Zürich", "東京", "rate cut", "x", "", "a much longer title with several words"]
        for chunkSize in [1, 3, 8] {
            let capacity = 20
            let history = History(capacity: capacity, chunkSize: chunkSize)
            var model: [(source: String, id: String, title: String)] = []  // by seq
            for _ in 0..<300 {
                var batch: [Arrival] = []
                for _ in 0..<(1 + random(5)) {
                    let source = ["s1", "s2"][random(2)]
                    let id = "id\(random(30))"
                    let title = words[random(words.count)] + " \(random(100))"
                    batch.append(Arrival(offset: 0, headline: item(id, title, source: source), isUpdate: random(2) == 0))
                }
                history.append(contentsOf: batch)
                for arrival in batch {
                    let h = arrival.headline
                    let first = max(0, model.count - capacity)
                    if arrival.isUpdate, let i = model.indices.last(where: { $0 >= first && model[$0].source == h.source && model[$0].id == h.id }) {
                        model[i].title = h.title
                    } else {
                        model.append((h.source, h.id, h.title))
                    }
                }
                let first = max(0, model.count - capacity)
                #expect(history.firstSeq == first && history.nextSeq == model.count)
                #expect(titles(history) == model[first...].map(\.title))
                #expect((first..<model.count).map { history.id($0) } == model[first...].map(\.id))
            }
            let query = try Query.parse("goal | 東京")
            let first = max(0, model.count - capacity)
            let expected = (first..<model.count).filter { naiveMatch(query.root, title: model[$0].title, source: model[$0].source) }
            #expect(history.filter(query) == expected)
        }
    }

    @Test("The filtered view rechecks replaced rows: one that stops matching leaves, one that starts matching comes in place")
    func filteredViewRecheck() throws {
        let history = History(capacity: 100, chunkSize: 4)
        history.append(contentsOf: (0..<6).map { plain(item("i\($0)", $0 % 2 == 0 ? "goal \($0)" : "miss \($0)")) })
        var view = FilteredView(query: try Query.parse("goal"), history: history)
        #expect(Array(view.matches) == [0, 2, 4])
        let replaced = history.append(contentsOf: [update(item("i2", "miss 2")), update(item("i3", "goal 3")), plain(item("i6", "goal 6"))])
        view.recheck(replaced.map(\.seq), in: history)
        view.update(from: history)
        #expect(Array(view.matches) == [0, 3, 4, 6])
        #expect(Array(view.matches) == history.filter(view.query))
    }

    @Test("A recording keeps the update mark: written as \"update\":true, read back; plain arrivals have no such field")
    func recordedMark() throws {
        var out: [UInt8] = []
        RecordingEvent.append(update(item("a", "Edited")), to: &out)
        RecordingEvent.append(plain(item("b", "New")), to: &out)
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines[0].contains("\"update\":true") && !lines[1].contains("update"))
        let parsed = try lines.map { line in
            try Array(line.utf8).withUnsafeBufferPointer { try RecordingEvent.parse($0, started: Timestamp(milliseconds: 0), line: 1) }
        }
        #expect(parsed.map(\.isUpdate) == [true, false])
        #expect(parsed.map(\.headline.title) == ["Edited", "New"])
        let falseMark = Array("{\"offset\":1,\"update\":false,\"source\":\"s\",\"title\":\"t\"}".utf8)
        #expect(try falseMark.withUnsafeBufferPointer { try RecordingEvent.parse($0, started: Timestamp(milliseconds: 0), line: 1) }.isUpdate == false)
        let bad = Array("{\"offset\":1,\"update\":\"yes\",\"source\":\"s\",\"title\":\"t\"}".utf8)
        #expect(throws: JSONError.self) { try bad.withUnsafeBufferPointer { try RecordingEvent.parse($0, started: Timestamp(milliseconds: 0), line: 1) } }
    }
}
