import Foundation

/// Links in feeds: resolving relative ones, and the normal form an item's id is derived from.
public enum FeedLinks {
    /// True when `link` starts with a scheme (`https:`, `mailto:`...).
    static func hasScheme(_ link: String) -> Bool {
        var sawLetter = false
        for b in link.utf8 {
            if b == 0x3A { return sawLetter }
            if FeedDate.isLetter(b) { sawLetter = true; continue }
            if sawLetter && (FeedDate.isDigit(b) || b == 0x2B || b == 0x2D || b == 0x2E) { continue }
            return false
        }
        return false
    }

    /// `link` resolved against `base` (itself absolute or nil); unchanged when it cannot be.
    public static func resolve(_ link: String, against base: String?) -> String {
        guard !link.isEmpty, !hasScheme(link), let base, !base.isEmpty else { return link }
        guard let baseURL = URL(string: base) else { return link }
        if let url = URL(string: link, relativeTo: baseURL) { return url.absoluteString }
        // A link with spaces or other characters URL refuses: encode them, then resolve.
        if let encoded = link.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed.union(.urlPathAllowed)),
           let url = URL(string: encoded, relativeTo: baseURL) {
            return url.absoluteString
        }
        return link
    }

    /// The form two links that are the same page share: scheme and host in lower case,
    /// no default port, no fragment, `/` for an empty path.
    public static func normalised(_ link: String) -> String {
        var s = Substring(link.trimmingCharacters(in: .whitespaces))
        if let hash = s.firstIndex(of: "#") { s = s[..<hash] }
        guard let sep = s.range(of: "://") else { return String(s) }
        let scheme = s[..<sep.lowerBound].lowercased()
        let rest = s[sep.upperBound...]
        let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var host = rest[..<hostEnd].lowercased()
        if (scheme == "http" && host.hasSuffix(":80")) || (scheme == "https" && host.hasSuffix(":443")) {
            host = String(host[..<host.lastIndex(of: ":")!])
        }
        var path = String(rest[hostEnd...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        return scheme + "://" + host + path
    }
}

/// A short source name from a feed's title: its first two words that are not articles,
/// in lower case, joined by `-` ("The Daily Kernel & Gazette" is `daily-kernel`).
public func shortSourceName(fromTitle title: String) -> String {
    let words = title.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    let kept = words.filter { !["the", "a", "an"].contains($0) }
    let chosen = (kept.isEmpty ? words : kept).prefix(2)
    let name = String(chosen.joined(separator: "-").prefix(24))
    return name.isEmpty ? "feed" : name
}
