/// Faults put into a simulated source on purpose (`--fault sports=fail`), to watch and
/// test how newsdesk copes with sources that misbehave.
public enum FaultKind: String, CaseIterable, Sendable {
    /// Fails every 20 headlines, then fails again on the next 3 retries (so the backoff
    /// shows: 1 s, 2 s, 4 s, 8 s), then recovers.
    case fail
    /// Stops after 5 headlines and never sends another (until stopped).
    case stall
    /// Sends headlines as fast as it can, not on a schedule (a live source).
    case flood
}

/// A failure of a simulated source (what a network source would throw).
public struct SourceFault: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// `--fault name=kind[,name=kind]`: which source gets which fault.
public func parseFaults(_ text: String) throws(SourceFault) -> [String: FaultKind] {
    var faults: [String: FaultKind] = [:]
    for part in text.split(separator: ",") {
        let pair = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
        guard pair.count == 2, !pair[0].isEmpty, let kind = FaultKind(rawValue: pair[1].lowercased()) else {
            throw SourceFault("'\(part)' is not source=kind (kinds: \(FaultKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        faults[pair[0]] = kind
    }
    return faults
}
