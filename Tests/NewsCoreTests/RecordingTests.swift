import Foundation
@testable import NewsCore
import PropertyBased
import Testing

/// A fresh temporary file path (removed by the caller's defer).
func temporaryPath(_ name: String = "recording.jsonl") -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newsdesk-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

func removeTemporary(_ path: String) {
    try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
}

/// Writes raw bytes as a file.
func writeFile(_ path: String, _ text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

let header = #"{"format":"newsdesk-recording","version":1,"started":"2026-01-01T00:00:00.000Z","sources":["tech"]}"#

/// Every event of a recording, and the reader (for its problems).
func readAll(_ path: String, strict: Bool = false) throws -> ([RecordedEvent], RecordingReader) {
    let reader = try RecordingReader(path: path, strict: strict)
    var events: [RecordedEvent] = []
    while let event = try reader.next() { events.append(event) }
    return (events, reader)
}

@Suite("Recording format")
struct RecordingTests {
    static let tricky = ["a", "Zürich", "東京", "🚀", "e\u{301}", "\"", "\\", "\u{1B}[2J", "\u{07}", "\n", "\t", "\r", "\u{0}",
                         "\u{7F}", "\u{85}", "\u{2028}", "x y", "{\"json\":1}", "/", "\u{FEFF}", "\u{10FFFF}"]

    @Test("writing then reading any headlines gives them back exactly (property)")
    func roundTrip() async throws {
        let text = Gen.element(of: Self.tricky).compactMap { $0 }.array(of: 0...8).map { $0.joined() }
        let optionalText = Gen.element(of: [nil, "Kernel Post", "https://example.org/a?b=c&d=\"e\"", "Résumé \u{1B}", ""])
        let offsets = Gen.int(in: -5_000...5_000_000_000).array(of: 1...20)
        await propertyCheck(count: 100, input: text.array(of: 20), offsets, optionalText.array(of: HeadlineField.allCases.count), Gen.int(in: -62_000_000_000_000...250_000_000_000_000)) {
            titles, offsets, extras, published in
            let path = temporaryPath()
            defer { removeTemporary(path) }
            let arrivals = offsets.enumerated().map { i, offset in
                var headline = Headline(
                    id: "id-\(i)" + titles[i], source: titles[(i + 1) % 20].isEmpty ? "src" : titles[(i + 1) % 20],
                    title: titles[i], published: Timestamp(milliseconds: Int64(published) + Int64(i)))
                for field in HeadlineField.allCases { headline[field] = extras[field.rawValue] ?? nil }
                return Arrival(offset: Int64(offset), headline: headline)
            }
            do {
                let writer = try RecordingWriter(path: path, header: RecordingHeader(started: Timestamp(milliseconds: 0), seed: 9, sources: ["a", "b\u{1B}"]))
                try writer.write(Array(arrivals.prefix(7)))
                try writer.write(Array(arrivals.dropFirst(7)))
                try writer.close()
                let (events, reader) = try readAll(path)
                #expect(events.map(\.arrival) == arrivals)
                #expect(reader.header == RecordingHeader(started: Timestamp(milliseconds: 0), seed: 9, sources: ["a", "b\u{1B}"]))
                #expect(reader.malformed == 0)
                // Each event is exactly one line (control characters are escaped).
                let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines.count == arrivals.count + 2 && lines.last == "")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    struct Broken: CustomTestStringConvertible, Sendable {
        var name: String
        var line: String
        var reason: String
        var testDescription: String { name }
    }

    static let broken: [Broken] = [
        Broken(name: "bad JSON", line: #"{"offset":1,"title":"x""#, reason: "expected ',' or '}'"),
        Broken(name: "not an object", line: "[1,2,3]", reason: "each line must be a JSON object"),
        Broken(name: "offset as a string", line: #"{"offset":"12","source":"tech","title":"x"}"#, reason: "'offset' must be a number"),
        Broken(name: "fractional offset", line: #"{"offset":1.5,"source":"tech","title":"x"}"#, reason: "expected a whole number"),
        Broken(name: "title as a number", line: #"{"offset":1,"source":"tech","title":3}"#, reason: "'title' must be a string"),
        Broken(name: "missing title", line: #"{"offset":1,"source":"tech"}"#, reason: "missing 'title'"),
        Broken(name: "missing offset", line: #"{"source":"tech","title":"x"}"#, reason: "missing 'offset'"),
        Broken(name: "missing source", line: #"{"offset":1,"title":"x"}"#, reason: "missing 'source'"),
        Broken(name: "unparseable time", line: #"{"offset":1,"source":"tech","title":"x","published":"last tuesday"}"#, reason: "'published' must be an ISO 8601 time"),
        // Found by fuzzing: these read, but did not write back as the same event.
        Broken(name: "published past 9999", line: #"{"offset":1,"source":"tech","title":"x","published":1767225667225600000}"#, reason: "'published' is not a time between the years 0 and 9999"),
        Broken(name: "offset past 9999", line: #"{"offset":9000000000000000000,"source":"tech","title":"x"}"#, reason: "'offset' is too large"),
        Broken(name: "bad escape", line: #"{"offset":1,"source":"tech","title":"a\qb"}"#, reason: "invalid escape"),
        Broken(name: "raw control character", line: "{\"offset\":1,\"source\":\"tech\",\"title\":\"a\u{01}b\"}", reason: "control character inside a string"),
        Broken(name: "trailing text", line: #"{"offset":1,"source":"tech","title":"x"} extra"#, reason: "unexpected characters after the object"),
        Broken(name: "nested too deeply", line: #"{"offset":1,"source":"tech","title":"x","deep":"# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}", reason: "nested too deeply"),
        Broken(name: "lone surrogate", line: #"{"offset":1,"source":"tech","title":"\ud800x"}"#, reason: "unpaired surrogate"),
    ]

    @Test("a malformed line is reported with file, line and reason, skipped, and the rest read", arguments: broken)
    func malformedLine(_ c: Broken) throws {
        let path = temporaryPath()
        defer { removeTemporary(path) }
        try writeFile(path, header + "\n" + #"{"offset":1,"source":"tech","title":"before"}"# + "\n" + c.line + "\n"
            + #"{"offset":2,"source":"tech","title":"after"}"# + "\n")
        let (events, reader) = try readAll(path)
        #expect(events.map(\.arrival.headline.title) == ["before", "after"])
        #expect(reader.malformed == 1)
        let problem = try #require(reader.problems.first)
        #expect(problem.line == 3)
        #expect(problem.path == path)
        #expect(problem.reason.contains(c.reason), "\(problem.reason)")
        #expect(problem.description.hasPrefix("\(path):3: "))
        // Strict: the first problem stops the reading.
        #expect(throws: LineProblem.self) { try readAll(path, strict: true) }
    }

    @Test("invalid UTF-8 and a 10 MB line are reported, memory stays bounded")
    func invalidUTF8AndHugeLine() throws {
        let path = temporaryPath()
        defer { removeTemporary(path) }
        var data = Data((header + "\n").utf8)
        data += Data(#"{"offset":1,"source":"tech","title":"bad "#.utf8) + Data([0xFF, 0xFE]) + Data("\"}\n".utf8)
        data += Data(#"{"offset":2,"source":"tech","title":""#.utf8) + Data(repeating: 0x61, count: 10 << 20) + Data("\"}\n".utf8)
        data += Data((#"{"offset":3,"source":"tech","title":"fine"}"# + "\n").utf8)
        try data.write(to: URL(fileURLWithPath: path))
        let (events, reader) = try readAll(path)
        #expect(events.map(\.arrival.headline.title) == ["fine"])
        #expect(reader.problems.map(\.line) == [2, 3])
        #expect(reader.problems[0].reason.contains("invalid UTF-8"))
        #expect(reader.problems[1].reason.contains("over the 1 MiB limit"))
        #expect(events[0].line == 4)
    }

    @Test("the rules: unknown fields ignored, optional fields missing, duplicate ids kept, numbers for times")
    func rules() throws {
        let path = temporaryPath()
        defer { removeTemporary(path) }
        try writeFile(path, header + "\n"
            + #"{"offset":5,"id":"a","source":"tech","title":"one","future":{"x":[1,2,{"y":null}]},"rating":4.5,"ok":true}"# + "\n"
            + #"{"offset":6,"id":"a","source":"tech","title":"two","outlet":null}"# + "\n"
            + #"{ "title" : "three" , "source":"world", "offset": 7, "published": 1767225600123, "id": 42 }"# + "\n"
            + "\n"
            + #"{"offset":8,"source":"tech","title":"four","published":"2026-01-01T01:00:00+01:00"}"# + "\r\n")
        let (events, reader) = try readAll(path)
        #expect(reader.malformed == 0)
        #expect(events.map(\.arrival.headline.title) == ["one", "two", "three", "four"])
        #expect(events[0].arrival.headline.published == Timestamp(milliseconds: 1_767_225_600_005))  // started + offset
        #expect(events[1].arrival.headline.id == "a" && events[0].arrival.headline.id == "a")
        #expect(events[1].arrival.headline.outlet == nil)
        #expect(events[2].arrival.headline.published == Timestamp(milliseconds: 1_767_225_600_123))
        #expect(events[2].arrival.headline.id == "42")
        #expect(events[3].arrival.headline.published == Timestamp(milliseconds: 1_767_225_600_000))
        #expect(events[3].arrival.headline.id == "line-6")
    }

    @Test("a cut-off last line (kill -9 mid-write) is a warning; every whole line is read")
    func truncatedLastLine() throws {
        let path = temporaryPath()
        defer { removeTemporary(path) }
        try writeFile(path, header + "\n" + #"{"offset":1,"source":"tech","title":"whole"}"# + "\n" + #"{"offset":2,"source":"tech","ti"#)
        let (events, reader) = try readAll(path, strict: true)
        #expect(events.map(\.arrival.headline.title) == ["whole"])
        #expect(reader.malformed == 0)
        #expect(reader.truncatedLastLine?.line == 3)
        #expect(reader.truncatedLastLine?.reason.contains("incomplete") == true)
    }

    @Test("missing, directory, empty, not a recording, a newer version")
    func unreadable() throws {
        #expect(throws: FileError.self) { try RecordingReader(path: "/nonexistent/file.jsonl") }
        #expect(throws: FileError.self) { try RecordingReader(path: "/tmp") }
        let path = temporaryPath()
        defer { removeTemporary(path) }
        try writeFile(path, "")
        let empty = try #require(throws: FileError.self) { try RecordingReader(path: path) }
        #expect(empty.reason == "the file is empty")
        try writeFile(path, #"{"offset":1,"source":"tech","title":"no header"}"# + "\n")
        let notOne = try #require(throws: LineProblem.self) { try RecordingReader(path: path) }
        #expect(notOne.line == 1 && notOne.reason.contains("not a newsdesk recording"))
        try writeFile(path, #"{"format":"newsdesk-recording","version":2,"started":"2026-01-01T00:00:00Z"}"# + "\n")
        let newer = try #require(throws: LineProblem.self) { try RecordingReader(path: path) }
        #expect(newer.reason.contains("version 2 is not supported"))
    }

    @Test("an existing file is not overwritten unless asked")
    func noOverwrite() throws {
        let path = temporaryPath()
        defer { removeTemporary(path) }
        try writeFile(path, "keep me")
        let error = try #require(throws: FileError.self) {
            try RecordingWriter(path: path, header: RecordingHeader(started: Timestamp(milliseconds: 0), sources: []))
        }
        #expect(error.reason.contains("already exists"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
        let writer = try RecordingWriter(path: path, header: RecordingHeader(started: Timestamp(milliseconds: 0), sources: []), overwrite: true)
        try writer.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("{\"format\""))
    }

    @Test("ISO times: formats with and without zone, fractions, and the writer's form")
    func isoTimes() {
        #expect(ISOTime.parse("2026-11-21T22:04:41.357Z") == Timestamp(milliseconds: 1_795_298_681_357))
        #expect(ISOTime.parse("2026-11-21T23:04:41.357+01:00") == Timestamp(milliseconds: 1_795_298_681_357))
        #expect(ISOTime.parse("2026-11-21 22:04:41") == Timestamp(milliseconds: 1_795_298_681_000))
        #expect(ISOTime.parse("2026-11-21") == Timestamp(milliseconds: 1_795_219_200_000))
        #expect(ISOTime.parse("1969-12-31T23:59:59.999Z") == Timestamp(milliseconds: -1))
        #expect(ISOTime.parse("2026-13-01") == nil)
        #expect(ISOTime.parse("yesterday") == nil)
        for ms: Int64 in [0, -1, 1_795_298_681_357, -62_135_596_800_000, 253_402_300_799_999] {
            var out: [UInt8] = []
            ISOTime.append(Timestamp(milliseconds: ms), to: &out)
            #expect(ISOTime.parse(String(decoding: out, as: UTF8.self)) == Timestamp(milliseconds: ms))
            #expect(String(decoding: out, as: UTF8.self) == ISOTime.format(Timestamp(milliseconds: ms)))
        }
    }
}
