/// A command's end with an exit status other than 0, its message already on stderr: the
/// runs in this module throw it, and the executable turns it into ArgumentParser's
/// `ExitCode` (this module does not import ArgumentParser).
public struct CommandExit: Error, Equatable, Sendable {
    public let code: Int32
    public init(_ code: Int32) { self.code = code }

    /// Throws `CommandExit(status)` unless `status` is 0.
    public static func check(_ status: Int32) throws(CommandExit) {
        if status != 0 { throw CommandExit(status) }
    }
}
