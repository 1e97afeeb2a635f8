import NewsCore
import Testing

/// A source whose errors say it paces its own retries is asked again at once, without the
/// merge's backoff; other errors wait for it.
@Suite("Merge: self-paced source errors")
struct MergeSelfPacedTests {
    struct Paced: SelfPacedSourceError, CustomStringConvertible { var description: String { "paced" } }
    struct Plain: Error {}

    /// Fails twice with `error`, then sends one headline and ends.
    struct Flaky<E: Error & Sendable>: HeadlineSource {
        let name = "flaky"
        let error: E
        var timing: SourceTiming { .live }
        func makeAsyncIterator() -> Iterator { Iterator(error: error) }
        struct Iterator: AsyncIteratorProtocol {
            let error: E
            var calls = 0
            mutating func next() async throws -> [Arrival]? {
                calls += 1
                if calls <= 2 { throw error }
                if calls == 3 {
                    return [Arrival(offset: 0, headline: Headline(id: "x", source: "flaky", title: "after", published: Timestamp(milliseconds: 0)))]
                }
                return nil
            }
        }
    }

    /// The delays the merge reported for each failure, with a restart policy whose sleep records them.
    func delays<E: Error & Sendable>(_ error: E) async throws -> [Duration] {
        let slept = Protected<[Duration]>([])
        let policy = RestartPolicy(initial: .seconds(1), maximum: .seconds(8), sleep: { d in slept.withLock { $0.append(d) } })
        var reported: [Duration] = []
        try await withMergedFeed(sources: [Flaky(error: error)], clock: ContinuousClock(), options: MergeOptions(restart: policy)) { feed in
            for try await event in feed {
                if case .sourceRestarting(_, _, let delay) = event { reported.append(delay) }
            }
        }
        #expect(slept.withLock { $0 } == (E.self == Paced.self ? [] : reported))
        return reported
    }

    @Test("a self-paced error is retried at once (delay 0, no sleep); another waits 1 s, then 2 s")
    func pacedOrNot() async throws {
        #expect(try await delays(Paced()) == [.zero, .zero])
        #expect(try await delays(Plain()) == [.seconds(1), .seconds(2)])
    }
}
