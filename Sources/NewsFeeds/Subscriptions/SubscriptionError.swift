import NewsCore

/// A problem with the subscriptions file or an OPML file, as `FILE:LINE: reason` (line 0:
/// about the whole file, `FILE: reason`). Every piece of data quoted in it is made
/// terminal-safe.
public struct SubscriptionError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A line that cannot be read, or an OPML file that is broken or not OPML (exit 78, EX_CONFIG, for the subscriptions file).
        case malformed
        /// A feed or name that is already in the file (from `add`).
        case duplicate
        /// The file exists but cannot be read (or is not a regular file, or too large).
        case unreadable
        /// The file or its folder cannot be created or written.
        case unwritable
    }

    public var kind: Kind
    public var path: String
    public var line: Int
    public var reason: String

    public init(_ kind: Kind, path: String, line: Int, _ reason: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        let file = TerminalSafe.sanitize(path)
        return line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)"
    }
}

/// `'text'` for a message: terminal-safe, and cut at 80 characters.
func quoted(_ text: String) -> String {
    let cut = text.count > 80 ? String(text.prefix(77)) + "..." : text
    return "'" + TerminalSafe.sanitize(cut) + "'"
}
