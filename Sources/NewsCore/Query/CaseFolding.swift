/// Lower-cases UTF-8 text for case-insensitive search, keeping every character's
/// byte length, so that a byte offset in the folded copy is the same byte offset in the
/// original title (match ranges map straight back for highlighting).
///
/// Each scalar is replaced by its simple lowercase mapping when that is a single scalar
/// of the same UTF-8 length (`Ü` -> `ü`, `Σ` -> `σ`, `Ж` -> `ж`). The few mappings that
/// would change length (`İ` U+0130, the Kelvin sign U+212A) are left as they are, on both
/// the title and the query side, so matching stays consistent.
///
/// Cost: ASCII goes through a 256-byte table; other scalars of up to 3 bytes through a
/// 64 K-entry table built on first use (well under a millisecond: only scalars whose
/// `changesWhenLowercased` property is set are looked up).
public enum CaseFolding {
    private static let table: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 0x1_0000)
        for cp in 0..<0x1_0000 {
            table[cp] = UInt16(cp)
            guard let scalar = Unicode.Scalar(UInt32(cp)), scalar.properties.changesWhenLowercased else { continue }
            if let lower = sameLengthLowercase(scalar) { table[cp] = UInt16(lower.value) }
        }
        return table
    }()

    private static func sameLengthLowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let mapped = scalar.properties.lowercaseMapping.unicodeScalars
        guard mapped.count == 1, let lower = mapped.first, lower.utf8.count == scalar.utf8.count else { return nil }
        return lower
    }

    /// Appends the folded form of the UTF-8 bytes `source` (which must be valid UTF-8) to `out`.
    public static func appendFolded(_ source: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let from = out.count
        out.append(contentsOf: source)
        out.withUnsafeMutableBufferPointer { foldInPlace(UnsafeMutableBufferPointer(rebasing: $0[from...])) }
    }

    /// Folds valid UTF-8 in place (folding never changes a character's byte length).
    public static func foldInPlace(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
        // Fast path: pure ASCII, which most titles are. Both loops vectorize.
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        if high < 0x80 {
            for i in bytes.indices {
                let b = bytes[i]
                bytes[i] = b &+ (b &- 0x41 < 26 ? 0x20 : 0)
            }
            return
        }
        foldUnicodeInPlace(bytes)
    }

    static func foldUnicodeInPlace(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
        let table = Self.table
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 {
                bytes[i] = b0 &+ (b0 &- 0x41 < 26 ? 0x20 : 0)
                i += 1
            } else if b0 < 0xE0, i + 1 < n {
                let cp = Int(b0 & 0x1F) << 6 | Int(bytes[i + 1] & 0x3F)
                let lower = Int(table[cp])
                bytes[i] = 0xC0 | UInt8(lower >> 6)
                bytes[i + 1] = 0x80 | UInt8(lower & 0x3F)
                i += 2
            } else if b0 < 0xF0, i + 2 < n {
                let cp = Int(b0 & 0x0F) << 12 | Int(bytes[i + 1] & 0x3F) << 6 | Int(bytes[i + 2] & 0x3F)
                let lower = Int(table[cp])
                bytes[i] = 0xE0 | UInt8(lower >> 12)
                bytes[i + 1] = 0x80 | UInt8((lower >> 6) & 0x3F)
                bytes[i + 2] = 0x80 | UInt8(lower & 0x3F)
                i += 3
            } else if i + 3 < n {
                let cp = UInt32(b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12
                    | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)
                if let scalar = Unicode.Scalar(cp), scalar.properties.changesWhenLowercased,
                    let lower = sameLengthLowercase(scalar)
                {
                    for (k, byte) in lower.utf8.enumerated() { bytes[i + k] = byte }
                }
                i += 4
            } else {
                i += 1  // a truncated sequence cannot come from a Swift string
            }
        }
    }

    /// The folded form of `text`, as bytes.
    public static func fold(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var copy = text
        copy.withUTF8 { appendFolded($0, to: &out) }
        return out
    }

    /// The folded form of `text`, as a string.
    public static func foldedString(_ text: String) -> String {
        String(decoding: fold(text), as: UTF8.self)
    }
}
