/// Which links newsdesk hands to a browser (`o`): only http, https and file URLs, and
/// only whole ones.
///
/// A feed writes its links, so a link is untrusted text: `javascript:` and `data:` would
/// run in the browser, another scheme starts whatever program claims it, a relative link
/// means nothing outside its feed, and a control character (a newline, an escape) has no
/// place in a URL. Such a link is refused with a reason. A link that passes starts with a
/// letter (its scheme), so a program never takes it for an option (`--remote=...`).
public enum OpenableLink {
    /// Why a link is not opened.
    public enum Refusal: Equatable, Sendable {
        /// A scheme other than http, https or file (in lower case, as written up to its colon).
        case scheme(String, link: String)
        /// No scheme: a relative link.
        case relative(String)
        /// A control, bidi or invisible character in it.
        case controlCharacters(String)
        /// `http:` or `https:` without `//` and a host.
        case noHost(String)

        /// For the status line ("not opened: ..."); the link's text made safe and short.
        public var text: String {
            switch self {
            case .scheme(_, let link): "only http, https and file links (\(OpenableLink.shown(link, limit: 24)))"
            case .relative(let link): "a relative link, with no scheme (\(OpenableLink.shown(link, limit: 24)))"
            case .controlCharacters(let link): "the link has control characters in it (\(OpenableLink.shown(link, limit: 24)))"
            case .noHost(let link): "no host in the link (\(OpenableLink.shown(link, limit: 24)))"
            }
        }
    }

    public enum Verdict: Equatable, Sendable {
        /// No link, or an empty one.
        case missing
        case refused(Refusal)
        /// Open this, exactly as written.
        case open(String)
    }

    /// What to do with a headline's link.
    public static func check(_ link: String?) -> Verdict {
        guard let link, !link.isEmpty, link.contains(where: { !$0.isWhitespace }) else { return .missing }
        var previous: Unicode.Scalar?
        let scalars = Array(link.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            if TerminalSafe.placeholder(for: scalar, after: previous, before: i + 1 < scalars.count ? scalars[i + 1] : nil) != nil {
                return .refused(.controlCharacters(link))
            }
            previous = scalar
        }
        guard let scheme = scheme(of: link) else { return .refused(.relative(link)) }
        switch scheme {
        case "http", "https":
            let rest = link.utf8.dropFirst(scheme.utf8.count + 1)
            guard rest.starts(with: "//".utf8), rest.count > 2, rest.dropFirst(2).first != UInt8(ascii: "/") else {
                return .refused(.noHost(link))
            }
            return .open(link)
        case "file":
            return .open(link)
        default:
            return .refused(.scheme(scheme, link: link))
        }
    }

    /// The scheme of `link` in lower case (RFC 3986: a letter, then letters, digits, `+`,
    /// `-`, `.`, up to the first colon), or nil when it has none.
    public static func scheme(of link: String) -> String? {
        var scheme = ""
        for byte in link.utf8 {
            switch byte {
            case UInt8(ascii: ":"):
                return scheme.isEmpty ? nil : scheme
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                scheme.append(Character(Unicode.Scalar(byte | 0x20)))
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                guard !scheme.isEmpty else { return nil }
                scheme.append(Character(Unicode.Scalar(byte)))
            default:
                return nil
            }
        }
        return nil
    }

    /// `link` as a message shows it: terminal-safe, and cut to `limit` characters with "…".
    public static func shown(_ link: String, limit: Int = 60) -> String {
        let safe = TerminalSafe.sanitize(link)
        return safe.count > limit ? String(safe.prefix(limit)) + "…" : safe
    }
}
