/// The first line of a recording (see `docs/recording-format.md`).
public struct RecordingHeader: Sendable, Equatable {
    public static let format = "newsdesk-recording"
    public static let version = 1

    /// When offset 0 happened (wall-clock time).
    public var started: Timestamp
    /// The seed of the simulated sources, if simulated.
    public var seed: UInt64?
    public var sources: [String]
    /// Free text about where the recording came from (`import` writes the input's name).
    public var origin: String?

    public init(started: Timestamp, seed: UInt64? = nil, sources: [String], origin: String? = nil) {
        self.started = started
        self.seed = seed
        self.sources = sources
        self.origin = origin
    }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.appendRaw("{\"format\":\"newsdesk-recording\",\"version\":1,\"started\":\"", to: &out)
        ISOTime.append(started, to: &out)
        out.append(0x22)
        if let seed {
            JSONWriter.appendRaw(",\"seed\":", to: &out)
            out.append(contentsOf: Array(String(seed).utf8))
        }
        JSONWriter.appendRaw(",\"sources\":[", to: &out)
        for (i, source) in sources.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONWriter.appendString(source, to: &out)
        }
        out.append(0x5D)
        if let origin {
            JSONWriter.appendRaw(",\"origin\":", to: &out)
            JSONWriter.appendString(origin, to: &out)
        }
        JSONWriter.appendRaw("}\n", to: &out)
        return out
    }

    /// Parses a header line.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) throws(JSONError) -> RecordingHeader {
        var scanner = JSONScanner(line)
        var format: String?, version: Int64?, started: Timestamp?, seed: UInt64?, origin: String?
        var sources: [String] = []
        try scanner.object { (s: inout JSONScanner, key) throws(JSONError) in
            if s.keyIs(key, "format") {
                format = try s.string()
            } else if s.keyIs(key, "version") {
                version = try s.integer()
            } else if s.keyIs(key, "started") {
                let at = s.position
                let text = try s.string()
                guard let t = ISOTime.parse(text) else { throw s.fail("'started' must be an ISO 8601 time", at: at) }
                started = t
            } else if s.keyIs(key, "seed") {
                if !s.takeNull() {
                    let at = s.position
                    let n = try s.number()
                    guard n >= 0, n == n.rounded(), n < 1.8e19 else { throw s.fail("'seed' must be a whole number", at: at) }
                    seed = UInt64(n)
                }
            } else if s.keyIs(key, "sources") {
                try s.expect(0x5B, "'[' (sources is a list)")
                if !s.take(0x5D) {
                    repeat { sources.append(try s.string()) } while s.take(0x2C)
                    try s.expect(0x5D, "',' or ']'")
                }
            } else if s.keyIs(key, "origin") {
                origin = s.takeNull() ? nil : try s.string()
            } else {
                try s.skipValue()
            }
        }
        try scanner.expectEnd()
        guard format == RecordingHeader.format else {
            throw JSONError(message: "not a newsdesk recording: the first line must be its header, {\"format\":\"newsdesk-recording\",\"version\":1,...}", column: 1)
        }
        guard let version else { throw JSONError(message: "the header has no 'version'", column: 1) }
        guard version <= Int64(RecordingHeader.version), version >= 1 else {
            throw JSONError(message: "recording format version \(version) is not supported (this newsdesk reads version \(RecordingHeader.version))", column: 1)
        }
        guard let started else { throw JSONError(message: "the header has no 'started' time", column: 1) }
        return RecordingHeader(started: started, seed: seed, sources: sources, origin: origin)
    }
}
