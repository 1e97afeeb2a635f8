/// A small, fast random number generator whose output depends only on its seed:
/// the same on every run, machine and Swift version (xoshiro256**, seeded by SplitMix64).
///
/// Swift's own `random(in:using:)` helpers are not used for drawing numbers, because
/// their algorithm is not promised to stay the same across releases; ``uniform(_:)``
/// is ours.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&sm)
        s1 = splitMix(&sm)
        s2 = splitMix(&sm)
        s3 = splitMix(&sm)
    }

    /// A generator for one named stream of a seed (for example one source), independent of the others.
    public init(seed: UInt64, stream: String) {
        self.init(seed: seed ^ StableHash.fnv1a(stream))
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniformly distributed integer in `range` (Lemire's multiply-and-reject method).
    public mutating func uniform(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) &+ 1
        if span == 0 { return Int(truncatingIfNeeded: next()) }  // the full 64-bit range
        var m = next().multipliedFullWidth(by: span)
        if m.low < span {
            let threshold = (0 &- span) % span
            while m.low < threshold { m = next().multipliedFullWidth(by: span) }
        }
        return range.lowerBound + Int(m.high)
    }

    /// A uniformly distributed index below `count` (which must be positive).
    public mutating func index(below count: Int) -> Int { uniform(0...(count - 1)) }

    /// True with probability `numerator / denominator`.
    public mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        uniform(0...(denominator - 1)) < numerator
    }
}

/// A hash that is the same in every process (Swift's `Hasher` is seeded per process).
public enum StableHash {
    public static func fnv1a(_ string: String) -> UInt64 {
        if let hash = string.utf8.withContiguousStorageIfAvailable({ fnv1a($0) }) { return hash }
        return Array(string.utf8).withUnsafeBufferPointer { fnv1a($0) }
    }

    public static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
