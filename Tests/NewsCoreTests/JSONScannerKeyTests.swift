import Testing
@testable import NewsCore

/// `JSONScanner.nextKey(first:)`, the loop form the recording reader walks an event line
/// with, against `object(_:)`: the same keys in order, the same errors at the same columns.
@Suite("JSON scanner keys")
struct JSONScannerKeyTests {
    /// The keys (each value skipped) or the error, walking `text` with `nextKey`.
    static func byLoop(_ text: String) -> Result<[String], JSONError> {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            var s = JSONScanner(UnsafeBufferPointer(buffer))
            var keys: [String] = []
            do throws(JSONError) {
                var first = true
                while let key = try s.nextKey(first: first) {
                    first = false
                    keys.append(s.keyText(key))
                    try s.skipValue()
                }
                try s.expectEnd()
                return .success(keys)
            } catch {
                return .failure(error)
            }
        }
    }

    /// The same with `object`.
    static func byClosure(_ text: String) -> Result<[String], JSONError> {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            var s = JSONScanner(UnsafeBufferPointer(buffer))
            var keys: [String] = []
            do throws(JSONError) {
                try s.object { (s: inout JSONScanner, key) throws(JSONError) in
                    keys.append(s.keyText(key))
                    try s.skipValue()
                }
                try s.expectEnd()
                return .success(keys)
            } catch {
                return .failure(error)
            }
        }
    }

    @Test("keys in order, escaped ones decoded; an empty object has none")
    func keys() {
        #expect(Self.byLoop(#"{"offset":1,"id":"a","t\u0069tle":"x","n":{"a":[1,2]}}"#) == .success(["offset", "id", "title", "n"]))
        #expect(Self.byLoop(" { } ") == .success([]))
        #expect(Self.byLoop(#"{ "a" : 1 , "b" : null }"#) == .success(["a", "b"]))
    }

    @Test("malformed objects fail as object(_:) fails, at the same column")
    func sameErrors() {
        for text in ["", "[]", "{", #"{"a""#, #"{"a":1"#, #"{"a":1,}"#, #"{"a":1 "b":2}"#, #"{"a" 1}"#, #"{"a":1}x"#,
                     #"{"a":1,"b":"#, #"{"a":"unterminated}"#, #"{"a":1}"#, #"{"a":{"b":1},"c":[1,{"d":2}]}"#] {
            #expect(Self.byLoop(text) == Self.byClosure(text), "\(text)")
        }
        guard case .failure(let error) = Self.byLoop(#"{"a":1 "b":2}"#) else {
            Issue.record("no error")
            return
        }
        #expect(error.message.contains("',' or '}'"))
    }
}
