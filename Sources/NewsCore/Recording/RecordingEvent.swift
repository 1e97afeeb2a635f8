public enum RecordingEvent {
    /// Appends one event line (with its newline) to `out`.
    public static func append(_ arrival: Arrival, to out: inout [UInt8]) {
        let h = arrival.headline
        JSONWriter.appendRaw("{\"offset\":", to: &out)
        JSONWriter.appendInteger(arrival.offset, to: &out)
        if arrival.isUpdate { JSONWriter.appendRaw(",\"update\":true", to: &out) }
        appendBody(h, to: &out)
    }

    /// An event line after its offset (and update mark): `,"id":...` to the closing brace
    /// and the newline. The importer keeps rows so encoded until it knows the offsets.
    public static func appendBody(_ h: Headline, to out: inout [UInt8]) {
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
        var s = JSONScanner(bytes)
        var offset: Int64?, id: String?, source: String?, title: String?, published: Timestamp?
        var outlet: String?, summary: String?, url: String?, note: String?
        var update = false
        func optionalString(_ s: inout JSONScanner, _ field: HeadlineField) throws(JSONError) -> String? {
            if s.takeNull() { return nil }
            guard s.peek() == 0x22 else { throw s.fail("'\(field.key)' must be a string") }
            return try s.string()
        }
        // A loop over the keys with locals, the headline built once at the end: with a
        // closure per field (`object`) that filled in a headline, the closure was no longer
        // inlined and the headline copied once more (replay --plain: 8% more instructions;
        // DECISIONS.md, 2026-12-02).
        var first = true
        while let key = try s.nextKey(first: first) {
            first = false
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
            } else if s.keyIs(key, "update") {
                if s.peek() == 0x74 {
                    try s.literal("true")
                    update = true
                } else if s.peek() == 0x66 {
                    try s.literal("false")
                } else if !s.takeNull() {
                    throw s.fail("'update' must be true or false")
                }
            } else if s.keyIs(key, "source") {
                guard s.peek() == 0x22 else { throw s.fail("'source' must be a string") }
                source = try s.string()
            } else if s.keyIs(key, "title") {
                guard s.peek() == 0x22 else { throw s.fail("'title' must be a string") }
                title = try s.string()
            } else if s.keyIs(key, "published") {
                if s.takeNull() { continue }
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
                let value = try optionalString(&s, field)
                // Exhaustive: a new field is a compile error here until it has its local.
                switch field {
                case .outlet: outlet = value
                case .summary: summary = value
                case .url: url = value
                case .note: note = value
                }
            } else {
                try s.skipValue()  // unknown fields are ignored
            }
        }
        try s.expectEnd()
        guard let offset else { throw JSONError(message: "missing 'offset'", column: 1) }
        guard let title else { throw JSONError(message: "missing 'title'", column: 1) }
        guard let source, !source.isEmpty else { throw JSONError(message: "missing 'source'", column: 1) }
        // An offset so large that its time is not one (past the year 9999) is an error, not a trap.
        let (time, overflow) = started.milliseconds.addingReportingOverflow(offset)
        guard !overflow, Timestamp.validMilliseconds.contains(time) else {
            throw JSONError(message: "'offset' is too large: it is past the year 9999", column: 1)
        }
        return Arrival(offset: offset, headline: Headline(
            id: id ?? "line-\(line)", source: source, title: title, published: published ?? started.adding(milliseconds: offset),
            outlet: outlet, summary: summary, url: url, note: note), isUpdate: update)
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
