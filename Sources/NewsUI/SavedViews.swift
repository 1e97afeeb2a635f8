import NewsCore

/// A saved filter (`[filters]` of the config file): a named query, one tab of the header.
public struct SavedFilter: Sendable, Equatable {
    public var name: String
    /// The query as written; it is parsed with the session's sources.
    public var query: String

    public init(name: String, query: String) {
        self.name = name
        self.query = query
    }
}

/// An alert (`[alerts]`): arrivals that match its query are highlighted and counted, and
/// with `bell` ring the terminal's bell once per batch of arrivals.
public struct AlertRule: Sendable, Equatable {
    public var name: String
    public var query: String
    public var bell: Bool

    public init(name: String, query: String, bell: Bool = false) {
        self.name = name
        self.query = query
        self.bell = bell
    }
}

/// The header's tabs: "all", then each saved filter, with its count of matches in the
/// history. The current tab is the one whose query is the filter as typed (an empty
/// filter is "all"); after `/` changes it, no tab is current, and Tab goes on from "all".
struct FilterTabs {
    struct Tab {
        var name: String
        var text: String
        var view: FilteredView
    }

    private(set) var tabs: [Tab]

    init(_ filters: [SavedFilter], sources: [String], history: History) {
        tabs = filters.map { filter in
            Tab(name: filter.name, text: filter.query,
                view: FilteredView(query: Query(lenient: filter.query, sources: sources), history: history))
        }
    }

    var isEmpty: Bool { tabs.isEmpty }

    /// The counts follow the history: what arrived, what was evicted, what was replaced.
    mutating func update(from history: History, replaced: [Int] = []) {
        for i in tabs.indices {
            if !replaced.isEmpty { tabs[i].view.recheck(replaced, in: history) }
            tabs[i].view.update(from: history)
        }
    }

    /// Counts over another history (a replay's seek, the store's results shown).
    mutating func recount(_ history: History) {
        for i in tabs.indices { tabs[i].view = FilteredView(query: tabs[i].view.query, history: history) }
    }

    /// The current tab for `filterText`: 0 for "all", i + 1 for the i-th saved filter, nil for none.
    func current(filterText: String) -> Int? {
        let typed = filterText.trimmingSpaces
        if typed.isEmpty { return 0 }
        return tabs.firstIndex { $0.text.trimmingSpaces == typed }.map { $0 + 1 }
    }

    /// The filter text of the tab `step` away from the current one (wrapping round "all").
    func text(after filterText: String, step: Int) -> String {
        let count = tabs.count + 1
        let from = current(filterText: filterText) ?? 0
        let to = ((from + step) % count + count) % count
        return to == 0 ? "" : tabs[to - 1].text
    }
}

/// The alerts' compiled queries and what they have matched this run.
struct AlertWatch {
    private(set) var rules: [(rule: AlertRule, query: Query)]
    /// Live arrivals that matched any alert.
    private(set) var count = 0

    init(_ alerts: [AlertRule], sources: [String]) {
        rules = alerts.map { ($0, Query(lenient: $0.query, sources: sources)) }
    }

    var isEmpty: Bool { rules.isEmpty }

    /// Whether the headline `seq` matches any alert.
    func matches(_ seq: Int, in history: History) -> Bool {
        rules.contains { history.matches(seq, $0.query) }
    }

    /// Counts again over `history` (a replay's seek rebuilt it from the recording): every
    /// headline in it that matches, as if each had just arrived, so that going back and
    /// playing again does not count twice.
    mutating func recount(_ history: History) {
        guard !rules.isEmpty else { return }
        count = (history.firstSeq..<history.nextSeq).count { matches($0, in: history) }
    }

    /// Counts the live arrivals among `seqs` that match; true when one matched an alert with a bell.
    mutating func receive(_ seqs: [Int], in history: History) -> Bool {
        var ring = false
        for seq in seqs {
            let matching = rules.filter { history.matches(seq, $0.query) }
            if !matching.isEmpty { count += 1 }
            if matching.contains(where: \.rule.bell) { ring = true }
        }
        return ring
    }
}

private extension String {
    var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map(index(after:)) ?? start
        return self[start..<max(start, end)]
    }
}
