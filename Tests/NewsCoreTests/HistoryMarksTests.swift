import DequeModule
import NewsCore
import Testing

private func item(_ id: String, _ title: String = "title", source: String = "feed") -> Headline {
    Headline(id: id, source: source, title: title, published: Timestamp(milliseconds: 0))
}

private func arrival(_ id: String, _ title: String = "title", marks: HeadlineMarks = [], isUpdate: Bool = false, source: String = "feed") -> Arrival {
    Arrival(offset: 0, headline: item(id, title, source: source), isUpdate: isUpdate, marks: marks)
}

/// The unread count as it should be: every held headline looked at.
private func countedUnread(_ history: History) -> Int {
    (history.firstSeq..<history.nextSeq).count { !history.marks($0).contains(.read) }
}

@Suite("History: the reader's marks and the unread count")
struct HistoryMarksTests {
    @Test("Arrivals bring their marks from the store; plain headlines have none; the unread count follows")
    func marksOnAppend() {
        let history = History(capacity: 100, chunkSize: 4)
        history.append(contentsOf: [arrival("a", marks: .read), arrival("b"), arrival("c", marks: [.read, .starred]), arrival("d", marks: .starred)])
        history.append(contentsOf: [item("e"), item("f")])
        #expect(history.marks(0) == .read && history.marks(1) == [] && history.marks(2) == [.read, .starred] && history.marks(3) == .starred)
        #expect(history.marks(4) == [] && history.marks(5) == [])
        #expect(history.unreadCount == 4)
        #expect(history.unreadCount == countedUnread(history))
        #expect(history.isUnread(1) && !history.isUnread(2))
        #expect(history.key(2) == HeadlineKey(source: "feed", id: "c"))
    }

    @Test("setMarks changes the marks and keeps the count exact; setting the same twice counts once")
    func setMarks() {
        let history = History(capacity: 100, chunkSize: 3)
        history.append(contentsOf: (0..<7).map { arrival("i\($0)") })
        #expect(history.unreadCount == 7)
        history.setMarks(2, .read)
        history.setMarks(2, .read)
        #expect(history.unreadCount == 6)
        history.setMarks(2, .starred, on: true)
        #expect(history.marks(2) == [.read, .starred] && history.unreadCount == 6)
        history.setMarks(2, .read, on: false)
        #expect(history.marks(2) == .starred && history.unreadCount == 7)
        history.setMarks(5, [.read, .starred])
        history.setMarks(6, .starred)
        #expect(history.unreadCount == 6 && history.unreadCount == countedUnread(history))
    }

    @Test("Eviction takes the evicted unread headlines out of the count, mid-chunk and whole chunks")
    func eviction() {
        let history = History(capacity: 10, chunkSize: 4)
        // Every third one read.
        history.append(contentsOf: (0..<10).map { arrival("i\($0)", marks: $0 % 3 == 0 ? .read : []) })
        #expect(history.unreadCount == 6)
        for batch in [1, 2, 5, 3, 11] {
            let start = history.nextSeq
            history.append(contentsOf: (start..<start + batch).map { arrival("i\($0)", marks: $0 % 3 == 0 ? .read : []) })
            #expect(history.count == 10)
            #expect(history.unreadCount == countedUnread(history), "after a batch of \(batch)")
        }
        // Marks on held headlines survive the eviction of others.
        history.setMarks(history.nextSeq - 1, .starred, on: true)
        history.append(contentsOf: [arrival("x")])
        #expect(history.marks(history.nextSeq - 2).contains(.starred))
        #expect(history.unreadCount == countedUnread(history))
        history.removeAll()
        #expect(history.unreadCount == 0)
    }

    @Test("An update keeps the held marks, with the arrival's added; an update of nothing held is appended with its own")
    func replace() {
        let history = History(capacity: 100, chunkSize: 4)
        history.append(contentsOf: (0..<6).map { arrival("i\($0)") })
        history.setMarks(1, .starred)
        history.setMarks(2, .read)
        let replaced = history.append(contentsOf: [
            arrival("i1", "new one", marks: .read, isUpdate: true),
            arrival("i2", "new two", isUpdate: true),
            arrival("i3", "new three", isUpdate: true),
            arrival("gone", "appended", marks: .starred, isUpdate: true),
        ])
        #expect(replaced.map(\.seq) == [1, 2, 3])
        #expect(history.title(1) == "new one" && history.marks(1) == [.read, .starred])
        #expect(history.marks(2) == .read, "the reader's read mark stays on an update that has none")
        #expect(history.marks(3) == [])
        #expect(history.marks(6) == .starred && history.title(6) == "appended")
        #expect(history.unreadCount == 5 && history.unreadCount == countedUnread(history))
    }

    @Test("The marks filter: unread only, starred only, both, with a query; refine and matches agree with filter")
    func marksFilter() {
        let history = History(capacity: 1000, chunkSize: 8)
        let marks: [HeadlineMarks] = [[], .read, .starred, [.read, .starred]]
        history.append(contentsOf: (0..<40).map { arrival("i\($0)", $0 % 2 == 0 ? "goal \($0)" : "other \($0)", marks: marks[$0 % 4]) })
        let all = Array(0..<40)
        let goal = Query(lenient: "goal")
        for filter in [MarksFilter.any, MarksFilter(unreadOnly: true), MarksFilter(starredOnly: true), MarksFilter(unreadOnly: true, starredOnly: true)] {
            for query in [Query.all, goal] {
                let expected = all.filter { seq in
                    (!filter.unreadOnly || !history.marks(seq).contains(.read)) && (!filter.starredOnly || history.marks(seq).contains(.starred))
                        && (query.matchesEverything || history.title(seq).hasPrefix("goal"))
                }
                #expect(history.filter(query, marks: filter) == expected, "\(filter) \(query.text)")
                #expect(history.refine(all, by: query, marks: filter) == expected)
                #expect(all.filter { history.matches($0, query, marks: filter) } == expected)
                #expect(history.filter(query, from: 20, marks: filter) == expected.filter { $0 >= 20 })
            }
        }
        // Only goal (even seqs) + unread: seq % 4 == 0 (marks []) and seq % 4 == 2 (starred).
        #expect(history.filter(goal, marks: MarksFilter(unreadOnly: true)) == all.filter { $0 % 2 == 0 })
        #expect(history.filter(.all, marks: MarksFilter(unreadOnly: true, starredOnly: true)) == all.filter { $0 % 4 == 2 })
    }

    @Test("A view with a marks filter: new arrivals filtered by their marks; a row marked since stays until the filter changes")
    func filteredView() {
        let history = History(capacity: 1000, chunkSize: 8)
        history.append(contentsOf: (0..<10).map { arrival("i\($0)", marks: $0 < 4 ? .read : []) })
        var view = FilteredView(marks: MarksFilter(unreadOnly: true), history: history)
        #expect(Array(view.matches) == Array(4..<10))
        history.append(contentsOf: [arrival("n1"), arrival("n2", marks: .read)])
        view.update(from: history)
        #expect(Array(view.matches) == Array(4..<11))
        history.setMarks(5, .read)
        view.update(from: history)
        #expect(view.matches.contains(5), "marked read while listed: it stays")
        view.setQuery(.all, marks: MarksFilter(unreadOnly: true), history: history)
        #expect(view.matches.contains(5), "the same filter again changes nothing")
        view.setQuery(.all, marks: .any, history: history)
        #expect(view.count == 12)
        view.setQuery(.all, marks: MarksFilter(unreadOnly: true), history: history)
        #expect(view.lastChange == .narrowed)
        #expect(!view.matches.contains(5) && view.count == 6)
    }
}
