/// A query compiled against one history: source prefixes resolved to a table over its
/// interned source numbers; a ``MarksFilter`` other than `.any` is one more condition,
/// checked first (a byte per headline: cheaper than any title search it spares).
struct Plan {
    indirect enum Node {
        case all
        case term([UInt8])
        case sources([Bool])
        case not(Node)
        case and([Node])
        case or([Node])
        case marks(MarksFilter)
    }

    let root: Node

    init(_ node: QueryNode, sources: Interner, marks: MarksFilter = .any) {
        func compile(_ node: QueryNode) -> Node {
            switch node {
            case .all: return .all
            case .term(let t): return t.folded.isEmpty ? .all : .term(t.folded)
            case .source(let prefix, _):
                return .sources(sources.names.map { CaseFolding.fold($0).starts(with: prefix) })
            case .not(let x): return .not(compile(x))
            case .and(let xs): return .and(xs.map(compile))
            case .or(let xs): return .or(xs.map(compile))
            }
        }
        let compiled = compile(node)
        if marks.isAny {
            root = compiled
        } else if case .all = compiled {
            root = .marks(marks)
        } else {
            root = .and([.marks(marks), compiled])
        }
    }

    /// The entries of `chunk` in `entries` that match, as a bitset indexed from
    /// `entries.lowerBound`.
    func evaluate(_ chunk: History.Columns, entries: Range<Int>) -> Bitset { evaluate(root, chunk, entries) }

    private func evaluate(_ node: Node, _ chunk: History.Columns, _ entries: Range<Int>) -> Bitset {
        let n = entries.count
        switch node {
        case .all:
            return Bitset(count: n, filled: true)
        case .term(let needle):
            return search(needle, in: chunk, entries)
        case .sources(let table):
            var bits = Bitset(count: n, filled: false)
            for i in entries {
                let s = Int(chunk.source[i])
                if s < table.count && table[s] { bits.insert(i - entries.lowerBound) }
            }
            return bits
        case .not(let x):
            var bits = evaluate(x, chunk, entries)
            bits.invert()
            return bits
        case .and(let xs):
            var bits = evaluate(xs[0], chunk, entries)
            for x in xs.dropFirst() {
                // Few candidates left: check them one by one rather than scanning the range.
                if bits.population * 8 < n {
                    var narrowed = Bitset(count: n, filled: false)
                    bits.forEachSet { i in if matches(x, chunk, entries.lowerBound + i) { narrowed.insert(i) } }
                    bits = narrowed
                } else {
                    bits.formIntersection(evaluate(x, chunk, entries))
                }
            }
            return bits
        case .or(let xs):
            var bits = evaluate(xs[0], chunk, entries)
            for x in xs.dropFirst() { bits.formUnion(evaluate(x, chunk, entries)) }
            return bits
        case .marks(let filter):
            var bits = Bitset(count: n, filled: false)
            for i in entries where filter.accepts(chunk.marks[i]) { bits.insert(i - entries.lowerBound) }
            return bits
        }
    }

    /// One pass of ``ByteSearch`` over the folded titles of `entries`: after a hit, the
    /// search resumes at the next title, so each matching title costs one call.
    private func search(_ needle: [UInt8], in chunk: History.Columns, _ entries: Range<Int>) -> Bitset {
        var bits = Bitset(count: entries.count, filled: false)
        guard !entries.isEmpty else { return bits }
        chunk.lower.withUnsafeBufferPointer { hay in
            chunk.ends.withUnsafeBufferPointer { ends in
                needle.withUnsafeBufferPointer { pin in
                    guard let base = hay.baseAddress else { return }
                    let raw = UnsafeRawPointer(base)
                    let total = Int(ends[entries.upperBound - 1]), length = pin.count
                    var from = chunk.start(entries.lowerBound)
                    var entry = entries.lowerBound
                    while let position = ByteSearch.find(pin, in: raw, from: from, to: total) {
                        while Int(ends[entry]) <= position { entry += 1 }
                        let end = Int(ends[entry])
                        if position + length <= end { bits.insert(entry - entries.lowerBound) }  // else it spans two titles
                        from = end
                        entry += 1
                        if entry == entries.upperBound { break }
                    }
                }
            }
        }
        return bits
    }

    func matches(_ chunk: History.Columns, _ i: Int) -> Bool { matches(root, chunk, i) }

    private func matches(_ node: Node, _ chunk: History.Columns, _ i: Int) -> Bool {
        switch node {
        case .all: return true
        case .term(let needle):
            return chunk.lower.withUnsafeBufferPointer { hay in
                QueryNode.contains(UnsafeBufferPointer(rebasing: hay[chunk.start(i)..<Int(chunk.ends[i])]), needle)
            }
        case .sources(let table):
            let s = Int(chunk.source[i])
            return s < table.count && table[s]
        case .not(let x): return !matches(x, chunk, i)
        case .and(let xs): return xs.allSatisfy { matches($0, chunk, i) }
        case .or(let xs): return xs.contains { matches($0, chunk, i) }
        case .marks(let filter): return filter.accepts(chunk.marks[i])
        }
    }
}
