/// The display name of a source: `tech` -> `Tech`, `sports` -> `Sports`.
public func sourceDisplayName(_ source: String) -> String {
    guard let first = source.first else { return source }
    return first.uppercased() + source.dropFirst()
}
