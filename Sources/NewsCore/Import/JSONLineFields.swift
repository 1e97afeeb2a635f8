#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fields the importer wants from a JSON Lines object, as bytes: each slot names a key
/// (nil: the slot is not read), matched as written or in lower case (the exact key wins),
/// the last occurrence winning. A string's value is its text (escapes decoded), a number's
/// its text as written, true and false their words; null, objects and arrays give nothing.
///
/// ``Importer/jsonFields(_:)`` (a dictionary of every field's string, for stdin lines) is
/// the same walk (``walk(_:_:)``); this keeps only where the wanted values are (issue 16).
struct JSONLineFields {
    /// A key a slot wants: its bytes in `nameBytes`, and whether it is the slot's name as
    /// written or in lower case. Plain values, so the walk over them per key retains nothing.
    private struct Target {
        var start: Int
        var count: Int
        var slot: Int
        /// The slot's name as written, in lower case, or both (a name in lower case already).
        var exact: Bool
        var lower: Bool
        var ascii: Bool
        var text: Int  // its index in `nameTexts`
    }

    /// Where a value is: in the line, or in `decoded` (an escaped string, a literal).
    fileprivate enum Place {
        case line(Range<Int>)
        case decoded(Range<Int>)
    }

    private let targets: [Target]
    private let nameBytes: [UInt8]
    private let nameTexts: [String]
    private var exact: [Place?]
    private var lower: [Place?]
    private var decoded: [UInt8] = []
    private var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

    init(names: [String?]) {
        var targets: [Target] = [], bytes: [UInt8] = [], texts: [String] = []
        for (slot, name) in names.enumerated() {
            guard let name else { continue }
            let lowered = name.lowercased()
            let forms = lowered == name ? [(name, true, true)] : [(name, true, false), (lowered, false, true)]
            for (text, exact, lower) in forms {
                targets.append(Target(start: bytes.count, count: text.utf8.count, slot: slot, exact: exact, lower: lower,
                                      ascii: text.utf8.allSatisfy { $0 < 0x80 }, text: texts.count))
                bytes.append(contentsOf: text.utf8)
                texts.append(text)
            }
        }
        self.targets = targets
        nameBytes = bytes
        nameTexts = texts
        exact = Array(repeating: nil, count: names.count)
        lower = exact
    }

    /// The keys of `bytes`' fields that have a value (see the type), checking the whole
    /// object as ``read(_:)`` does.
    static func keys(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> Set<String> {
        var keys: Set<String> = []
        try walk(bytes) { (s: inout JSONScanner, key, value) in if value != nil { keys.insert(s.keyText(key)) } }
        return keys
    }

    /// Reads the wanted values of one line (its bytes must stay valid until ``withRow(_:)``).
    mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) {
        line = bytes
        decoded.removeAll(keepingCapacity: true)
        for k in exact.indices {
            exact[k] = nil
            lower[k] = nil
        }
        let targets = self.targets, nameTexts = self.nameTexts
        try nameBytes.withUnsafeBufferPointer { (names: UnsafeBufferPointer<UInt8>) throws(JSONError) in
            try targets.withUnsafeBufferPointer { (targets: UnsafeBufferPointer<Target>) throws(JSONError) in
                try Self.walk(bytes) { (s: inout JSONScanner, key, value) in
                    guard let value else { return }
                    var place: Place?
                    for t in targets {
                        let name = UnsafeBufferPointer(rebasing: names[t.start..<(t.start + t.count)])
                        guard Self.matches(key, name, t.ascii, nameTexts, t.text, in: s) else { continue }
                        if place == nil {
                            switch value {
                            case .raw(let range): place = .line(range)
                            case .text(let text):
                                let start = decoded.count
                                decoded.append(contentsOf: text.utf8)
                                place = .decoded(start..<decoded.count)
                            }
                        }
                        if t.exact { exact[t.slot] = place }
                        if t.lower { lower[t.slot] = place }
                    }
                }
            }
        }
    }

    /// Calls `body` with the line's values by slot.
    func withRow<R>(_ body: (Row) throws(ImportError) -> R) throws(ImportError) -> R {
        let line = self.line
        return try decoded.withUnsafeBufferPointer { (decoded: UnsafeBufferPointer<UInt8>) throws(ImportError) -> R in
            try exact.withUnsafeBufferPointer { (exact: UnsafeBufferPointer<Place?>) throws(ImportError) -> R in
                try lower.withUnsafeBufferPointer { (lower: UnsafeBufferPointer<Place?>) throws(ImportError) -> R in
                    try body(Row(line: line, decoded: decoded, exact: exact, lower: lower))
                }
            }
        }
    }

    struct Row: ImportRow {
        fileprivate let line: UnsafeBufferPointer<UInt8>
        fileprivate let decoded: UnsafeBufferPointer<UInt8>
        fileprivate let exact: UnsafeBufferPointer<Place?>
        fileprivate let lower: UnsafeBufferPointer<Place?>

        @inline(__always)
        func value(_ slot: Int) -> UnsafeBufferPointer<UInt8>? {
            switch exact[slot] ?? lower[slot] {
            case .line(let range)?: UnsafeBufferPointer(rebasing: line[range])
            case .decoded(let range)?: UnsafeBufferPointer(rebasing: decoded[range])
            case nil: nil
            }
        }
    }

    /// A field's value: raw bytes of the line, or text made from them.
    enum Value {
        case raw(Range<Int>)
        case text(String)
    }

    /// Walks the object's top-level fields: `field` gets each key and its value (nil for
    /// null, an object or an array): the checks and messages JSON Lines input has always had.
    static func walk(_ bytes: UnsafeBufferPointer<UInt8>,
                             _ field: (inout JSONScanner, JSONScanner.Key, Value?) -> Void) throws(JSONError) {
        var s = JSONScanner(bytes)
        var first = true
        while let key = try s.nextKey(first: first) {
            first = false
            switch s.peek() {
            case 0x22?:
                let quote = s.position
                if let raw = try s.rawString() {
                    let text = UnsafeBufferPointer(rebasing: bytes[raw])
                    var high: UInt8 = 0
                    for b in text { high |= b }
                    if high >= 0x80 && !UTF8Bytes.isValid(text) { throw s.fail("invalid UTF-8 in a string", at: quote) }
                    field(&s, key, .raw(raw))
                } else {
                    s.position = quote
                    field(&s, key, .text(try s.string()))
                }
            case let b? where b == 0x2D || (0x30...0x39).contains(b):
                let start = s.position
                _ = try s.number()
                field(&s, key, .raw(start..<s.position))
            case 0x74?:
                try s.literal("true")
                field(&s, key, .text("true"))
            case 0x66?:
                try s.literal("false")
                field(&s, key, .text("false"))
            default:
                try s.skipValue()
                field(&s, key, nil)
            }
        }
        try s.expectEnd()
    }

    /// Is `key` the name `name` (`texts[text]`)? Compared byte by byte when both are
    /// ASCII, as strings otherwise (as a dictionary of strings compares them).
    @inline(__always)
    private static func matches(_ key: JSONScanner.Key, _ name: UnsafeBufferPointer<UInt8>, _ ascii: Bool,
                                _ texts: [String], _ text: Int, in s: JSONScanner) -> Bool {
        switch key {
        case .raw(let range):
            let k = UnsafeBufferPointer(rebasing: s.bytes[range])
            if ascii {
                if k.count == name.count && (k.isEmpty || memcmp(k.baseAddress!, name.baseAddress!, k.count) == 0) { return true }
                // A key with other bytes may still be the same string (U+212A KELVIN SIGN is K).
                return k.contains { $0 >= 0x80 } && String(decoding: k, as: UTF8.self) == texts[text]
            }
            return String(decoding: k, as: UTF8.self) == texts[text]
        case .decoded(let string):
            return string == texts[text]
        }
    }
}
