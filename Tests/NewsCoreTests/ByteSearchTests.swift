import NewsCore
import PropertyBased
import Testing

@Suite("Byte search")
struct ByteSearchTests {
    func naive(_ needle: [UInt8], _ hay: [UInt8], from: Int, to: Int) -> Int? {
        guard !needle.isEmpty else { return from <= to ? from : nil }
        var i = from
        while i + needle.count <= to {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    @Test("finds the same first occurrence as a naive search (property)")
    func agreesWithNaive() async {
        // A small alphabet so that partial matches and near misses are frequent.
        let bytes = Gen.element(of: [UInt8(97), 98, 99, 0xC3, 0xBC]).compactMap { $0 }
        await propertyCheck(count: 2000, input: bytes.array(of: 0...90), bytes.array(of: 1...6), Gen.int(in: 0...20), Gen.int(in: 0...20)) {
            hay, needle, cutFront, cutBack in
            let from = min(cutFront, hay.count), to = max(from, hay.count - cutBack)
            let found = hay.withUnsafeBytes { raw in
                needle.withUnsafeBufferPointer { ByteSearch.find($0, in: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, from: from, to: to) }
            }
            #expect(found == naive(needle, hay, from: from, to: to), "\(needle) in \(hay)[\(from)..<\(to)]")
        }
    }

    @Test("matches at the very start and end of the range, and not across its end")
    func edges() {
        let hay = Array("xxabxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxab".utf8)
        let ab = Array("ab".utf8)
        hay.withUnsafeBytes { raw in
            ab.withUnsafeBufferPointer { pin in
                #expect(ByteSearch.find(pin, in: raw.baseAddress!, from: 0, to: hay.count) == 2)
                #expect(ByteSearch.find(pin, in: raw.baseAddress!, from: 3, to: hay.count) == hay.count - 2)
                #expect(ByteSearch.find(pin, in: raw.baseAddress!, from: 3, to: hay.count - 1) == nil)
            }
        }
    }
}
