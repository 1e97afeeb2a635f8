import Foundation
import NewsCore

/// A progress line on stderr, rewritten in place, only when stderr is a terminal.
public final class ProgressLine: Sendable {
    public let enabled: Bool
    private let state = Protected((last: Date.distantPast, shown: false))

    public init(enabled: Bool = true) { self.enabled = enabled && isatty(STDERR_FILENO) == 1 }

    /// Shows `text` (at most a few times a second unless `force`).
    public func show(_ text: @autoclosure () -> String, force: Bool = false) {
        guard enabled else { return }
        let now = Date()
        let due = state.withLock { s -> Bool in
            guard force || now.timeIntervalSince(s.last) >= 0.2 else { return false }
            s.last = now
            s.shown = true
            return true
        }
        if due { FileHandle.standardError.write(Data("\r\u{1B}[K\(text())".utf8)) }
    }

    public func finish() {
        guard enabled, state.withLock({ s in defer { s.shown = false }; return s.shown }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
