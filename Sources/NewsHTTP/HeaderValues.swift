import NewsCore
import NewsFeeds
import NewsFetch

/// The few response headers the fetcher reads, parsed leniently: what cannot be read is nil.
enum HeaderValues {
    /// `Content-Type: application/rss+xml; charset="ISO-8859-1"` → (`application/rss+xml`, `ISO-8859-1`).
    static func contentType(_ value: String?) -> (mediaType: String?, charset: String?) {
        guard let value else { return (nil, nil) }
        let parts = value.split(separator: ";", omittingEmptySubsequences: false)
        let media = parts.first.map { $0.trimmingBlanks.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        var charset: String?
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingBlanks.lowercased() == "charset" else { continue }
            var v = pair[1].trimmingBlanks
            if v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") { v = String(v.dropFirst().dropLast()) }
            if !v.isEmpty { charset = v }
        }
        return (media, charset)
    }

    /// `Cache-Control: public, max-age=600` → 600 s. `no-cache`/`no-store` say nothing about
    /// how often the feed changes and are ignored.
    static func maxAge(_ value: String?) -> Duration? {
        guard let value else { return nil }
        for directive in value.split(separator: ",") {
            let pair = directive.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingBlanks.lowercased() == "max-age" else { continue }
            var v = pair[1].trimmingBlanks
            if v.hasPrefix("\"") && v.hasSuffix("\"") && v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            if let seconds = Int64(v), seconds >= 0 { return .seconds(seconds) }
        }
        return nil
    }

    /// `Retry-After`: delay-seconds (`120`) or an HTTP date (`Wed, 02 Dec 2026 03:00:00 GMT`),
    /// as the instant before which no request may be sent. A date in the past is `now`.
    static func retryAfter(_ value: String?, now: Timestamp) -> Timestamp? {
        guard let raw = value?.trimmingBlanks, !raw.isEmpty else { return nil }
        if raw.allSatisfy(\.isASCIIDigit) {
            guard let seconds = Int64(raw.prefix(12)) else { return nil }
            return now.adding(milliseconds: seconds * 1000)
        }
        guard let date = FeedDate.parse(raw) else { return nil }
        return max(date, now)
    }
}
