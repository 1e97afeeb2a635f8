/// A search term: a word or a quoted phrase.
public struct QueryTerm: Sendable, Hashable {
    /// As typed (without quotes).
    public let text: String
    /// Case-folded UTF-8, as searched for.
    public let folded: [UInt8]
    public let isPhrase: Bool

    public init(_ text: String, isPhrase: Bool = false) {
        self.text = text
        self.folded = CaseFolding.fold(text)
        self.isPhrase = isPhrase
    }
}
