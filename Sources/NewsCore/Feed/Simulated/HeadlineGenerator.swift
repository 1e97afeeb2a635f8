/// Writes realistic, varied headlines for one category from the ``Vocabulary``,
/// deterministically from a seed.
///
/// About one headline in ten is marked as breaking news or as an update
/// (`Breaking: ` 6 %, `Update: ` 4 %), unless its template starts with a label of its own
/// (`Live: `): two labels in a row do not read as news. Verbs written `{is|are}` agree
/// with the entry before them (entries marked `[plural]` in their list).
///
/// This is the hot path of every simulated source (a few hundred nanoseconds per
/// headline): the vocabulary is read through raw pointers into one immutable block
/// (``Vocabulary/Packed``) and the title is assembled in a stack buffer, so that making a
/// headline costs one allocation (its title) and no reference counting.
public struct HeadlineGenerator: Sendable {
    public let category: String
    private let packed: Vocabulary.Packed
    private let templates: [Range<Int>]
    /// Parallel to `templates`: starts with a label, so gets no prefix.
    private let labelled: [Bool]
    private let outlets: [String]
    private var random: SeededRandom

    /// Titles longer than this are cut (templates are far shorter).
    static let maxTitleBytes = 1024
    static let maxPicks = 16
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
        self.packed = vocabulary.packed
        self.templates = entry.spans
        self.labelled = entry.templates.map(\.labelled)
        self.outlets = entry.outlets
        self.random = random
    }

    /// The next title and an outlet name (nil if the category has no outlets).
    public mutating func next() -> (title: String, outlet: String?) {
        let title = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maxTitleBytes) { buffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: Self.maxPicks) { picks in
                String(decoding: UnsafeBufferPointer(rebasing: buffer[..<write(into: buffer, picks: picks)]), as: UTF8.self)
            }
        }
        let outlet = outlets.isEmpty ? nil : outlets[random.index(below: outlets.count)]
        return (title, outlet)
    }

    /// Writes one title into `buffer`; returns its length in bytes.
    private mutating func write(into buffer: UnsafeMutableBufferPointer<UInt8>, picks: UnsafeMutableBufferPointer<Int>) -> Int {
        var length = 0
        func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            let n = min(bytes.count, buffer.count - length)
            guard n > 0, let from = bytes.baseAddress else { return }
            (buffer.baseAddress! + length).update(from: from, count: n)
            length += n
        }
        // The roll comes first and the template second, as before labels were known: the
        // same seed still gives the same headlines.
        let roll = random.uniform(0...99)
        let chosen = random.index(below: templates.count)
        if !labelled[chosen] {
            if roll < 6 {
                Self.breaking.withUnsafeBufferPointer { append($0) }
            } else if roll < 10 {
                Self.update.withUnsafeBufferPointer { append($0) }
            }
        }
        let prefixLength = length
        let template = templates[chosen]
        var pickCount = 0
        var lastPlural = false
        let text = packed.text, entries = packed.entries, lists = packed.listSpans, plural = packed.plural
        for segment in packed.segments[template] {
            switch segment {
            case .literal(let range):
                append(UnsafeBufferPointer(rebasing: text[range]))
            case .integer(let range):
                DecimalDigits.with(UInt64(random.uniform(range))) { append($0) }
            case .slot(let list, let pick):
                let span = lists[list]
                var index = random.index(below: span.count)
                if pick > 0 {
                    // Differ from the earlier picks of this list in this headline.
                    // Lists are validated to hold more entries than picks, so this ends.
                    while picks[..<pickCount].contains(list << 20 | index) { index = random.index(below: span.count) }
                }
                if pickCount < picks.count {
                    picks[pickCount] = list << 20 | index
                    pickCount += 1
                }
                append(UnsafeBufferPointer(rebasing: text[entries[span.lowerBound + index]]))
                lastPlural = plural[span.lowerBound + index]
            case .agree(let singular, let pluralForm):
                append(UnsafeBufferPointer(rebasing: text[lastPlural ? pluralForm : singular]))
            }
        }
        // Sentence case: the first letter after any prefix is a capital.
        if length > prefixLength, (0x61...0x7A).contains(buffer[prefixLength]) {
            buffer[prefixLength] -= 0x20
        }
        return length
    }
}
