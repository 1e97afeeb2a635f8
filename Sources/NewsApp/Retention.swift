import NewsCore
import NewsStore

/// `--keep`: how much history the store keeps, pruned at the start of a run. Starred
/// headlines are never pruned.
public enum Retention: Sendable, Equatable {
    /// Headlines published within this many milliseconds (`30d`, `12h`).
    case age(milliseconds: Int64)
    /// At most this many headlines, the newest (`50000`).
    case count(Int)

    /// `30d`, `2w`-free times like the other options (`90m`, `1h`), or a plain count.
    public init?(_ text: String) {
        if !text.isEmpty, text.allSatisfy(\.isASCIIDigit) {
            guard let n = Int(text), n > 0 else { return nil }
            self = .count(n)
        } else if let ms = DurationText.parse(text), ms > 0 {
            self = .age(milliseconds: ms)
        } else {
            return nil
        }
    }

    /// Why `text` is not a `--keep` value, or nil.
    public static func problem(_ text: String) -> String? {
        Retention(text) == nil ? "--keep must be a time like 30d or 12h, or a count of headlines like 50000, not '\(TerminalSafe.sanitize(text))'" : nil
    }

    /// Prunes `store` as of `now`; returns how many headlines went.
    @discardableResult
    public func prune(_ store: HeadlineStore, now: Timestamp) throws(StoreError) -> Int {
        switch self {
        case .age(let ms): return try store.prune(olderThan: now.adding(milliseconds: -ms), keepAtMost: nil)
        case .count(let n): return try store.prune(olderThan: nil, keepAtMost: n)
        }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
