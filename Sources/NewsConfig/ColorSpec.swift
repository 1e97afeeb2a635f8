import NewsUI

/// A colour value of `[colors]`: words, in any order, case-insensitive: at most one colour
/// (the foreground), `on` and a colour (the background), and the attributes `bold`,
/// `underline`, `reverse`, `dim`. `"bold yellow on blue"`, `"reverse"`, `"default"` (the
/// terminal's own colours, nothing else). The colours are the eight the view draws.
public enum ColorSpec {
    public static let colorNames: [String] = Color.allCases.map { "\($0)" }
    public static let attributes = ["bold", "underline", "reverse", "dim"]

    /// What the words may be, for an error message.
    public static let syntax = "a colour (\(colorNames.joined(separator: ", "))), 'on' and a background colour, and bold, underline, reverse or dim"

    /// The style `text` names, or why it names none.
    public static func parse(_ text: String) -> Result<Style, SpecError> {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        guard !words.isEmpty else { return .failure(SpecError(reason: "an empty colour: use \(syntax)")) }
        var style = Style()
        var foreground: Color?, background: Color?
        var index = 0
        while index < words.count {
            let word = words[index]
            if word == "on" {
                guard index + 1 < words.count else { return .failure(SpecError(reason: "'on' needs a background colour after it")) }
                let next = words[index + 1]
                guard let color = color(named: next) else { return .failure(notAWord(next)) }
                guard background == nil else { return .failure(SpecError(reason: "has two backgrounds")) }
                background = color
                index += 2
                continue
            }
            if let color = color(named: word) {
                guard foreground == nil else {
                    return .failure(SpecError(reason: "has two colours: write the background after 'on' ('white on blue')"))
                }
                foreground = color
            } else {
                switch word {
                case "bold": style.bold = true
                case "underline": style.underline = true
                case "reverse": style.reverse = true
                case "dim": style.dim = true
                default: return .failure(notAWord(word))
                }
            }
            index += 1
        }
        style.foreground = foreground ?? .default
        style.background = background ?? .default
        return .success(style)
    }

    /// `style` written back the way ``parse(_:)`` reads it.
    public static func text(_ style: Style) -> String {
        var words: [String] = []
        if style.bold { words.append("bold") }
        if style.underline { words.append("underline") }
        if style.reverse { words.append("reverse") }
        if style.dim { words.append("dim") }
        if style.foreground != .default || words.isEmpty { words.append("\(style.foreground)") }
        if style.background != .default { words += ["on", "\(style.background)"] }
        return words.joined(separator: " ")
    }

    static func color(named name: String) -> Color? { Color.allCases.first { "\($0)" == name } }

    private static func notAWord(_ word: String) -> SpecError {
        let known = colorNames + attributes + ["on"]
        if let near = Suggestion.nearest(word, among: known) {
            return SpecError(reason: "'\(word)' is not a colour (did you mean '\(near)'?)")
        }
        return SpecError(reason: "'\(word)' is not a colour: use \(syntax)")
    }

    public struct SpecError: Error, Sendable, Equatable {
        public var reason: String
    }
}

/// "Did you mean": the nearest of a list of names, by edit distance.
enum Suggestion {
    /// The name of `names` nearest to `word`: the same but for case, else within two edits
    /// (one for short words), else nil.
    static func nearest(_ word: String, among names: [String]) -> String? {
        if let same = names.first(where: { $0.lowercased() == word.lowercased() }) { return same }
        let limit = word.count <= 3 ? 1 : 2
        let scored = names.map { ($0, editDistance($0.lowercased(), word.lowercased())) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance, with a swap of two neighbours as one edit (`qiut` to `quit`).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
