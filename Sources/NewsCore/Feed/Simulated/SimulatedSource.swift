/// A simulated live source: realistic headlines of one category at random gaps.
///
/// Everything it yields follows from `seed` and the source name: the same titles,
/// outlets and gaps on every run and machine. It is an unending schedule unless
/// `limit` is set.
public struct SimulatedSource: HeadlineSource {
    public typealias Element = [Arrival]
    public typealias Failure = any Error

    /// The rates of the seed exercise this product grew from: tech every 1-3 s,
    /// sports every 2-4 s, world every 1.5-3.5 s.
    public static let defaultGaps: [String: GapRange] = [
        "tech": GapRange(milliseconds: 1000...3000),
        "sports": GapRange(milliseconds: 2000...4000),
        "world": GapRange(milliseconds: 1500...3500),
    ]
    /// The simulated sources in their display order.
    public static let defaultNames = ["tech", "sports", "world"]

    public let name: String
    public let gaps: GapRange
    public let seed: UInt64
    /// Publication time of offset 0 (the feed's start, in wall-clock time).
    public let start: Timestamp
    public let limit: Int?
    public let batchSize: Int
    /// Put in every id after the source's name (`tech-TAG-5`): a run that stores the
    /// simulated sources tags them with its seed and start, so that two runs' ids differ.
    public let idTag: String?
    private let generator: HeadlineGenerator

    public init(
        name: String, vocabulary: Vocabulary, seed: UInt64, start: Timestamp,
        gaps: GapRange? = nil, limit: Int? = nil, batchSize: Int = 256, idTag: String? = nil
    ) throws {
        self.idTag = idTag
        self.name = name
        self.gaps = gaps ?? Self.defaultGaps[name] ?? GapRange(milliseconds: 1000...3000)
        self.seed = seed
        self.start = start
        self.limit = limit
        self.batchSize = Swift.max(1, batchSize)
        self.generator = try HeadlineGenerator(
            category: name, vocabulary: vocabulary, random: SeededRandom(seed: seed, stream: "titles/" + name))
    }

    /// The three default sources (tech, sports, world) for one seed.
    public static func defaults(
        vocabulary: Vocabulary, seed: UInt64, start: Timestamp, limit: Int? = nil
    ) throws -> [SimulatedSource] {
        try defaultNames.map { try SimulatedSource(name: $0, vocabulary: vocabulary, seed: seed, start: start, limit: limit) }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(source: self)
    }

    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = [Arrival]
        public typealias Failure = any Error
        private let source: SimulatedSource
        private var generator: HeadlineGenerator
        // Gaps come from their own stream, so the timeline does not depend on the titles.
        private var gapRandom: SeededRandom
        private var offset: Int64 = 0
        private var produced = 0
        private let idPrefix: IDMaker

        init(source: SimulatedSource) {
            self.source = source
            self.generator = source.generator
            self.gapRandom = SeededRandom(seed: source.seed, stream: "gaps/" + source.name)
            self.idPrefix = IDMaker(prefix: source.name + "-" + (source.idTag.map { $0 + "-" } ?? ""))
        }

        public mutating func next() async throws -> [Arrival]? {
            try Task.checkCancellation()
            var count = source.batchSize
            if let limit = source.limit { count = Swift.min(count, limit - produced) }
            guard count > 0 else { return nil }
            var batch: [Arrival] = []
            batch.reserveCapacity(count)
            for _ in 0..<count {
                offset += Int64(gapRandom.uniform(source.gaps.milliseconds))
                produced += 1
                let (title, outlet) = generator.next()
                let headline = Headline(
                    id: idPrefix.id(produced), source: source.name, title: title,
                    published: source.start.adding(milliseconds: offset), outlet: outlet)
                batch.append(Arrival(offset: offset, headline: headline))
            }
            return batch
        }
    }
}

/// Makes ids like `tech-1234` without string interpolation (a hot path at --speed max).
struct IDMaker: Sendable {
    let prefix: [UInt8]
    init(prefix: String) { self.prefix = Array(prefix.utf8) }

    func id(_ number: Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: prefix.count + 20) { buffer in
            var n = 0
            for byte in prefix { buffer[n] = byte; n += 1 }
            var digits = 0
            var v = number
            repeat { digits += 1; v /= 10 } while v > 0
            v = number
            for k in stride(from: n + digits - 1, through: n, by: -1) {
                buffer[k] = UInt8(0x30 + v % 10)
                v /= 10
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<(n + digits)]), as: UTF8.self)
        }
    }
}
