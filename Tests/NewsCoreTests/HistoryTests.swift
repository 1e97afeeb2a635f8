@testable import NewsCore
import PropertyBased
import Testing

/// A deliberately naive evaluator: Swift's own lowercased() and contains() per title,
/// walking the parsed query. The history's chunked byte scans must agree with it.
func naiveMatch(_ node: QueryNode, title: String, source: String) -> Bool {
    switch node {
    case .all: return true
    case .term(let t): return title.lowercased().contains(t.text.lowercased())
    case .source(_, let text): return source.lowercased().hasPrefix(text.lowercased())
    case .not(let x): return !naiveMatch(x, title: title, source: source)
    case .and(let xs): return xs.allSatisfy { naiveMatch($0, title: title, source: source) }
    case .or(let xs): return xs.contains { naiveMatch($0, title: title, source: source) }
    }
}

let titleWords = ["Late", "goal", "in", "the", "final", "Zürich", "東京", "cup", "GOAL", "rate", "cut", "news",
                  "🚀", "goalkeeper", "ÜBER", "über", "al", "x", "Fin"]
let queryTokens = ["goal", "go", "al", "fin", "final", "zür", "ZÜRICH", "東京", "cup", "|", "OR", "-", "-goal",
                   "(", ")", "\"late goal", "\"cup\"", "source:te", "src:sports", "-source:world", "x", "über", "-(cup"]
let sourceNames = ["tech", "sports", "world"]

/// A history of the given titles, appended in batches of varied sizes (so that batches
/// cross chunk boundaries).
func makeHistory(_ titles: [[String]], sources: [Int], capacity: Int, chunkSize: Int) -> (History, [Headline]) {
    let history = History(capacity: capacity, chunkSize: chunkSize)
    var all: [Headline] = []
    for (i, words) in titles.enumerated() {
        all.append(Headline(id: "h\(i)", source: sourceNames[sources[i % max(1, sources.count)] % 3],
                            title: words.joined(separator: " "), published: Timestamp(milliseconds: Int64(i))))
    }
    var start = 0
    var size = 1
    while start < all.count {
        let end = min(all.count, start + size)
        if size == 1 { history.append(all[start]) } else { history.append(contentsOf: Array(all[start..<end])) }
        start = end
        size = size % 23 + 1
    }
    return (history, all)
}

@Suite("History", .timeLimit(.minutes(1)))
struct HistoryTests {
    @Test("keeps the newest, counts and frees what it evicts")
    func eviction() {
        let history = History(capacity: 10, chunkSize: 4)
        for i in 0..<25 {
            history.append(Headline(id: "id\(i)", source: "tech", title: "Title \(i)", published: Timestamp(milliseconds: Int64(i))))
        }
        #expect(history.count == 10)
        #expect(history.firstSeq == 15 && history.nextSeq == 25)
        #expect(history.evicted == 15)
        #expect((15..<25).map { history.title($0) } == (15..<25).map { "Title \($0)" })
        #expect(history.headline(20) == Headline(id: "id20", source: "tech", title: "Title 20", published: Timestamp(milliseconds: 20)))
        #expect(history.filter(Query(lenient: "title")) == Array(15..<25))
        #expect(history.filter(Query(lenient: "1")) == [15, 16, 17, 18, 19, 21])
        #expect(history.seq(ofID: "id3") == nil && history.seq(ofID: "id24") == 24)
        #expect(history.chunks.count <= 4)
    }

    @Test("batches that cross chunk boundaries are stored in order")
    func batchesAcrossChunks() {
        let history = History(capacity: 100, chunkSize: 8)
        let all = (0..<50).map { Headline(id: "\($0)", source: "tech", title: "Title \($0)", published: .init(milliseconds: Int64($0))) }
        history.append(contentsOf: Array(all[0..<5]))
        history.append(contentsOf: Array(all[5..<27]))
        history.append(contentsOf: Array(all[27..<50]))
        #expect((0..<50).map { history.headline($0) } == all)
        #expect(history.filter(Query(lenient: "\"title 4\"")) == [4] + Array(40..<50))
    }

    @Test("stores every field and gives it back")
    func roundTrip() {
        let history = History(capacity: 100)
        let full = Headline(id: "x-1", source: "imported", title: "Ölpreis steigt \u{1B}[31m", published: Timestamp(milliseconds: -5),
                            outlet: "Le Monde", summary: "Résumé", url: "https://example.org/a")
        let bare = Headline(id: "x-2", source: "tech", title: "", published: Timestamp(milliseconds: 1))
        history.append(full)
        history.append(bare)
        #expect(history.headline(0) == full)
        #expect(history.headline(1) == bare)
        #expect(history.sourceNames == ["imported", "tech"])
    }

    @Test("every optional field is kept past a full interner (more than 65,535 distinct values), and after eviction")
    func fieldsPastAFullInterner() {
        let n = 70_000
        let history = History(capacity: n, chunkSize: 4096)
        let all = (0..<n).map { i in
            var h = Headline(id: "\(i)", source: "s\(i)", title: "t", published: .init(milliseconds: Int64(i)))
            for field in HeadlineField.allCases where (i + field.rawValue) % 3 != 0 { h[field] = "\(field) \(i)" }
            return h
        }
        history.append(contentsOf: all)
        for i in [0, 1, 2, 65_533, 65_534, 65_535, 65_536, 69_999] { #expect(history.headline(i) == all[i], "\(i)") }
        history.append(all[7])
        #expect(history.headline(n) == all[7])
        #expect(history.headline(69_999) == all[69_999])
    }

    @Test("a match never spans two titles")
    func noMatchAcrossTitles() {
        let history = History(capacity: 10)
        history.append(Headline(id: "1", source: "t", title: "ends with go", published: .init(milliseconds: 0)))
        history.append(Headline(id: "2", source: "t", title: "al starts here", published: .init(milliseconds: 0)))
        #expect(history.filter(Query(lenient: "goal")).isEmpty)
        #expect(history.filter(Query(lenient: "\"go al\"")).isEmpty)
    }

    @Test("filtering agrees with a naive evaluator (property)")
    func filterMatchesNaive() async {
        let titles = Gen.element(of: titleWords).compactMap { $0 }.array(of: 0...6).array(of: 0...300)
        let queries = Gen.element(of: queryTokens).compactMap { $0 }.array(of: 0...5)
        let sources = Gen.int(in: 0...2).array(of: 1...5)
        await propertyCheck(count: 150, input: titles, queries, sources) { titles, tokens, sources in
            let (history, all) = makeHistory(titles, sources: sources, capacity: 1000, chunkSize: 16)
            let query = Query(lenient: tokens.joined(separator: " "))
            let expected = all.indices.filter { naiveMatch(query.root, title: all[$0].title, source: all[$0].source) }
            #expect(history.filter(query) == expected, "query: \(query.text)")
            #expect(all.indices.filter { query.matches(all[$0]) } == expected, "query: \(query.text)")
        }
    }

    @Test("narrowing the previous result gives the same as a full rescan (property)")
    func narrowingEqualsRescan() async {
        let titles = Gen.element(of: titleWords).compactMap { $0 }.array(of: 0...6).array(of: 0...400)
        let queries = Gen.element(of: queryTokens).compactMap { $0 }.array(of: 1...4)
        let typed = Gen.element(of: ["a", "l", "o", "ü", " goal", " -cup", "x", "\"", " | cup"]).compactMap { $0 }.array(of: 1...4)
        await propertyCheck(count: 150, input: titles, queries, typed) { titles, tokens, typed in
            // Capacity below the count, so eviction happens too.
            let (history, _) = makeHistory(titles, sources: [0, 1, 2], capacity: 250, chunkSize: 16)
            var text = tokens.joined(separator: " ")
            var view = FilteredView(query: Query(lenient: text), history: history)
            for piece in typed {
                text += piece
                let query = Query(lenient: text)
                view.setQuery(query, history: history)
                #expect(Array(view.matches) == history.filter(query), "query: \(text)")
            }
        }
    }

    @Test("typing one more character narrows instead of rescanning")
    func narrowingIsUsed() {
        let (history, _) = makeHistory([["goal"], ["goalkeeper"], ["go"], ["final", "goal"]], sources: [0], capacity: 100, chunkSize: 16)
        var view = FilteredView(query: Query(lenient: "go"), history: history)
        #expect(Array(view.matches) == [0, 1, 2, 3])
        view.setQuery(Query(lenient: "goa"), history: history)
        #expect(view.lastChange == .narrowed)
        #expect(Array(view.matches) == [0, 1, 3])
        view.setQuery(Query(lenient: "goa fin"), history: history)
        #expect(view.lastChange == .narrowed)
        #expect(Array(view.matches) == [3])
        view.setQuery(Query(lenient: "goa"), history: history)
        #expect(view.lastChange == .rescan)
        #expect(Array(view.matches) == [0, 1, 3])
    }

    @Test("the view follows arrivals and evictions")
    func viewUpdates() {
        let history = History(capacity: 5, chunkSize: 2)
        var view = FilteredView(query: Query(lenient: "even"), history: history)
        for i in 0..<12 {
            history.append(Headline(id: "\(i)", source: "tech", title: i % 2 == 0 ? "even \(i)" : "odd \(i)", published: .init(milliseconds: 0)))
            if i % 3 == 0 { view.update(from: history) }
        }
        view.update(from: history)
        #expect(Array(view.matches) == [8, 10])
        #expect(view.count == history.filter(view.query).count)
    }
}
