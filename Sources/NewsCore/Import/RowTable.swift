#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The importer's rows between reading and writing, kept as they will be written: each
/// row is its event line after the offset (``RecordingEvent/appendBody(_:to:)``: id,
/// source, title, publication time, fields), encoded once as it is read, in one byte
/// arena, with a 16-byte key (time, where it is) to sort by. The offsets are known only
/// when every row has been read (the earliest time is the recording's start), so the
/// writer puts `{"offset":N` before each body and nothing else.
///
/// Rows stay in memory while they fit `budget` bytes (arena and keys) and `maxRows`; then
/// they are sorted and spilled to a run file (binary: time, length, body), and the writer
/// merges the runs with the rows still in memory. Memory stays bounded for any input.
/// The order is the time, then the input's order: in memory the arena position breaks
/// ties; between runs and memory the earlier input (the first run) wins.
struct RowTable {
    struct Key {
        var time: Int64
        var start: UInt32
        var length: UInt32
    }

    private(set) var keys: [Key] = []
    /// The bodies, back to back. Appended to directly by the importer between
    /// ``beginRow()`` and ``endRow(time:)``.
    var arena: [UInt8] = []
    let budget: Int
    let maxRows: Int
    /// Where run files go, and what to call them.
    let runPrefix: String
    /// The run files written so far, in input order.
    private(set) var runs: [String] = []
    /// Called with each run's path before it is created, so that a failure half-way still
    /// removes it.
    let created: (String) -> Void

    /// `expected`: about how many bytes of bodies the input makes (twice its size is
    /// plenty), reserved up front within the budget.
    init(budget: Int, maxRows: Int, expected: Int, runPrefix: String, created: @escaping (String) -> Void) {
        self.budget = min(budget, 1 << 31)  // arena positions are 32 bits
        self.maxRows = maxRows
        self.runPrefix = runPrefix
        self.created = created
        // Reserved, not touched: the pages are the system's until rows fill them, and the
        // arena does not move as it fills (no copy of a growing array at twice its size).
        arena.reserveCapacity(min(self.budget, max(expected, 1 << 16)) + (1 << 16))
    }

    /// Rows written to runs so far.
    private(set) var spilledRows = 0
    var isEmpty: Bool { keys.isEmpty && runs.isEmpty }
    /// Every row: in memory and in the runs.
    var count: Int { spilledRows + keys.count }
    var memoryBytes: Int { arena.count + keys.count * MemoryLayout<Key>.stride }

    /// Where the next row's body starts: spills the rows in memory first when they are at
    /// the budget or the row limit.
    mutating func beginRow() throws(ImportError) -> Int {
        if !keys.isEmpty && (keys.count >= maxRows || memoryBytes >= budget) { try spill() }
        return arena.count
    }

    /// The row whose body was appended to `arena` since ``beginRow()`` returned `start`.
    mutating func endRow(time: Int64, start: Int) {
        keys.append(Key(time: time, start: UInt32(truncatingIfNeeded: start), length: UInt32(arena.count - start)))
    }

    /// Sorts the rows in memory: by time, then by their place in the arena (input order).
    mutating func sortInMemory() {
        keys.sort { $0.time != $1.time ? $0.time < $1.time : $0.start < $1.start }
    }

    /// Sorts the rows in memory and writes them to a new run file.
    private mutating func spill() throws(ImportError) {
        if Task.isCancelled { throw .interrupted }
        sortInMemory()
        let path = "\(runPrefix)-\(runs.count).tmp"
        created(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .output(FileError(path: path, reason: "cannot create a sorted run (\(String(cString: strerror(errno))))")) }
        defer { close(fd) }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        func flush() throws(ImportError) {
            var written = 0
            while written < out.count {
                let n = out.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .output(FileError(path: path, reason: "cannot write a sorted run (\(String(cString: strerror(errno))))"))
                }
                written += n
            }
            out.removeAll(keepingCapacity: true)
        }
        try arena.withUnsafeBufferPointer { (arena: UnsafeBufferPointer<UInt8>) throws(ImportError) in
            for key in keys {
                withUnsafeBytes(of: key.time.littleEndian) { out.append(contentsOf: $0) }
                withUnsafeBytes(of: key.length.littleEndian) { out.append(contentsOf: $0) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: arena[Int(key.start)..<(Int(key.start) + Int(key.length))]))
                if out.count >= 1 << 20 { try flush() }
            }
        }
        try flush()
        runs.append(path)
        spilledRows += keys.count
        keys.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    /// The earliest time of all rows, once the rows in memory are sorted.
    func earliest(_ heads: [RunReader]) -> Int64? {
        var first = keys.first?.time
        for head in heads where head.hasRow { first = min(first ?? head.time, head.time) }
        return first
    }

    /// Opens the runs for the merge, each at its first row.
    func openRuns() throws(ImportError) -> [RunReader] {
        var readers: [RunReader] = []
        for run in runs { readers.append(try RunReader(path: run)) }
        return readers
    }

    /// Calls `body` with each row in order (time, then input), merging the sorted runs
    /// `heads` (opened by ``openRuns()``) with the sorted rows in memory.
    func merge(_ heads: [RunReader], _ body: (Int64, UnsafeBufferPointer<UInt8>) throws(ImportError) -> Void) throws(ImportError) {
        var memory = 0
        try arena.withUnsafeBufferPointer { (arena: UnsafeBufferPointer<UInt8>) throws(ImportError) in
            while true {
                // Pick the earliest: runs come from earlier input than memory, in run order.
                var best = -1
                var bestTime = Int64.max
                for (i, head) in heads.enumerated() where head.hasRow && head.time < bestTime {
                    best = i
                    bestTime = head.time
                }
                if memory < keys.count && keys[memory].time < bestTime {
                    let key = keys[memory]
                    memory += 1
                    try body(key.time, UnsafeBufferPointer(rebasing: arena[Int(key.start)..<(Int(key.start) + Int(key.length))]))
                } else if best >= 0 {
                    let head = heads[best]
                    try head.body.withUnsafeBufferPointer { (bytes: UnsafeBufferPointer<UInt8>) throws(ImportError) in try body(bestTime, bytes) }
                    try head.advance()
                } else {
                    return
                }
            }
        }
    }
}

/// Reads a run file back, a row at a time: `time` and `body` are the current row's.
final class RunReader {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private(set) var hasRow = false
    private(set) var time: Int64 = 0
    private(set) var body: [UInt8] = []

    /// Bytes of the file not read yet: a refill reads at most this (and 1 MiB), so that a
    /// reader of a small run holds a small buffer, however many runs are merged.
    private var unread: Int

    init(path: String) throws(ImportError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .output(FileError(path: path, reason: "cannot read back a sorted run (\(String(cString: strerror(errno))))")) }
        var info = stat()
        unread = fstat(fd, &info) == 0 ? Int(info.st_size) : 1 << 20
        try advance()
    }

    deinit { close(fd) }

    /// `count` more bytes from the file, or nil at its end.
    private func take(_ count: Int) throws(ImportError) -> ArraySlice<UInt8>? {
        while buffer.count - start < count {
            // A new buffer: what is left of the old one, then the file read straight onto
            // its end (no chunk of its own to copy from, no zeroes written first).
            let leftover = buffer.count - start
            let want = max(count - leftover, min(1 << 20, max(unread, 1)))
            var got = 0, failure: Int32 = 0
            let old = buffer, from = start
            buffer = [UInt8](unsafeUninitializedCapacity: leftover + want) { raw, initialized in
                old.withUnsafeBufferPointer { src in
                    if leftover > 0 { raw.baseAddress!.initialize(from: src.baseAddress! + from, count: leftover) }
                }
                var n: Int
                repeat { n = read(fd, raw.baseAddress! + leftover, want) } while n < 0 && errno == EINTR
                if n < 0 { failure = errno }
                got = max(n, 0)
                initialized = leftover + got
            }
            start = 0
            unread = max(0, unread - got)
            if failure != 0 {
                throw .output(FileError(path: path, reason: "cannot read back a sorted run (\(String(cString: strerror(failure))))"))
            }
            if got == 0 {
                guard leftover == 0 else { throw .output(FileError(path: path, reason: "cannot read back a sorted run (it ends inside a row)")) }
                return nil
            }
        }
        defer { start += count }
        return buffer[start..<(start + count)]
    }

    /// Moves to the next row; `hasRow` is false after the last.
    func advance() throws(ImportError) {
        guard let head = try take(12) else {
            hasRow = false
            return
        }
        var t: Int64 = 0, length: UInt32 = 0
        withUnsafeMutableBytes(of: &t) { $0.copyBytes(from: head[head.startIndex..<(head.startIndex + 8)]) }
        withUnsafeMutableBytes(of: &length) { $0.copyBytes(from: head[(head.startIndex + 8)...]) }
        time = Int64(littleEndian: t)
        guard let bytes = try take(Int(UInt32(littleEndian: length))) else {
            throw .output(FileError(path: path, reason: "cannot read back a sorted run (it ends inside a row)"))
        }
        body.removeAll(keepingCapacity: true)
        body.append(contentsOf: bytes)
        hasRow = true
    }
}
