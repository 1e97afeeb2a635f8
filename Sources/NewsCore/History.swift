import DequeModule
import Dispatch

import CLibc
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bounded history of headlines: keeps the newest `capacity`, counts what it
/// evicted, and filters everything it holds for a query, fast.
///
/// Every headline gets a sequence number (`seq`) in arrival order; the history holds
/// `firstSeq..<nextSeq`. Storage is by column, in chunks of ``chunkSize`` headlines:
/// the titles of a chunk lie in one contiguous byte buffer, next to a case-folded copy
/// with the same byte offsets (see ``CaseFolding``) that a query searches with `memmem`,
/// one pass per term over the whole chunk instead of one call per headline. Sources
/// and outlets are interned to 16-bit numbers; summaries and URLs, rare in simulated
/// feeds, sit in a side table. Together that is about 2 bytes per title byte plus 32
/// per headline, instead of ~150 for a struct of Strings. Chunks are filtered on all
/// cores in parallel, and a whole chunk is freed once all of it has been evicted.
///
/// Not thread-safe: one owner (the app's event loop) appends and filters.
public final class History {
    public static let defaultCapacity = 100_000
    public let capacity: Int
    public let chunkSize: Int
    public private(set) var firstSeq = 0
    public private(set) var nextSeq = 0
    /// Headlines dropped because the history was full.
    public private(set) var evicted = 0
    public var count: Int { nextSeq - firstSeq }

    var chunks: Deque<Chunk> = []
    var sources = Interner()
    var outlets = Interner()
    private var averageTitleBytes = 64.0
    /// The columns of the last evicted chunk, emptied, kept to fill the next chunk:
    /// reusing their memory saves the kernel zeroing fresh pages for every chunk.
    private var spare: Columns?

    public init(capacity: Int = History.defaultCapacity, chunkSize: Int = 8192) {
        precondition(capacity > 0 && chunkSize > 0)
        self.capacity = capacity
        self.chunkSize = chunkSize
    }

    final class Chunk {
        let base: Int
        var columns: Columns
        var count: Int { columns.ends.count }

        init(base: Int, capacity: Int, titleBytes: Int) {
            self.base = base
            columns = Columns(capacity: capacity, titleBytes: titleBytes)
        }

        /// Drops spare capacity once the chunk is full, if a buffer had to grow (rare: the
        /// reservation is estimated from the average title length).
        func compact() {
            if columns.title.capacity > columns.title.count + columns.title.count / 8 {
                columns.title = columns.title.withUnsafeBufferPointer { Array($0) }
                columns.lower = columns.lower.withUnsafeBufferPointer { Array($0) }
            }
        }
    }

    /// A chunk's data, by column. While a batch is appended the columns are taken out
    /// of the chunk into a local value, so each append is a plain array append instead
    /// of an access to class storage (which Swift checks for exclusivity at run time).
    struct Columns {
        var lower: [UInt8] = []
        var title: [UInt8] = []
        /// End offset of each title in `lower` and `title` (start: the previous end).
        var ends: [UInt32] = []
        var published: [Int64] = []
        var source: [UInt16] = []
        var outlet: [UInt16] = []
        var ids: [String] = []
        var extras: [Int: Extras] = [:]

        init() {}

        init(capacity: Int, titleBytes: Int) {
            lower.reserveCapacity(titleBytes)
            title.reserveCapacity(titleBytes)
            ends.reserveCapacity(capacity)
            published.reserveCapacity(capacity)
            source.reserveCapacity(capacity)
            outlet.reserveCapacity(capacity)
            ids.reserveCapacity(capacity)
        }

        @inline(__always) func start(_ i: Int) -> Int { i == 0 ? 0 : Int(ends[i - 1]) }

        mutating func appendTitle(_ bytes: UnsafeBufferPointer<UInt8>) {
            let from = lower.count
            title.append(contentsOf: bytes)
            lower.append(contentsOf: bytes)
            lower.withUnsafeMutableBufferPointer { CaseFolding.foldInPlace(UnsafeMutableBufferPointer(rebasing: $0[from...])) }
        }

        mutating func removeAll() {
            lower.removeAll(keepingCapacity: true)
            title.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            published.removeAll(keepingCapacity: true)
            source.removeAll(keepingCapacity: true)
            outlet.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            extras.removeAll()
        }

        /// Adds the headline at `h`. It is read in place through the pointer: passing
        /// it by value made Swift copy it (and count references to its strings) first.
        @inline(__always)
        mutating func add(_ h: UnsafePointer<Headline>, sources: inout Interner, outlets: inout Interner) {
            let appended: Void? = h.pointee.title.utf8.withContiguousStorageIfAvailable { bytes in
                appendTitle(bytes)
            }
            if appended == nil {
                // A string not stored as UTF-8 (bridged): copy it once to make it contiguous.
                var copy = h.pointee.title
                copy.makeContiguousUTF8()
                copy.withUTF8 { appendTitle($0) }
            }
            ends.append(UInt32(title.count))
            published.append(h.pointee.published.milliseconds)
            ids.append(h.pointee.id)
            var extras = Extras(summary: h.pointee.summary, url: h.pointee.url)
            if let s = sources.number(for: h.pointee.source) { source.append(s) } else {
                source.append(Interner.overflow)
                extras.source = h.pointee.source
            }
            if let name = h.pointee.outlet {
                if let o = outlets.number(for: name) { outlet.append(o) } else {
                    outlet.append(Interner.overflow)
                    extras.outlet = name
                }
            } else {
                outlet.append(Interner.none)
            }
            if extras.summary != nil || extras.url != nil || extras.source != nil || extras.outlet != nil {
                self.extras[ends.count - 1] = extras
            }
        }
    }

    struct Extras {
        var summary: String?
        var url: String?
        /// Set only when the interner is full (more than 65,535 distinct names).
        var source: String?
        var outlet: String?
    }

    // MARK: adding

    public func append(_ headline: Headline) {
        append(contentsOf: [headline])
    }

    public func append(contentsOf headlines: [Headline]) {
        headlines.withUnsafeBufferPointer { batch in
            guard let base = batch.baseAddress else { return }
            fill(batch.count) { columns, range in
                for i in range { columns.add(base + i, sources: &sources, outlets: &outlets) }
            }
        }
    }

    /// Appends the headlines of a batch from the merged feed.
    public func append(contentsOf arrivals: [Arrival]) {
        arrivals.withUnsafeBufferPointer { batch in
            guard let base = batch.baseAddress else { return }
            let field = MemoryLayout<Arrival>.offset(of: \Arrival.headline)!
            fill(batch.count) { columns, range in
                for i in range {
                    let headline = (UnsafeRawPointer(base + i) + field).assumingMemoryBound(to: Headline.self)
                    columns.add(headline, sources: &sources, outlets: &outlets)
                }
            }
        }
    }

    /// Makes room for `count` headlines: calls `add` with the columns of the chunk being
    /// filled (taken out of it, see ``Columns``) and the range of the batch that fits in
    /// it, starting new chunks as they fill up; then evicts what no longer fits.
    private func fill(_ count: Int, _ add: (inout Columns, Range<Int>) -> Void) {
        var i = 0
        while i < count {
            if chunks.isEmpty || chunks[chunks.count - 1].count == chunkSize { startChunk(base: nextSeq + i) }
            let chunk = chunks[chunks.count - 1]
            var columns = Columns()
            swap(&columns, &chunk.columns)
            let end = min(count, i + chunkSize - columns.ends.count)
            add(&columns, i..<end)
            i = end
            swap(&columns, &chunk.columns)
        }
        nextSeq += count
        if self.count > capacity { evict(self.count - capacity) }
    }

    private func startChunk(base: Int) {
        if let last = chunks.last {
            last.compact()
            averageTitleBytes = Double(last.columns.title.count) / Double(max(1, last.count))
        }
        // A full chunk's titles vary by well under 1 % around the average; 2 % spare,
        // rounded up to 64 KiB so that a recycled buffer usually fits as it is.
        let estimate = (Int(averageTitleBytes * 1.02 * Double(chunkSize)) | 0xFFFF) + 1
        let chunk = Chunk(base: base, capacity: 0, titleBytes: 0)
        if var reused = spare {
            spare = nil
            reused.lower.reserveCapacity(estimate)
            reused.title.reserveCapacity(estimate)
            chunk.columns = reused
        } else {
            chunk.columns = Columns(capacity: chunkSize, titleBytes: estimate)
        }
        chunks.append(chunk)
    }

    private func evict(_ n: Int) {
        firstSeq += n
        evicted += n
        while let first = chunks.first, first.base + first.count <= firstSeq {
            chunks.removeFirst()
            if spare == nil {
                var columns = Columns()
                swap(&columns, &first.columns)
                columns.removeAll()
                spare = columns
            }
        }
    }

    /// Drops everything (for a seek that rebuilds the view); counters start again.
    public func removeAll() {
        chunks.removeAll()
        firstSeq = nextSeq
    }

    // MARK: reading

    @inline(__always) func locate(_ seq: Int) -> (Chunk, Int) {
        precondition(seq >= firstSeq && seq < nextSeq, "seq \(seq) is not in the history")
        let chunk = chunks[(seq - chunks[0].base) / chunkSize]
        return (chunk, seq - chunk.base)
    }

    public func contains(seq: Int) -> Bool { seq >= firstSeq && seq < nextSeq }

    public func title(_ seq: Int) -> String {
        let (c, i) = locate(seq)
        let col = c.columns
        return col.title.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[col.start(i)..<Int(col.ends[i])]), as: UTF8.self) }
    }

    public func published(_ seq: Int) -> Timestamp {
        let (c, i) = locate(seq)
        return Timestamp(milliseconds: c.columns.published[i])
    }

    public func source(_ seq: Int) -> String {
        let (c, i) = locate(seq)
        let n = c.columns.source[i]
        return n == Interner.overflow ? (c.columns.extras[i]?.source ?? "") : sources.names[Int(n)]
    }

    public func id(_ seq: Int) -> String {
        let (c, i) = locate(seq)
        return c.columns.ids[i]
    }

    public func headline(_ seq: Int) -> Headline {
        let (c, i) = locate(seq)
        let extras = c.columns.extras[i]
        let outletNumber = c.columns.outlet[i]
        let outlet: String? =
            outletNumber == Interner.none ? nil
            : outletNumber == Interner.overflow ? extras?.outlet : outlets.names[Int(outletNumber)]
        return Headline(
            id: c.columns.ids[i], source: source(seq), title: title(seq), published: Timestamp(milliseconds: c.columns.published[i]),
            outlet: outlet, summary: extras?.summary, url: extras?.url)
    }

    /// The sequence number of the newest headline with this id, if the history holds it.
    public func seq(ofID id: String) -> Int? {
        for chunk in chunks.reversed() {
            if let i = chunk.columns.ids.lastIndex(of: id), chunk.base + i >= firstSeq { return chunk.base + i }
        }
        return nil
    }

    /// Source names seen so far, in order of first appearance.
    public var sourceNames: [String] { sources.names }

    // MARK: filtering

    /// The sequence numbers of every held headline that `query` matches, oldest first.
    public func filter(_ query: Query) -> [Int] {
        filter(query, from: firstSeq)
    }

    /// Like ``filter(_:)`` but only over `from..<nextSeq`.
    public func filter(_ query: Query, from: Int) -> [Int] {
        let from = max(from, firstSeq)
        guard from < nextSeq else { return [] }
        if query.matchesEverything { return Array(from..<nextSeq) }
        let plan = Plan(query.root, sources: sources)
        let firstChunk = (from - chunks[0].base) / chunkSize
        let chunkCount = chunks.count - firstChunk
        let workers = chunkCount >= 4 ? min(History.cores, chunkCount) : 1
        if workers == 1 {
            var out: [Int] = []
            for k in firstChunk..<chunks.count { History.scan(chunks[k], plan: plan, from: from, into: &out) }
            return out
        }
        // Split the chunks into one contiguous run per core; join the runs in order.
        let job = ParallelScan(chunks: Array(chunks[firstChunk...]), plan: plan, from: from, workers: workers)
        defer { job.parts.deinitialize(); job.parts.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { w in job.run(worker: w) }
        var result: [Int] = []
        result.reserveCapacity(job.parts.reduce(0) { $0 + $1.count })
        for part in job.parts { result += part }
        return result
    }

    /// One parallel filter pass. The chunks are only read while it runs (the owner waits
    /// in `concurrentPerform`), and each worker writes only its own slot of `parts`.
    private struct ParallelScan: @unchecked Sendable {
        let chunks: [Chunk]
        let plan: Plan
        let from: Int
        let workers: Int
        let parts: UnsafeMutableBufferPointer<[Int]>

        init(chunks: [Chunk], plan: Plan, from: Int, workers: Int) {
            self.chunks = chunks
            self.plan = plan
            self.from = from
            self.workers = workers
            parts = .allocate(capacity: workers)
            parts.initialize(repeating: [])
        }

        func run(worker w: Int) {
            let lo = chunks.count * w / workers, hi = chunks.count * (w + 1) / workers
            var out: [Int] = []
            for k in lo..<hi { History.scan(chunks[k], plan: plan, from: from, into: &out) }
            parts[w] = out
        }
    }

    /// Of `candidates` (held seqs, ascending), those that `query` matches. Used to narrow
    /// a previous result when the new query implies the old one.
    public func refine(_ candidates: some Collection<Int>, by query: Query) -> [Int] {
        if query.matchesEverything { return candidates.filter { $0 >= firstSeq } }
        return refine(Plan(query.root, sources: sources), candidates)
    }

    /// The held seqs of `candidates` (ascending) that `plan` matches, one chunk at a time.
    private func refine(_ plan: Plan, _ candidates: some Collection<Int>) -> [Int] {
        var out: [Int] = []
        var chunk: Chunk? = nil
        var columns = Columns()
        for seq in candidates where seq >= firstSeq {
            let (c, i) = locate(seq)
            if c !== chunk {
                chunk = c
                columns = c.columns
            }
            if plan.matches(columns, i) { out.append(seq) }
        }
        return out
    }

    /// Whether the headline `seq` matches `query`.
    public func matches(_ seq: Int, _ query: Query) -> Bool {
        let (c, i) = locate(seq)
        return Plan(query.root, sources: sources).matches(c.columns, i)
    }

    static let cores = max(1, ProcessInfo_activeProcessorCount())

    /// Filters the entries of `chunk` from seq `from` on: one pass per term over just
    /// that part of its folded titles (a batch of new arrivals, or the whole chunk).
    fileprivate static func scan(_ chunk: Chunk, plan: Plan, from: Int, into out: inout [Int]) {
        let columns = chunk.columns
        let first = max(0, from - chunk.base)
        guard first < columns.ends.count else { return }
        let bits = plan.evaluate(columns, entries: first..<columns.ends.count)
        let base = chunk.base + first
        bits.forEachSet { out.append(base + $0) }
    }
}

private func ProcessInfo_activeProcessorCount() -> Int {
    Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}

/// Names to 16-bit numbers. 0xFFFF marks "none", 0xFFFE "too many names: see extras".
///
/// An open-addressing table keyed by a quick hash of the name's length and first and
/// last eight bytes (collisions are settled by comparing the names): several times
/// faster than a `[String: UInt16]` lookup, which runs SipHash over every byte, and this
/// runs twice per headline.
struct Interner {
    static let none: UInt16 = 0xFFFF
    static let overflow: UInt16 = 0xFFFE
    private(set) var names: [String] = []
    private var hashes: [UInt64] = []
    /// Index into `names` + 1, or 0 for an empty slot. Never more than half full.
    private var slots = [UInt16](repeating: 0, count: 64)

    static func quickHash(_ name: String) -> UInt64 {
        if let hash = name.utf8.withContiguousStorageIfAvailable({ quickHash($0) }) { return hash }
        var copy = name
        copy.makeContiguousUTF8()
        return copy.withUTF8 { quickHash($0) }
    }

    static func quickHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0 }
        var head: UInt64 = 0, tail: UInt64 = 0
        let n = bytes.count
        memcpy(&head, base, min(8, n))
        if n > 8 { memcpy(&tail, base + max(8, n - 8), min(8, n - 8)) }
        var h = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(n)
        h ^= h >> 29
        return h &* 0xBF58_476D_1CE4_E5B9
    }

    mutating func number(for name: String) -> UInt16? {
        let hash = Interner.quickHash(name)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let n = Int(slots[slot] - 1)
            if hashes[n] == hash && names[n] == name { return UInt16(n) }
            slot = (slot + 1) & mask
        }
        guard names.count < Int(Interner.overflow) - 1 else { return nil }
        let n = names.count
        names.append(name)
        hashes.append(hash)
        slots[slot] = UInt16(n + 1)
        if names.count * 2 > slots.count { rehash() }
        return UInt16(n)
    }

    private mutating func rehash() {
        slots = [UInt16](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (n, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt16(n + 1)
        }
    }
}

/// A fixed-size set of entry positions in a chunk.
struct Bitset {
    var words: [UInt64]
    let count: Int

    init(count: Int, filled: Bool) {
        self.count = count
        words = Array(repeating: filled ? ~0 : 0, count: (count + 63) / 64)
        if filled { trim() }
    }

    mutating func trim() {
        let extra = words.count * 64 - count
        if extra > 0 { words[words.count - 1] &= ~0 >> UInt64(extra) }
    }

    @inline(__always) mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }
    @inline(__always) func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    mutating func clear(below n: Int) {
        for w in 0..<min(n >> 6, words.count) { words[w] = 0 }
        if n >> 6 < words.count, n & 63 != 0 { words[n >> 6] &= ~0 << UInt64(n & 63) }
    }

    var population: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    mutating func formIntersection(_ other: Bitset) { for w in words.indices { words[w] &= other.words[w] } }
    mutating func formUnion(_ other: Bitset) { for w in words.indices { words[w] |= other.words[w] } }
    mutating func invert() {
        for w in words.indices { words[w] = ~words[w] }
        trim()
    }

    func forEachSet(_ body: (Int) -> Void) {
        for (w, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                body(w << 6 | bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }
}

/// A query compiled against one history: source prefixes resolved to a table over its
/// interned source numbers.
struct Plan {
    indirect enum Node {
        case all
        case term([UInt8])
        case sources([Bool])
        case not(Node)
        case and([Node])
        case or([Node])
    }

    let root: Node

    init(_ node: QueryNode, sources: Interner) {
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
        root = compile(node)
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
        }
    }
}
