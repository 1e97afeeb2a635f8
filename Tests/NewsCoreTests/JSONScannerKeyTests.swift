import Foundation
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

/// `RecordingReader.nextArrival()`, which the replay's batches read, against `next()`.
@Suite("Recording reader arrivals")
struct RecordingReaderArrivalTests {
    @Test("nextArrival gives next()'s arrivals, skipping the same blank and malformed lines")
    func sameArrivals() throws {
        let path = "/tmp/newscore-arrivals-\(UInt64.random(in: 0...UInt64.max)).jsonl"
        defer { unlink(path) }
        let text = """
            {"format":"newsdesk-recording","version":1,"started":"2026-01-01T00:00:00Z","sources":["a"]}
            {"offset":0,"id":"a-1","source":"a","title":"One","outlet":"O","note":"n"}

            {"offset":5,"source":"a"}
            {"offset":10,"id":7,"source":"a","title":"Two","summary":"S","url":"u","extra":[1]}
            {"offset":20,"id":"a-3","source":"a","title":"Three","published":"2026-01-01T00:00:01Z"}

            """
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        let byEvent = try RecordingReader(path: path)
        var events: [RecordedEvent] = []
        while let event = try byEvent.next() { events.append(event) }
        let byArrival = try RecordingReader(path: path)
        var arrivals: [Arrival] = []
        while let arrival = try byArrival.nextArrival() { arrivals.append(arrival) }
        #expect(events.map(\.line) == [2, 5, 6])
        #expect(arrivals == events.map(\.arrival))
        #expect(arrivals.map(\.headline.id) == ["a-1", "7", "a-3"])
        #expect(arrivals[0].headline.note == "n" && arrivals[1].headline.url == "u")
        #expect(byArrival.malformed == byEvent.malformed && byEvent.malformed == 1)
    }
}
