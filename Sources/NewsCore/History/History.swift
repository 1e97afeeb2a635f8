import DequeModule
import Dispatch

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
/// with the same byte offsets (see ``CaseFolding``) that a query searches with
/// ``ByteSearch`` (a SIMD substring search; `memmem` only for a one-byte term), one pass
/// per term over the whole chunk instead of one call per headline. Sources
/// and the optional fields that repeat (outlets) are interned to 16-bit numbers; the
/// others (summaries and URLs, rare in simulated feeds) sit in a side table: each
/// ``HeadlineField`` says which (`HeadlineField+History.swift`). Together that is about 2 bytes per title byte plus 32
/// per headline, instead of ~150 for a struct of Strings. Chunks are filtered on all
/// cores in parallel, and a whole chunk is freed once all of it has been evicted.
///
/// An update (an ``Arrival`` marked `isUpdate`: a feed's item fetched again with a changed
/// title) replaces the held headline of the same source and id in place, under its
/// sequence number, instead of being appended; see ``append(contentsOf:)-([Arrival])``.
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
    /// Updates that replaced a held headline.
    public private(set) var replaced = 0
    /// Held headlines without the read mark: kept as headlines are appended, evicted,
    /// replaced and marked (``setMarks(_:_:)``), so reading it costs nothing.
    public private(set) var unreadCount = 0

    var chunks: Deque<Chunk> = []
    var sources = Interner()
    /// One interner per interned field (``HeadlineField/interned``).
    var fieldNames = [Interner](repeating: Interner(), count: HeadlineField.interned.count)
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
        /// The interned fields' numbers, ``HeadlineField/interned``.count per headline.
        var interned: [UInt16] = []
        var ids: [String] = []
        /// The reader's marks (``HeadlineMarks``' raw value), one byte per headline.
        var marks: [UInt8] = []
        var extras: [Int: Extras] = [:]

        init() {}

        init(capacity: Int, titleBytes: Int) {
            lower.reserveCapacity(titleBytes)
            title.reserveCapacity(titleBytes)
            ends.reserveCapacity(capacity)
            published.reserveCapacity(capacity)
            source.reserveCapacity(capacity)
            interned.reserveCapacity(capacity * HeadlineField.interned.count)
            ids.reserveCapacity(capacity)
            marks.reserveCapacity(capacity)
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
            interned.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            marks.removeAll(keepingCapacity: true)
            extras.removeAll()
        }

        /// Puts the headline at `h` in place of entry `i`: the titles after it move by the
        /// difference in length (a copy of the rest of the chunk's titles: updates are rare).
        /// The marks are left to the caller.
        mutating func replace(_ i: Int, with h: UnsafePointer<Headline>, sources: inout Interner, fieldNames: inout [Interner]) {
            var one = Columns()
            one.add(h, marks: 0, sources: &sources, fieldNames: &fieldNames)
            let from = start(i), to = Int(ends[i])
            title.replaceSubrange(from..<to, with: one.title)
            lower.replaceSubrange(from..<to, with: one.lower)
            let delta = one.title.count - (to - from)
            if delta != 0 {
                for j in i..<ends.count { ends[j] = UInt32(Int(ends[j]) + delta) }
            }
            published[i] = one.published[0]
            source[i] = one.source[0]
            ids[i] = one.ids[0]
            let stride = HeadlineField.interned.count
            for k in 0..<stride { interned[i * stride + k] = one.interned[k] }
            extras[i] = one.extras[0]
        }

        /// Adds the headline at `h`. It is read in place through the pointer: passing
        /// it by value made Swift copy it (and count references to its strings) first.
        @inline(__always)
        mutating func add(_ h: UnsafePointer<Headline>, marks: UInt8, sources: inout Interner, fieldNames: inout [Interner]) {
            self.marks.append(marks)
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
            var extras: Extras?
            if let s = sources.number(for: h.pointee.source) { source.append(s) } else {
                source.append(Interner.overflow)
                extras = Extras()
                extras!.source = h.pointee.source
            }
            // By raw value, not through an array (see HeadlineField.forEach): this runs per headline.
            var k = 0  // the interned field's column: they are counted in declaration order
            HeadlineField.forEach { field in
                let value = h.pointee[field]
                switch field.historyStorage {
                case .interned:
                    defer { k += 1 }
                    guard let value else { return interned.append(Interner.none) }
                    if let n = fieldNames[k].number(for: value) { return interned.append(n) }
                    interned.append(Interner.overflow)
                case .sparse:
                    guard value != nil else { return }
                }
                if extras == nil { extras = Extras() }
                extras!.fields[field.rawValue] = value
            }
            if let extras { self.extras[ends.count - 1] = extras }
        }
    }

    /// What a headline has beyond the columns: its sparse fields, and a source or
    /// interned field's value when that interner is full (more than 65,535 distinct names).
    struct Extras {
        var source: String?
        /// By ``HeadlineField/rawValue``.
        var fields = [String?](repeating: nil, count: HeadlineField.allCases.count)
    }

    // MARK: adding

    public func append(_ headline: Headline) {
        append(contentsOf: [headline])
    }

    public func append(contentsOf headlines: [Headline]) {
        headlines.withUnsafeBufferPointer { batch in
            guard let base = batch.baseAddress else { return }
            fill(batch.count) { columns, range in
                for i in range { columns.add(base + i, marks: 0, sources: &sources, fieldNames: &fieldNames) }
            }
        }
    }

    /// A batch's update that replaced a held headline: `index` in the batch, `seq` the
    /// headline it replaced.
    public struct Replacement: Sendable, Equatable {
        public var index: Int
        public var seq: Int

        public init(index: Int, seq: Int) {
            self.index = index
            self.seq = seq
        }
    }

    /// Appends the headlines of a batch from the merged feed. An update replaces the
    /// newest held headline with its source and id (one earlier in the same batch too),
    /// keeping its seq; an update of nothing held (evicted, or never seen) is appended.
    /// Returns the replacements, in batch order: usually none.
    @discardableResult
    public func append(contentsOf arrivals: [Arrival]) -> [Replacement] {
        arrivals.withUnsafeBufferPointer { batch in
            guard let base = batch.baseAddress else { return [] }
            let field = MemoryLayout<Arrival>.offset(of: \Arrival.headline)!
            @inline(__always) func headline(_ i: Int) -> UnsafePointer<Headline> {
                (UnsafeRawPointer(base + i) + field).assumingMemoryBound(to: Headline.self)
            }
            // The common case, a batch without updates, is appended whole as before.
            var next = 0
            while next < batch.count && !batch[next].isUpdate { next += 1 }
            if next == batch.count {
                fill(batch.count) { columns, range in
                    for i in range { columns.add(headline(i), marks: batch[i].marks.rawValue, sources: &sources, fieldNames: &fieldNames) }
                }
                return []
            }
            var done: [Replacement] = []
            var i = 0
            while i < batch.count {
                // The run of plain headlines up to the next update, then the update.
                var end = i
                while end < batch.count && !batch[end].isUpdate { end += 1 }
                if end > i {
                    let first = i
                    fill(end - i) { columns, range in
                        for k in range {
                            columns.add(headline(first + k), marks: batch[first + k].marks.rawValue, sources: &sources, fieldNames: &fieldNames)
                        }
                    }
                }
                guard end < batch.count else { break }
                let h = headline(end)
                if let seq = seq(source: h.pointee.source, id: h.pointee.id) {
                    let (chunk, k) = locate(seq)
                    chunk.columns.replace(k, with: h, sources: &sources, fieldNames: &fieldNames)
                    // The held marks stay (the reader read or starred it), with the store's.
                    let held = chunk.columns.marks[k]
                    setMarks(seq, HeadlineMarks(rawValue: held | batch[end].marks.rawValue))
                    replaced += 1
                    done.append(Replacement(index: end, seq: seq))
                } else {
                    let marks = batch[end].marks.rawValue
                    fill(1) { columns, _ in columns.add(h, marks: marks, sources: &sources, fieldNames: &fieldNames) }
                }
                i = end + 1
            }
            return done
        }
    }

    /// The newest held headline of `source` with `id`: a search from the newest back, by
    /// the 16-bit source column first (about a millisecond for a million held), so that
    /// appending keeps no index at all (DECISIONS.md, 2026-12-02). The item an update
    /// replaces is usually a recent one: the feed still lists it.
    public func seq(source name: String, id: String) -> Int? {
        guard count > 0 else { return nil }
        let number = sources.existingNumber(for: name)
        for chunk in chunks.reversed() {
            let columns = chunk.columns
            let low = max(0, firstSeq - chunk.base)
            var i = columns.ends.count - 1
            while i >= low {
                let s = columns.source[i]
                if let number, number != Interner.overflow {
                    if s == number && columns.ids[i] == id { return chunk.base + i }
                } else if s == Interner.overflow && columns.ids[i] == id && columns.extras[i]?.source == name {
                    return chunk.base + i
                }
                i -= 1
            }
        }
        return nil
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
            let first = columns.marks.count
            add(&columns, i..<end)
            unreadCount += History.unread(columns.marks[first...])
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
        // The evicted headlines are still in their chunks: take their unread out of the count.
        var seq = firstSeq
        while seq < firstSeq + n {
            let (chunk, i) = locate(seq)
            let end = min(chunk.count, i + (firstSeq + n - seq))
            unreadCount -= History.unread(chunk.columns.marks[i..<end])
            seq += end - i
        }
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
        unreadCount = 0
    }

    /// How many of `marks` lack the read mark.
    @inline(__always) static func unread(_ marks: ArraySlice<UInt8>) -> Int {
        var n = 0
        for m in marks where m & HeadlineMarks.read.rawValue == 0 { n += 1 }
        return n
    }

    // MARK: marks

    /// The reader's marks on the headline `seq`.
    public func marks(_ seq: Int) -> HeadlineMarks {
        let (c, i) = locate(seq)
        return HeadlineMarks(rawValue: c.columns.marks[i])
    }

    /// Whether the headline `seq` is unread.
    public func isUnread(_ seq: Int) -> Bool { !marks(seq).contains(.read) }

    /// Sets the marks of the headline `seq` (keeping ``unreadCount``).
    public func setMarks(_ seq: Int, _ marks: HeadlineMarks) {
        let (c, i) = locate(seq)
        let old = c.columns.marks[i]
        let readBit = HeadlineMarks.read.rawValue
        if old & readBit == 0 && marks.rawValue & readBit != 0 { unreadCount -= 1 }
        if old & readBit != 0 && marks.rawValue & readBit == 0 { unreadCount += 1 }
        c.columns.marks[i] = marks.rawValue
    }

    /// Adds `marks` to the headline `seq`'s, or takes them away (`on: false`).
    public func setMarks(_ seq: Int, _ marks: HeadlineMarks, on: Bool) {
        var current = self.marks(seq)
        if on { current.formUnion(marks) } else { current.subtract(marks) }
        setMarks(seq, current)
    }

    /// The key the store knows the headline `seq` by: its source and id.
    public func key(_ seq: Int) -> HeadlineKey {
        HeadlineKey(source: source(seq), id: id(seq))
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
        var headline = Headline(
            id: c.columns.ids[i], source: source(seq), title: title(seq), published: Timestamp(milliseconds: c.columns.published[i]))
        let stride = HeadlineField.interned.count
        for (k, field) in HeadlineField.interned.enumerated() {
            let n = c.columns.interned[i * stride + k]
            if n == Interner.none { continue }
            headline[field] = n == Interner.overflow ? extras?.fields[field.rawValue] : fieldNames[k].names[Int(n)]
        }
        for field in HeadlineField.sparse { headline[field] = extras?.fields[field.rawValue] }
        return headline
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

    /// The sequence numbers of every held headline that `query` matches (and whose marks
    /// `marks` accepts), oldest first.
    public func filter(_ query: Query, marks: MarksFilter = .any) -> [Int] {
        filter(query, from: firstSeq, marks: marks)
    }

    /// Like ``filter(_:marks:)`` but only over `from..<nextSeq`.
    public func filter(_ query: Query, from: Int, marks: MarksFilter = .any) -> [Int] {
        let from = max(from, firstSeq)
        guard from < nextSeq else { return [] }
        if query.matchesEverything && marks.isAny { return Array(from..<nextSeq) }
        let plan = Plan(query.root, sources: sources, marks: marks)
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
    public func refine(_ candidates: some Collection<Int>, by query: Query, marks: MarksFilter = .any) -> [Int] {
        if query.matchesEverything && marks.isAny { return candidates.filter { $0 >= firstSeq } }
        return refine(Plan(query.root, sources: sources, marks: marks), candidates)
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
    public func matches(_ seq: Int, _ query: Query, marks: MarksFilter = .any) -> Bool {
        let (c, i) = locate(seq)
        return Plan(query.root, sources: sources, marks: marks).matches(c.columns, i)
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
