/// A simulated source with a fault. Its batches are small (a few headlines), so that the
/// fault happens near the feed time it is meant to, not a batch of 256 headlines later.
public struct FaultySource: HeadlineSource {
    public typealias Element = [Arrival]
    public typealias Failure = any Error

    public let base: SimulatedSource
    public let kind: FaultKind
    public var name: String { base.name }
    public var timing: SourceTiming { kind == .flood ? .live : .scheduled }

    /// `base` should have a small `batchSize` (the app uses 1).
    public init(base: SimulatedSource, kind: FaultKind) {
        self.base = base
        self.kind = kind
    }

    public func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator(), kind: kind) }

    public struct Iterator: AsyncIteratorProtocol {
        var base: SimulatedSource.Iterator
        let kind: FaultKind
        var produced = 0
        /// Failures still to come before the source works again.
        var failuresLeft = 0

        public mutating func next() async throws -> [Arrival]? {
            switch kind {
            case .fail:
                if failuresLeft > 0 {
                    failuresLeft -= 1
                    throw SourceFault("connection refused")
                }
                if produced > 0 && produced % 20 == 0 {
                    failuresLeft = 3
                    produced += 1  // fail once per 20
                    throw SourceFault("connection reset by peer")
                }
                guard let batch = try await base.next() else { return nil }
                produced += batch.count
                return batch
            case .stall:
                if produced >= 5 {
                    // Hang like a server that stopped answering, until the feed stops.
                    while true { try await Task.sleep(for: .seconds(3600)) }
                }
                guard let batch = try await base.next() else { return nil }
                produced += batch.count
                return batch
            case .flood:
                try Task.checkCancellation()
                return try await base.next()
            }
        }
    }
}
