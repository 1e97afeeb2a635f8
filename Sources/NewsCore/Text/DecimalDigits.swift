/// Writes a number's decimal digits without allocating: the recording writer and the
/// headline generator both do this per line, on their hot paths.
enum DecimalDigits {
    /// Calls `body` with the digits of `value` (ASCII), valid only inside the call.
    @inline(__always)
    static func with<R>(_ value: UInt64, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for any UInt64
        return withUnsafeMutableBytes(of: &digits) { raw in
            var v = value
            var start = raw.count
            repeat {
                start -= 1
                raw[start] = UInt8(0x30 + v % 10)
                v /= 10
            } while v > 0
            return body(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[start...]))
        }
    }
}
