/// Why a config file cannot be used. Its description is what newsdesk prints:
/// `FILE:LINE: reason` for what is wrong inside the file (exit 78, EX_CONFIG), `FILE: reason`
/// for a file that cannot be read at all (exit 66, EX_NOINPUT).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// 1-based; nil when the file could not be read.
    public var line: Int?
    public var reason: String
    /// The exit status: 78 (EX_CONFIG) for the file's content, 66 (EX_NOINPUT) when it cannot be read.
    public var exitCode: Int32

    public init(path: String, line: Int?, reason: String, exitCode: Int32 = ConfigError.invalid) {
        self.path = path
        self.line = line
        self.reason = reason
        self.exitCode = exitCode
    }

    /// EX_CONFIG: the file is broken.
    public static let invalid: Int32 = 78
    /// EX_NOINPUT: the file is missing or cannot be opened.
    public static let noInput: Int32 = 66

    public var description: String {
        if let line { return "\(path):\(line): \(reason)" }
        return "\(path): \(reason)"
    }
}
