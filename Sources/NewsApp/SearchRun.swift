import Foundation
import NewsCore
import NewsStore

/// The words that every headline a query matches must contain, for the store's word
/// index to narrow a search (issue 13).
public enum QueryWords {
    /// The positive words and phrases AND-ed at the top of `query` (`a "b c" -d e|f
    /// source:x` gives `a`, `b c`): a match contains every one. Under an OR or a NOT a term
    /// is not required, and `source:` says nothing of the title, so a query of only those
    /// gives none (the search then scans every headline).
    public static func required(_ query: Query) -> [String] {
        switch query.root {
        case .term(let term): return [term.text]
        case .and(let parts):
            return parts.compactMap { part in
                if case .term(let term) = part { return term.text }
                return nil
            }
        case .all, .source, .not, .or: return []
        }
    }
}

/// `newsdesk search QUERY`: the store's headlines that match, newest first, as `--plain`
/// prints them.
public enum SearchRun {
    /// What is wrong with the query (for exit 64, with a caret under it), or nil.
    public static func problem(_ text: String) -> String? {
        do {
            _ = try Query.parse(text)
            return nil
        } catch {
            return "invalid query: \(error.message)\n\(error.pointing(into: text))"
        }
    }

    /// The headlines of `store` that match `query`, newest first, at most `limit`: the word
    /// index finds those whose title has each required word (``QueryWords``) at the start
    /// of one of its words; the query's own matcher decides among them.
    public static func matches(_ query: Query, in store: HeadlineStore, limit: Int) throws(StoreError) -> [StoredHeadline] {
        var matcher = HeadlineMatcher(query)
        return try store.search(QueryWords.required(query).joined(separator: " "), limit: limit) { matcher.matches($0.headline) }
    }

    /// Searches the existing store of `choice` and prints the matches on standard output.
    /// Exit 1 (thrown) when nothing matches, as grep; 66 without a store; 73/74 for a store
    /// that cannot be read.
    public static func run(query text: String, store choice: StoreChoice, limit: Int, color: Bool) throws(CommandExit) {
        let query = Filters.query(text)
        let store = try StoreAccess.openExisting(choice)
        let found = try StoreAccess.attempt { () throws(StoreError) in try matches(query, in: store, limit: limit) }
        guard !found.isEmpty else { throw CommandExit(1) }
        var formatter = PlainFormatter(color: color)
        var out: [UInt8] = []
        for item in found { formatter.append(item.headline, to: &out) }
        StoreAccess.writeOut(out)
    }
}
