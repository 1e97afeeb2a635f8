import DequeModule

/// Which headlines a view lists by the reader's marks (issue 13), apart from the query:
/// the unread ones only (`u`), the starred ones only (`*`), both, or any.
public struct MarksFilter: Hashable, Sendable, CustomStringConvertible {
    public var unreadOnly: Bool
    public var starredOnly: Bool

    public init(unreadOnly: Bool = false, starredOnly: Bool = false) {
        self.unreadOnly = unreadOnly
        self.starredOnly = starredOnly
    }

    public static let any = MarksFilter()

    public var isAny: Bool { !unreadOnly && !starredOnly }

    /// Whether a headline with these marks (``HeadlineMarks``' raw value) is listed.
    @inline(__always) public func accepts(_ marks: UInt8) -> Bool {
        (!unreadOnly || marks & HeadlineMarks.read.rawValue == 0) && (!starredOnly || marks & HeadlineMarks.starred.rawValue != 0)
    }

    public func accepts(_ marks: HeadlineMarks) -> Bool { accepts(marks.rawValue) }

    /// Whether everything this filter accepts, `other` accepts too.
    public func implies(_ other: MarksFilter) -> Bool {
        (unreadOnly || !other.unreadOnly) && (starredOnly || !other.starredOnly)
    }

    /// "unread only", "starred only", "unread starred only"; "" for any.
    public var description: String {
        switch (unreadOnly, starredOnly) {
        case (false, false): return ""
        case (true, false): return "unread only"
        case (false, true): return "starred only"
        case (true, true): return "unread starred only"
        }
    }
}

/// The headlines of a ``History`` that match the current query, kept up to date as
/// headlines arrive and old ones are evicted; ``marks`` narrows it by the reader's marks.
///
/// A mark that changes (a headline read while only unread ones are listed) does not change
/// the list by itself: the row stays until the query or the marks filter is applied again
/// (``setQuery(_:marks:history:)``), as in newsboat, so that nothing jumps away from under
/// the selection. New arrivals are filtered by their marks as they come.
///
/// Changing the query narrows the previous result when the new query implies the old
/// one (the user typed one more character: `goa` -> `goal`, or added a term) and that
/// result is small, and rescans the history otherwise. Both give the same result: when
/// the new query implies the old, its matches are a subset of the old ones. Checking
/// candidates one by one costs about 100 ns each, a parallel SIMD scan of a million
/// titles about 6 ms: narrowing pays off below about a thirtieth of the history.
public struct FilteredView {
    public private(set) var query: Query
    public private(set) var marks: MarksFilter
    /// Matching sequence numbers, oldest first.
    public private(set) var matches: Deque<Int> = []
    /// Every seq below this has been considered.
    public private(set) var scannedUpTo: Int
    /// How the last query change was computed (for tests and the status line).
    public private(set) var lastChange: Change = .rescan

    public enum Change: Sendable, Equatable { case rescan, narrowed }

    public init(query: Query = .all, marks: MarksFilter = .any, history: History) {
        self.query = query
        self.marks = marks
        self.matches = Deque(history.filter(query, marks: marks))
        self.scannedUpTo = history.nextSeq
    }

    public var count: Int { matches.count }

    /// Takes in what arrived since the last update and forgets what was evicted.
    public mutating func update(from history: History) {
        while let first = matches.first, first < history.firstSeq { matches.removeFirst() }
        if scannedUpTo < history.nextSeq {
            matches.append(contentsOf: history.filter(query, from: scannedUpTo, marks: marks))
            scannedUpTo = history.nextSeq
        }
    }

    /// Takes in headlines replaced in place (``History/append(contentsOf:)-([Arrival])``):
    /// each may now match the query or no longer.
    public mutating func recheck(_ seqs: [Int], in history: History) {
        for seq in seqs where history.contains(seq: seq) && seq < scannedUpTo {
            var lo = 0, hi = matches.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if matches[mid] < seq { lo = mid + 1 } else { hi = mid }
            }
            let listed = lo < matches.count && matches[lo] == seq
            let matching = history.matches(seq, query, marks: marks)
            if matching && !listed { matches.insert(seq, at: lo) }
            if !matching && listed { matches.remove(at: lo) }
        }
    }

    /// Switches to `newQuery` (and `newMarks`). The same query and marks again change
    /// nothing (rows whose marks changed since stay listed).
    public mutating func setQuery(_ newQuery: Query, marks newMarks: MarksFilter? = nil, history: History) {
        update(from: history)
        let newMarks = newMarks ?? marks
        if newQuery == query && newMarks == marks { return }
        // Narrowing checks every old match again, so rows kept after their marks changed
        // drop out here; a row the old marks left out cannot have come in since (only listed
        // rows are marked, and a replaced one is rechecked as it arrives).
        if matches.count <= max(4096, history.count / 32) && newQuery.implies(query) && newMarks.implies(marks) {
            matches = Deque(history.refine(matches, by: newQuery, marks: newMarks))
            lastChange = .narrowed
        } else {
            matches = Deque(history.filter(newQuery, marks: newMarks))
            lastChange = .rescan
        }
        query = newQuery
        marks = newMarks
        scannedUpTo = history.nextSeq
    }
}
