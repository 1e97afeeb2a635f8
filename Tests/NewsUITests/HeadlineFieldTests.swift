import Foundation
import NewsCore
import NewsUI
import Testing

/// Every optional field of a headline, through every place that handles fields: walks
/// `HeadlineField.allCases`, so a new field is covered without editing these tests.
@Suite("Headline fields")
struct HeadlineFieldTests {
    /// A value for each field that no other field has, with characters that need care.
    static func value(_ field: HeadlineField) -> String { "\(field) \"value\" Zürich 東京 \\ \(field.rawValue)" }

    /// Writes `headline` as a recorded event, reads it back, keeps it in a history and
    /// opens it in the detail view; returns the line read, what the reader gave, what the
    /// history gave and the detail screen's lines.
    static func roundTrip(_ headline: Headline) throws -> (line: String, read: Headline, held: Headline, screen: [String]) {
        var bytes: [UInt8] = []
        RecordingEvent.append(Arrival(offset: 1000, headline: headline), to: &bytes)
        let line = String(decoding: bytes, as: UTF8.self)
        let read = try bytes.dropLast().withUnsafeBufferPointer { buffer in
            try RecordingEvent.parse(buffer, started: t0, line: 2).headline
        }
        let history = History(capacity: 10)
        history.append(read)
        let held = history.headline(0)
        var state = AppState(history: history, config: AppConfig(sources: [headline.source], feedStart: t0, color: false, replay: false),
                             columns: 200, rows: 30, now: t0)
        _ = state.handle(.headlines([Arrival(offset: 1000, headline: read)], now: t0.adding(milliseconds: 1000)))
        // The history now holds it twice (the state appends what arrives); the detail view
        // shows the newest, the one the state appended.
        state.apply(.key(.enter))
        // Without the padding to the screen's width.
        return (line, read, held, state.screen.map { String($0.reversed().drop { $0 == " " }.reversed()) })
    }

    @Test("every field goes from the recording writer through the reader and the history to the detail view")
    func everyFieldRoundTrips() throws {
        var full = Headline(id: "x-1", source: "tech", title: "Fields", published: t0.adding(milliseconds: 1000))
        for field in HeadlineField.allCases { full[field] = Self.value(field) }
        let (line, read, held, screen) = try Self.roundTrip(full)
        #expect(read == full)
        #expect(held == full)
        for field in HeadlineField.allCases {
            #expect(read[field] == Self.value(field), "reader: \(field)")
            #expect(held[field] == Self.value(field), "history: \(field)")
            #expect(line.contains("\"\(field.key)\":"), "writer: \(field)")
            let row = screen.first { $0.hasPrefix("  \(field.label) ") }
            #expect(row?.contains(Self.value(field)) == true, "detail view: \(field) in \(screen)")
        }
    }

    @Test("each field on its own, and none: an absent field is no key in the line and a dash in the detail view (no row if not shownWhenMissing)")
    func eachFieldAlone() throws {
        for only in [nil] + HeadlineField.allCases.map(Optional.some) {
            var headline = Headline(id: "x-2", source: "world", title: "One field", published: t0.adding(milliseconds: 1000))
            if let only { headline[only] = Self.value(only) }
            let (line, read, held, screen) = try Self.roundTrip(headline)
            #expect(read == headline && held == headline, "\(String(describing: only))")
            for field in HeadlineField.allCases {
                #expect(line.contains("\"\(field.key)\":") == (field == only), "writer: \(field) with only \(String(describing: only))")
                let row = screen.first { $0.hasPrefix("  \(field.label) ") }
                if field != only && !field.shownWhenMissing {
                    #expect(row == nil, "detail view: \(field) absent but listed: \(String(describing: row))")
                    continue
                }
                #expect(row?.hasSuffix(field == only ? Self.value(field) : "—") == true,
                        "detail view: \(field) with only \(String(describing: only)): \(String(describing: row))")
            }
        }
    }

    @Test("a field's key set to null, or given twice, reads as the JSON says; a number is refused")
    func readerEdgeCases() throws {
        for field in HeadlineField.allCases {
            func parse(_ text: String) throws(JSONError) -> Headline {
                let bytes = Array(text.utf8)
                return try bytes.withUnsafeBufferPointer { (b) throws(JSONError) -> Headline in
                    try RecordingEvent.parse(b, started: t0, line: 1).headline
                }
            }
            let key = "\(field.key)"
            #expect(try parse(#"{"offset":0,"source":"s","title":"t","\#(key)":null}"#)[field] == nil)
            #expect(try parse(#"{"offset":0,"source":"s","title":"t","\#(key)":"a","\#(key)":"b"}"#)[field] == "b")
            #expect(throws: JSONError.self) { try parse(#"{"offset":0,"source":"s","title":"t","\#(key)":1}"#) }
        }
    }

    @Test("the detail view lists every field exactly once")
    func detailListsEachFieldOnce() {
        let listed = [HeadlineField.DetailRow.source, .published, .id].flatMap(HeadlineField.listed(after:))
        #expect(listed.count == HeadlineField.allCases.count)
        #expect(Set(listed) == Set(HeadlineField.allCases))
        // Today's fields keep their order (Source, Outlet, Published, ID, URL, Summary), new ones wherever they go.
        #expect(listed.filter { [.outlet, .url, .summary].contains($0) } == [.outlet, .url, .summary])
        #expect(HeadlineField.listed(after: .source).first == .outlet)
    }
}
