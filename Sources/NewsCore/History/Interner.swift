#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// The number of `name` if it has one, without adding it.
    func existingNumber(for name: String) -> UInt16? {
        let hash = Interner.quickHash(name)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let n = Int(slots[slot] - 1)
            if hashes[n] == hash && names[n] == name { return UInt16(n) }
            slot = (slot + 1) & mask
        }
        return nil
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
