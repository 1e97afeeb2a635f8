/// An import that cannot go on: a usage problem (exit 64), an unreadable input (66), a
/// malformed row under `--strict` (65), an output that cannot be written (73), or the
/// task was cancelled (a signal: nothing is left behind).
public enum ImportError: Error, CustomStringConvertible {
    case usage(String)
    case input(FileError)
    case malformed(LineProblem)
    case output(FileError)
    case interrupted

    public var description: String {
        switch self {
        case .usage(let s): return s
        case .input(let e), .output(let e): return e.description
        case .malformed(let p): return p.description
        case .interrupted: return "interrupted"
        }
    }
}
