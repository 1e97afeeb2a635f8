/// The display name of a source: `bbc-world` -> `Bbc-world` (the first letter in capitals).
public func sourceDisplayName(_ source: String) -> String {
    guard let first = source.first else { return source }
    return first.uppercased() + source.dropFirst()
}
