/// What the importer asks of UTF-8 bytes without making a `String` of them: is it valid,
/// and where is it once the spaces around it are trimmed. Each answers exactly as the
/// `String` call it replaces (`String(validating:as:)`, `trimmingCharacters(in:)` with
/// `.whitespaces` or `.whitespacesAndNewlines`): `UTF8BytesTests` checks every scalar.
/// Hand-rolled because those calls went through Foundation's `NSString` (UTF-16) for each
/// field of each row: most of an import's time before (issue 16, DECISIONS.md).
public enum UTF8Bytes {
    /// True if `bytes` is well-formed UTF-8: no stray continuation byte, no overlong form,
    /// no surrogate, nothing past U+10FFFF.
    @inline(__always)
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            guard let next = sequenceEnd(bytes, at: i) else { return false }
            i = next
        }
        return true
    }

    /// The end of the multi-byte sequence that starts at `i`, or nil if it is not one.
    private static func sequenceEnd(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let b = s[i]
        func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            k < s.count && s[k] >= low && s[k] <= high
        }
        switch b {
        case 0xC2...0xDF: return continuation(i + 1) ? i + 2 : nil
        case 0xE0: return continuation(i + 1, 0xA0) && continuation(i + 2) ? i + 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(i + 1) && continuation(i + 2) ? i + 3 : nil
        case 0xED: return continuation(i + 1, 0x80, 0x9F) && continuation(i + 2) ? i + 3 : nil
        case 0xF0: return continuation(i + 1, 0x90) && continuation(i + 2) && continuation(i + 3) ? i + 4 : nil
        case 0xF1...0xF3: return continuation(i + 1) && continuation(i + 2) && continuation(i + 3) ? i + 4 : nil
        case 0xF4: return continuation(i + 1, 0x80, 0x8F) && continuation(i + 2) && continuation(i + 3) ? i + 4 : nil
        default: return nil
        }
    }

    /// Is `scalar` one Foundation's `CharacterSet.whitespaces` holds (or, with `newlines`,
    /// `.whitespacesAndNewlines`)?
    @inline(__always)
    public static func isSpace(_ scalar: UInt32, newlines: Bool) -> Bool {
        switch scalar {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return newlines
        default: return false
        }
    }

    /// The part of valid UTF-8 `bytes` left when the spaces (see ``isSpace(_:newlines:)``)
    /// at both ends are trimmed: `trimmingCharacters(in:)`, one scalar at a time as it is.
    @inline(__always)
    public static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, newlines: Bool) -> Range<Int> {
        var start = 0, end = bytes.count
        // The common case first: a printable ASCII byte at each end.
        if end > 0, bytes[0] > 0x20, bytes[0] < 0x80, bytes[end - 1] > 0x20, bytes[end - 1] < 0x80 { return 0..<end }
        while start < end {
            let (scalar, length) = decode(bytes, at: start)
            guard isSpace(scalar, newlines: newlines) else { break }
            start += length
        }
        while end > start {
            var k = end - 1
            while k > start && bytes[k] & 0xC0 == 0x80 { k -= 1 }
            let (scalar, _) = decode(bytes, at: k)
            guard isSpace(scalar, newlines: newlines) else { break }
            end = k
        }
        return start..<end
    }

    /// The scalar that starts at `i` of valid UTF-8, and its length in bytes.
    @inline(__always)
    static func decode(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b = UInt32(s[i])
        if b < 0x80 { return (b, 1) }
        if b < 0xE0 { return ((b & 0x1F) << 6 | UInt32(s[i + 1] & 0x3F), 2) }
        if b < 0xF0 { return ((b & 0x0F) << 12 | UInt32(s[i + 1] & 0x3F) << 6 | UInt32(s[i + 2] & 0x3F), 3) }
        return ((b & 0x07) << 18 | UInt32(s[i + 1] & 0x3F) << 12 | UInt32(s[i + 2] & 0x3F) << 6 | UInt32(s[i + 3] & 0x3F), 4)
    }
}
