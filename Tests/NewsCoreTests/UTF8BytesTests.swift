import Foundation
@testable import NewsCore
import PropertyBased
import Testing

/// The importer's byte-level answers are the `String` calls they replace (issue 16).
@Suite("UTF-8 bytes")
struct UTF8BytesTests {
    @Test("the spaces are exactly Foundation's .whitespaces and .whitespacesAndNewlines, scalar by scalar")
    func spacesAreFoundations() {
        var differ: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if UTF8Bytes.isSpace(value, newlines: false) != CharacterSet.whitespaces.contains(scalar) { differ.append("U+\(String(value, radix: 16)) spaces") }
            if UTF8Bytes.isSpace(value, newlines: true) != CharacterSet.whitespacesAndNewlines.contains(scalar) { differ.append("U+\(String(value, radix: 16)) newlines") }
        }
        #expect(differ.isEmpty, "\(differ.prefix(10))")
    }

    /// Pieces that trimming and validation must treat as Foundation does.
    static let pieces = ["a", "é", " ", "\t", "\n", "\r\n", "\u{00A0}", "\u{2003}", "\u{3000}", "\u{2028}", "\u{0085}", "\u{200B}",
                         "\u{FEFF}", "東", "🚀", "\u{0301}", "x y", "\u{1680}", "\u{205F}", "\u{000B}"]

    @Test("trimming the bytes keeps what trimmingCharacters(in:) keeps")
    func trimmingIsFoundations() async {
        let text = Gen.element(of: Self.pieces).compactMap { $0 }.array(of: 0...8).map { $0.joined() }
        await propertyCheck(count: 2000, input: text) { text in
            var copy = text
            copy.withUTF8 { bytes in
                for newlines in [false, true] {
                    let range = UTF8Bytes.trimmed(bytes, newlines: newlines)
                    let ours = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                    let theirs = text.trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
                    #expect(Array(ours.utf8) == Array(theirs.utf8), "\(Array(text.unicodeScalars)) newlines \(newlines)")
                }
            }
        }
    }

    @Test("validity is String(validating:)'s, for any bytes")
    func validityIsTheStandardLibrarys() async {
        // Bytes around the edges of the encoding: continuation bytes, overlong leads,
        // surrogates (ED A0..BF), past U+10FFFF (F4 90, F5..FF).
        let byte = Gen.element(of: [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
                                    0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF].map(UInt8.init)).compactMap { $0 }
        await propertyCheck(count: 20_000, input: byte.array(of: 0...6)) { bytes in
            let ours = bytes.withUnsafeBufferPointer { UTF8Bytes.isValid($0) }
            #expect(ours == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes.map { String($0, radix: 16) })")
        }
        for scalar in [0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF] as [UInt32] {
            #expect(Array(String(Unicode.Scalar(scalar)!).utf8).withUnsafeBufferPointer { UTF8Bytes.isValid($0) })
        }
    }
}
