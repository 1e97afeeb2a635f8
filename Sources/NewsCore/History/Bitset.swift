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
