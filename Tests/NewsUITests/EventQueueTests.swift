import NewsCore
import NewsUI
import Testing

@Suite("Event queue: overload policy")
struct EventQueueTests {
    func batch(_ first: Int, _ count: Int) -> AppEvent {
        .headlines((first..<(first + count)).map { headline($0, "h\($0)") }, now: t0)
    }

    @Test("past the bound the oldest pending batches are dropped and counted; keys are never dropped")
    func dropOldest() async {
        let queue = EventQueue()
        let bound = EventQueue.maxPendingHeadlines
        queue.post(.key(.char("a")))
        for i in 0..<(bound / 1000 + 5) { queue.postBatch(batch(i * 1000, 1000)) }
        queue.post(.key(.char("b")))
        let events = await queue.take()
        let kept = events.compactMap { event -> [Arrival]? in if case .headlines(let b, _) = event { b } else { nil } }
        let total = (bound / 1000 + 5) * 1000
        let keptCount = kept.reduce(0) { $0 + $1.count }
        #expect(keptCount <= bound)
        #expect(keptCount > bound - 1000)
        // The newest are kept, in order; what went is counted.
        #expect(kept.last?.last?.headline.title == "h\(total - 1)")
        #expect(events.last.flatMap { if case .dropped(let n) = $0 { n } else { nil } } == total - keptCount)
        #expect(events.filter { if case .key = $0 { true } else { false } }.count == 2)
        // The count is reported once.
        queue.postBatch(batch(0, 10))
        let next = await queue.take()
        #expect(next.count == 1)
    }

    @Test("the view counts what was dropped and says so in the header")
    func droppedInHeader() {
        var state = makeState(count: 3)
        state.apply(.dropped(12_345))
        state.apply(.dropped(5))
        #expect(state.dropped == 12_350)
        #expect(Renderer.render(state).text.split(separator: "\n")[0].contains("12,350 dropped"))
    }
}
