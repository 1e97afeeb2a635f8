/// Writes realistic, varied headlines for one category from the ``Vocabulary``,
/// deterministically from a seed.
///
/// About one headline in ten is marked as breaking news or as an update
/// (`Breaking: ` 6 %, `Update: ` 4 %).
public struct HeadlineGenerator: Sendable {
    public let category: String
    private let vocabulary: Vocabulary
    private let templates: [Range<Int>]
    private let outlets: [String]
    private var random: SeededRandom
    private var buffer: [UInt8] = []
    private var picks: [Int] = []  // entries already picked in this headline, by (list, pick)

    private static let breaking = Array("Breaking: ".utf8)
    private static let update = Array("Update: ".utf8)

    public struct UnknownCategory: Error, CustomStringConvertible {
        public var category: String
        public var known: [String]
        public var description: String {
            "no headline templates for '\(category)' (known: \(known.joined(separator: ", ")))"
        }
    }

    public init(category: String, vocabulary: Vocabulary, random: SeededRandom) throws {
        guard let entry = vocabulary.categories[category] else {
            throw UnknownCategory(category: category, known: vocabulary.categoryNames)
        }
        self.category = category
        self.vocabulary = vocabulary
        self.templates = entry.spans
        self.outlets = entry.outlets
        self.random = random
        buffer.reserveCapacity(160)
    }

    /// The next title and an outlet name (nil if the category has no outlets).
    public mutating func next() -> (title: String, outlet: String?) {
        buffer.removeAll(keepingCapacity: true)
        let roll = random.uniform(0...99)
        if roll < 6 { buffer += Self.breaking } else if roll < 10 { buffer += Self.update }
        let prefixLength = buffer.count
        let template = templates[random.index(below: templates.count)]
        picks.removeAll(keepingCapacity: true)
        vocabulary.text.withUnsafeBufferPointer { text in
            vocabulary.entries.withUnsafeBufferPointer { entries in
                vocabulary.listSpans.withUnsafeBufferPointer { lists in
                    vocabulary.segments.withUnsafeBufferPointer { segments in
                        for segment in segments[template] {
                            switch segment {
                            case .literal(let range):
                                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[range]))
                            case .integer(let range):
                                appendDecimal(random.uniform(range))
                            case .slot(let list, let pick):
                                let span = lists[list]
                                var index = random.index(below: span.count)
                                if pick > 0 {
                                    // Differ from the earlier picks of this list in this headline.
                                    // Lists are validated to hold more entries than picks, so this ends.
                                    while picks.contains(list << 20 | index) { index = random.index(below: span.count) }
                                }
                                picks.append(list << 20 | index)
                                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[entries[span.lowerBound + index]]))
                            }
                        }
                    }
                }
            }
        }
        // Sentence case: the first letter after any prefix is a capital.
        if buffer.count > prefixLength, (0x61...0x7A).contains(buffer[prefixLength]) {
            buffer[prefixLength] -= 0x20
        }
        let outlet = outlets.isEmpty ? nil : outlets[random.index(below: outlets.count)]
        return (String(decoding: buffer, as: UTF8.self), outlet)
    }

    private mutating func appendDecimal(_ value: Int) {
        if value >= 10 { appendDecimal(value / 10) }
        buffer.append(UInt8(0x30 + value % 10))
    }
}
