import Foundation

/// How requests and results cross the C boundary between newsdesk and its HTTP plugin
/// (``PluginFetcher``): plain bytes, since no Swift value may cross it (the plugin is an
/// image of its own, with its own copies of these types).
///
/// A value is its JSON; a fetch result is a 4-byte little-endian length, the JSON of the
/// result with the body left out, then the body's bytes as they are (a feed of 32 MiB is
/// not turned into a JSON array of numbers).
public enum FetchWire {
    public static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        (try? Array(JSONEncoder().encode(value))) ?? []
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ bytes: UnsafeRawBufferPointer) -> T? {
        try? JSONDecoder().decode(type, from: Data(bytes))
    }

    public static func encode(result: FetchResult) -> [UInt8] {
        var head = result
        var body: [UInt8] = []
        if case .ok(var feed) = result {
            body = feed.bytes
            feed.bytes = []
            head = .ok(feed)
        }
        let json = encode(head)
        var out: [UInt8] = []
        out.reserveCapacity(4 + json.count + body.count)
        let n = UInt32(json.count)
        out += [UInt8(n & 0xff), UInt8((n >> 8) & 0xff), UInt8((n >> 16) & 0xff), UInt8(n >> 24)]
        out += json
        out += body
        return out
    }

    public static func decodeResult(_ bytes: UnsafeRawBufferPointer) -> FetchResult {
        guard bytes.count >= 4 else { return .failed(.connection("the HTTP plugin sent a broken answer")) }
        let n = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        guard n <= bytes.count - 4, let head = decode(FetchResult.self, UnsafeRawBufferPointer(rebasing: bytes[4..<(4 + n)])) else {
            return .failed(.connection("the HTTP plugin sent a broken answer"))
        }
        guard case .ok(var feed) = head else { return head }
        feed.bytes = Array(bytes[(4 + n)...])
        return .ok(feed)
    }
}
