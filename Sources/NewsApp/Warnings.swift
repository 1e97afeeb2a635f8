import Foundation
import NewsCore

/// A line on stderr, prefixed with the program's name.
public func warn(_ message: String) {
    FileHandle.standardError.write(Data("newsdesk: \(message)\n".utf8))
}

/// The warning for a source that failed and is being retried (`--plain`, `record`). A
/// source that paces its own retries says what it does next itself: `NAME: reason`
/// (`newsdesk: fail: HTTP 500, retrying in 4s`).
public func warnRestarting(_ source: String, _ error: any Error, _ delay: Duration) {
    if error is any SelfPacedSourceError {
        warn("\(TerminalSafe.sanitize(source)): \(error)")
    } else {
        warn("source '\(source)' failed: \(error); retrying in \(DurationText.format(delay.milliseconds))")
    }
}
