/// Which column (CSV) or field (JSON Lines) holds a value: by name, or 1-based number.
public enum FieldSpec: Sendable, Equatable, CustomStringConvertible {
    case name(String)
    case column(Int)

    public init(_ text: String) {
        if let n = Int(text), n >= 1 { self = .column(n) } else { self = .name(text) }
    }

    public var description: String {
        switch self {
        case .name(let n): return "'\(n)'"
        case .column(let c): return "column \(c)"
        }
    }
}
