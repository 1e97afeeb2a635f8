import NewsCore

/// The live command's sources: the simulated ones, with any `--fault` put in.
public enum SimulatedFeed {
    /// What is wrong with a `--fault` value, or nil.
    public static func faultProblem(_ fault: String) -> String? {
        do {
            let faults = try parseFaults(fault)
            if let unknown = faults.keys.first(where: { !SimulatedSource.defaultNames.contains($0) }) {
                return "--fault: there is no source '\(unknown)' (sources: \(SimulatedSource.defaultNames.joined(separator: ", ")))"
            }
        } catch {
            return "--fault: \(error)"
        }
        return nil
    }

    /// The simulated sources from `seed`, starting at `start`, with the `--fault`s of `fault`.
    ///   `idTag` goes into every id (see ``SimulatedSource/idTag``).
    public static func sources(seed: UInt64, start: Timestamp, fault: String?, idTag: String? = nil) throws -> [any HeadlineSource] {
        let vocabulary = try Vocabulary.bundled()
        let faults = fault.flatMap { try? parseFaults($0) } ?? [:]
        return try SimulatedSource.defaultNames.map { name -> any HeadlineSource in
            guard let kind = faults[name] else {
                return try SimulatedSource(name: name, vocabulary: vocabulary, seed: seed, start: start, idTag: idTag)
            }
            let base = try SimulatedSource(name: name, vocabulary: vocabulary, seed: seed, start: start,
                                           batchSize: kind == .flood ? 256 : 1, idTag: idTag)
            return FaultySource(base: base, kind: kind)
        }
    }

    /// Failed sources are retried: after 1 s, 2 s, 4 s... up to a minute.
    public static var restart: RestartPolicy { RestartPolicy() }
}
