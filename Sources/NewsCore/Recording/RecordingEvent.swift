public enum RecordingEvent {
    /// Appends one event line (with its newline) to `out`.
    public static func append(_ arrival: Arrival, to out: inout [UInt8]) {
        let h = arrival.headline
        JSONWriter.appendRaw("{\"offset\":", to: &out)
        JSONWriter.appendInteger(arrival.offset, to: &out)
        JSONWriter.appendRaw(",\"id\":", to: &out)
        JSONWriter.appendString(h.id, to: &out)
        JSONWriter.appendRaw(",\"source\":", to: &out)
        JSONWriter.appendString(h.source, to: &out)
        JSONWriter.appendRaw(",\"title\":", to: &out)
        JSONWriter.appendString(h.title, to: &out)
        JSONWriter.appendRaw(",\"published\":\"", to: &out)
        ISOTime.append(h.published, to: &out)
        out.append(0x22)
        HeadlineField.forEach { field in
            guard let value = h[field] else { return }
            JSONWriter.appendRaw(",\"", to: &out)
            JSONWriter.appendRaw(field.key, to: &out)
            JSONWriter.appendRaw("\":", to: &out)
            JSONWriter.appendString(value, to: &out)
        }
        JSONWriter.appendRaw("}\n", to: &out)
    }

    /// Parses one event line. `started` fills in a missing publication time; `line` names
    /// an event that has no id.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, started: Timestamp, line: Int) throws(JSONError) -> Arrival {
        var scanner = JSONScanner(bytes)
        var offset: Int64?, id: String?, source: String?, title: String?, published: Timestamp?
        // The optional fields go straight into the headline (empty strings allocate nothing);
        // the rest is filled in at the end.
        var headline = Headline(id: "", source: "", title: "", published: started)
        func optionalString(_ s: inout JSONScanner, _ field: HeadlineField) throws(JSONError) -> String? {
            if s.takeNull() { return nil }
            guard s.peek() == 0x22 else { throw s.fail("'\(field.key)' must be a string") }
            return try s.string()
        }
        try scanner.object { (s: inout JSONScanner, key) throws(JSONError) in
            if s.keyIs(key, "offset") {
                guard let b = s.peek(), b == 0x2D || (0x30...0x39).contains(b) else { throw s.fail("'offset' must be a number of milliseconds") }
                offset = try s.integer()
            } else if s.keyIs(key, "id") {
                if s.peek() == 0x22 {
                    id = try s.string()
                } else if let b = s.peek(), b == 0x2D || (0x30...0x39).contains(b) {
                    // Numeric ids from other tools are fine.
                    let start = s.position
                    _ = try s.number()
                    id = String(decoding: UnsafeBufferPointer(rebasing: s.bytes[start..<s.position]), as: UTF8.self)
                } else {
                    throw s.fail("'id' must be a string")
                }
            } else if s.keyIs(key, "source") {
                guard s.peek() == 0x22 else { throw s.fail("'source' must be a string") }
                source = try s.string()
            } else if s.keyIs(key, "title") {
                guard s.peek() == 0x22 else { throw s.fail("'title' must be a string") }
                title = try s.string()
            } else if s.keyIs(key, "published") {
                if s.takeNull() { return }
                if s.peek() == 0x22 {
                    let at = s.position
                    if let raw = try s.rawString(), let t = ISOTime.parse(UnsafeBufferPointer(rebasing: s.bytes[raw])) {
                        published = t
                    } else {
                        throw s.fail("'published' must be an ISO 8601 time like 2026-11-21T22:04:41.357Z", at: at)
                    }
                } else {
                    let at = s.position
                    let ms = try s.integer()  // epoch milliseconds
                    guard Timestamp.validMilliseconds.contains(ms) else { throw s.fail("'published' is not a time between the years 0 and 9999", at: at) }
                    published = Timestamp(milliseconds: ms)
                }
            } else if let field = HeadlineField.recorded(key, in: s) {
                headline[field] = try optionalString(&s, field)
            } else {
                try s.skipValue()  // unknown fields are ignored
            }
        }
        try scanner.expectEnd()
        guard let offset else { throw JSONError(message: "missing 'offset'", column: 1) }
        guard let title else { throw JSONError(message: "missing 'title'", column: 1) }
        guard let source, !source.isEmpty else { throw JSONError(message: "missing 'source'", column: 1) }
        // An offset so large that its time is not one (past the year 9999) is an error, not a trap.
        let (time, overflow) = started.milliseconds.addingReportingOverflow(offset)
        guard !overflow, Timestamp.validMilliseconds.contains(time) else {
            throw JSONError(message: "'offset' is too large: it is past the year 9999", column: 1)
        }
        headline.id = id ?? "line-\(line)"
        headline.source = source
        headline.title = title
        headline.published = published ?? started.adding(milliseconds: offset)
        return Arrival(offset: offset, headline: headline)
    }
}

extension HeadlineField {
    /// The field whose recording key `key` is, if any: compared byte by byte in place, as
    /// the reader's fixed keys are, walking the raw values (no array, see ``forEach(_:)``).
    @inline(__always)
    static func recorded(_ key: JSONScanner.Key, in scanner: JSONScanner) -> HeadlineField? {
        var raw = 0
        while let field = HeadlineField(rawValue: raw) {
            if scanner.keyIs(key, field.key) { return field }
            raw += 1
        }
        return nil
    }
}
