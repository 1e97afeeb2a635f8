import Foundation
import NewsCore

/// `--color`: whether output is coloured.
public enum ColorChoice: String, CaseIterable, Sendable {
    case auto, always, never

    /// NO_COLOR is not set (or empty): see https://no-color.org.
    public static var noColorUnset: Bool { noColorUnset(ProcessInfo.processInfo.environment) }

    static func noColorUnset(_ environment: [String: String]) -> Bool { (environment["NO_COLOR"] ?? "").isEmpty }

    /// Whether to colour output written to `fd`.
    public func enabled(for fd: Int32, environment: [String: String] = ProcessInfo.processInfo.environment,
                        isTerminal: (Int32) -> Bool = { isatty($0) == 1 }) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if !ColorChoice.noColorUnset(environment) { return false }
            if environment["TERM"] == "dumb" { return false }
            return isTerminal(fd)
        }
    }
}

/// Where output goes: the interactive view, or lines.
public enum OutputChoice {
    /// Whether to open the interactive view: not with `--plain` or in a pipe, and not where
    /// the terminal cannot show it (`unavailableReason`, from the terminal backend: `TERM=dumb`,
    /// no TERM, no terminal to read keys from): there lines are printed as in a pipe, and
    /// one line on stderr (`warn`) says why.
    public static func useView(plain: Bool, stdoutIsTerminal: Bool = isatty(STDOUT_FILENO) == 1,
                               unavailableReason: () -> String?, warn: (String) -> Void = warn) -> Bool {
        guard !plain && stdoutIsTerminal else { return false }
        if let reason = unavailableReason() {
            warn("\(reason); printing lines instead of the view")
            return false
        }
        return true
    }
}
