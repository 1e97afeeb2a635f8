import Foundation
import NewsCore

/// Where a subscribed feed is: an `http`/`https` URL (kept as written) or a file (an
/// absolute path, `~` expanded and `.`/`..` taken out).
public enum FeedLocation: Hashable, Sendable, CustomStringConvertible {
    case url(String)
    case path(String)

    public var description: String {
        switch self {
        case .url(let u): return u
        case .path(let p): return p
        }
    }

    /// What two locations that are the same feed share: a URL's scheme and host in lower
    /// case, no default port, no fragment (``FeedLinks/normalised(_:)``); a path as it is.
    public var key: String {
        switch self {
        case .url(let u): return "url " + FeedLinks.normalised(u)
        case .path(let p): return "path " + p
        }
    }

    /// Reads a location as written in the subscriptions file, on the command line or in an
    /// OPML `xmlUrl`: `http://`/`https://` URLs (`feed://host/x` is read as `http://host/x`,
    /// `feed:https://...` as the URL after `feed:`), `file:///` URLs and paths. A relative
    /// path is taken relative to `folder` (nil: refused), `~` and `~/...` are `home`.
    /// Returns the reason when `text` is none of those.
    public static func parse(_ text: String, relativeTo folder: String?, home: String?) -> Result<FeedLocation, LocationProblem> {
        guard !text.isEmpty else { return .failure(LocationProblem("the location is empty")) }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(LocationProblem("a control character in the location"))
        }
        if let scheme = scheme(of: text) {
            let rest = String(text.dropFirst(scheme.count + 1))
            switch scheme.lowercased() {
            case "http", "https": return checkURL(text, scheme: scheme)
            case "feed":
                // The old "feed:" pseudo-scheme of browsers and readers.
                if let inner = Self.scheme(of: rest), ["http", "https"].contains(inner.lowercased()) { return checkURL(rest, scheme: inner) }
                guard rest.hasPrefix("//") else { return .failure(LocationProblem("'feed:' must be followed by // or an http(s) URL")) }
                return checkURL("http:" + rest, scheme: "http")
            case "file":
                guard let path = filePath(fromURL: text) else {
                    return .failure(LocationProblem("a file URL must be file:///absolute/path (no host)"))
                }
                return .success(.path(normalisedPath(path)))
            default:
                return .failure(LocationProblem("unknown scheme '\(TerminalSafe.sanitize(scheme)):' (http, https, file or a path; write ./\(TerminalSafe.sanitize(text)) for a file)"))
            }
        }
        var path = text
        if path == "~" || path.hasPrefix("~/") {
            guard let home, home.hasPrefix("/") else { return .failure(LocationProblem("'~' needs HOME to be set")) }
            path = home + path.dropFirst()
        } else if path.hasPrefix("~") {
            return .failure(LocationProblem("'~user' paths are not supported: write the whole path"))
        }
        if !path.hasPrefix("/") {
            guard let folder else { return .failure(LocationProblem("a relative path needs a folder to be relative to")) }
            path = folder + "/" + path
        }
        return .success(.path(normalisedPath(path)))
    }

    /// The scheme of `text` (`https` in `https://x`), or nil when it has none: letters,
    /// then letters, digits, `+`, `-` or `.`, then `:`.
    static func scheme(of text: String) -> String? {
        var count = 0
        for b in text.utf8 {
            if b == 0x3A { return count > 0 ? String(text.prefix(count)) : nil }
            let letter = (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A
            if letter || (count > 0 && ((b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2D || b == 0x2E)) { count += 1; continue }
            return nil
        }
        return nil
    }

    static func checkURL(_ text: String, scheme: String) -> Result<FeedLocation, LocationProblem> {
        guard !text.contains(" ") else { return .failure(LocationProblem("a URL cannot contain a space (write it as %20)")) }
        let rest = text.dropFirst(scheme.count + 1)
        guard rest.hasPrefix("//") else { return .failure(LocationProblem("'\(scheme):' must be followed by //host")) }
        let afterSlashes = rest.dropFirst(2)
        let authority = afterSlashes.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        guard !host.isEmpty, !host.hasPrefix(":") else { return .failure(LocationProblem("the URL has no host")) }
        if host.hasPrefix("[") {
            guard host.contains("]") else { return .failure(LocationProblem("the URL's IPv6 host has no closing ]")) }
        } else if let colon = host.lastIndex(of: ":") {
            let port = host[host.index(after: colon)...]
            guard port.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(port.isEmpty ? "0" : port), n <= 65535 else {
                return .failure(LocationProblem("the URL's port '\(TerminalSafe.sanitize(String(port)))' is not a number up to 65535"))
            }
        }
        return .success(.url(text))
    }

    /// `/a b` for `file:///a%20b` (and `file:/a`); nil for a file URL with a host.
    static func filePath(fromURL text: String) -> String? {
        var rest = Substring(text.dropFirst(5))  // "file:"
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            if rest.hasPrefix("localhost/") { rest = rest.dropFirst(9) }
            guard rest.hasPrefix("/") else { return nil }
        }
        guard rest.hasPrefix("/") else { return nil }
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        return percentDecoded(String(rest))
    }

    /// `%XX` decoded (an invalid escape is kept as it is; bytes that are not UTF-8 become U+FFFD).
    static func percentDecoded(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var out: [UInt8] = []
        let bytes = Array(s.utf8)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: return b - 0x30
            case 0x41...0x46: return b - 0x41 + 10
            case 0x61...0x66: return b - 0x61 + 10
            default: return nil
            }
        }
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `file:///a%20b` for `/a b`: every byte but unreserved ones and `/` percent-encoded.
    static func fileURL(_ path: String) -> String {
        var out = "file://"
        for b in path.utf8 {
            let unreserved = (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E || b == 0x2F
            if unreserved { out.unicodeScalars.append(Unicode.Scalar(b)) } else {
                let digits = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [digits[Int(b >> 4)], digits[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    /// An absolute path with `.`, `..` and repeated `/` taken out (lexically: symbolic links are not followed).
    static func normalisedPath(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// Why a location cannot be read (the caller adds the file and line).
public struct LocationProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// One feed of the subscriptions file, as parsed (or imported from OPML).
public struct Subscription: Hashable, Sendable {
    public var location: FeedLocation
    /// The source name given, or nil (the caller derives one, e.g. ``SourceName/defaultName(for:)``).
    public var name: String?
    /// How often to poll it (`every=10m`), or nil for the default.
    public var every: Duration?
    /// The words after the name, in order, without repeats.
    public var tags: [String]

    public init(location: FeedLocation, name: String? = nil, every: Duration? = nil, tags: [String] = []) {
        self.location = location
        self.name = name
        self.every = every
        self.tags = tags
    }

    /// The name to show and to match `source:` on: the one given, or one from the URL's
    /// host (a path's file name without its extension).
    public var effectiveName: String {
        if let name { return name }
        switch location {
        case .url(let u): return SourceName.defaultName(for: u)
        case .path(let p): return SourceName.make(from: SourceName.fileStem(p)) ?? "feed"
        }
    }
}

/// Source names and tags: what the subscriptions file accepts, and how a title, folder or
/// host becomes one.
public enum SourceName {
    /// The longest name or tag.
    public static let maxLength = 64

    /// True when `text` can be a source name or a tag: 1 to 64 characters, each a letter,
    /// a digit, `-`, `_` or `.`, the first neither `-` nor `.` (so that a name never reads
    /// as an option, and `-` alone can mean "no name" in the subscriptions file).
    public static func isValid(_ text: String) -> Bool {
        guard let first = text.first, first != "-", first != ".", text.count <= maxLength else { return false }
        return text.allSatisfy(isAllowed)
    }

    static func isAllowed(_ c: Character) -> Bool {
        if c == "-" || c == "_" || c == "." { return true }
        guard c.isLetter || c.isNumber else { return false }
        // No control, format or invisible scalars hidden behind a letter (combining marks are fine).
        return !c.unicodeScalars.contains { s in
            s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.properties.generalCategory == .format
        }
    }

    /// Why `text` cannot be a name or tag (for messages), or nil when it can.
    public static func problem(_ text: String) -> String? {
        if isValid(text) { return nil }
        if text.count > maxLength { return "longer than \(maxLength) characters" }
        if text.first == "-" || text.first == "." { return "it cannot start with '\(text.first!)'" }
        return "letters, digits, '-', '_' and '.' only"
    }

    /// `text` as a name or tag: kept as it is when it already is one ("theverge",
    /// "Linux"); otherwise in lower case, each run of other characters a `-`, at most 64
    /// characters ("Ars Technica: All content" is `ars-technica-all-content`). Nil when
    /// nothing usable is left.
    public static func make(from text: String) -> String? {
        if isValid(text) { return text }
        var out = ""
        var pendingDash = false
        for c in text.lowercased() {
            if isAllowed(c) && c != "-" {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                if out.isEmpty && c == "." { continue }
                out.append(c)
                if out.count >= maxLength { break }
            } else {
                pendingDash = true
            }
        }
        while out.last == "-" || out.last == "." { out.removeLast() }
        return out.isEmpty ? nil : out
    }

    /// A file's name without its extension (what `--feed PATH` calls a feed).
    static func fileStem(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = file.lastIndex(of: "."), dot != file.startIndex { return String(file[..<dot]) }
        return file.isEmpty ? "feed" : file
    }

    /// Labels that say nothing about a feed, dropped from the front of a host.
    static let genericLabels: Set<String> = ["www", "www2", "feeds", "feed", "rss", "atom", "m"]
    /// Second-level labels under a country's domain (`co.uk`, `com.au`) dropped with it.
    static let secondLevel: Set<String> = ["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go", "gv"]

    /// A name from a URL's host: without `www.` (and other generic first labels: `feeds.`,
    /// `rss.`) and without the top-level domain (with `co.uk`-style second levels):
    /// `https://www.theverge.com/rss` is `theverge`, `https://feeds.bbci.co.uk/news/rss.xml`
    /// `bbci`, `https://blog.rust-lang.org/feed.xml` `blog.rust-lang`. An IP address is kept
    /// (`127.0.0.1`); `feed` when there is no host.
    public static func defaultName(for url: String) -> String {
        var rest = Substring(url)
        if let sep = rest.range(of: "://") { rest = rest[sep.upperBound...] }
        var host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return make(from: "ip6 " + host[host.index(after: host.startIndex)..<close]) ?? "feed"
        }
        if let colon = host.lastIndex(of: ":") { host = host[..<colon] }
        var labels = host.lowercased().split(separator: ".").map(String.init)
        if labels.isEmpty { return "feed" }
        if labels.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) { return make(from: labels.joined(separator: ".")) ?? "feed" }
        if labels.count > 1 {
            let tld = labels.removeLast()
            if labels.count > 1, tld.count == 2, secondLevel.contains(labels[labels.count - 1]) { labels.removeLast() }
        }
        while labels.count > 1, genericLabels.contains(labels[0]) { labels.removeFirst() }
        return make(from: labels.joined(separator: ".")) ?? "feed"
    }
}
