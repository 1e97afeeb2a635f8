import NewsCore

/// `--filter` on the command line.
public enum Filters {
    /// What is wrong with `filter`, for a usage error (exit 64), with a caret under the
    /// problem; also a `source:` that names none of `sources`, where they are known ahead
    /// (the list is given). Nil for no filter or a good one.
    public static func problem(_ filter: String?, sources: [String] = []) -> String? {
        guard let filter else { return nil }
        let query: Query
        do {
            query = try Query.parse(filter)
        } catch {
            return "invalid --filter: \(error.message)\n\(error.pointing(into: filter))"
        }
        if let unknown = query.unknownSources(among: sources).first {
            return "invalid --filter: \(unknown.message) (sources: \(sources.joined(separator: ", ")))\n\(unknown.pointing(into: filter))"
        }
        return nil
    }

    /// The query of a (validated) `--filter`; everything without one.
    public static func query(_ filter: String?) -> Query {
        filter.map { (try? Query.parse($0)) ?? Query(lenient: $0) } ?? .all
    }
}
