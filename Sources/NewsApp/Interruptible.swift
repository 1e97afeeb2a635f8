import Foundation
import NewsCore
import NewsStore

/// Runs a command so that Ctrl-C, SIGTERM and SIGHUP end it cleanly: the work is
/// cancelled (every source task stops, buffered output is flushed) instead of the
/// process dying mid-write. A closed pipe (`| head -5`) also ends it quietly.
///
/// A second signal ends the process at once with the signal's status; so does the first
/// when the cancelled work has not finished within `grace` (given for the live feed,
/// whose sources may sit in a system call no cancellation reaches; not for work that
/// must remove its temporary files, which a loaded machine may make slow).
public enum Interruptible {
    /// How long the live feed's cancelled work may take to finish after a signal.
    public static let liveGrace: Duration = .seconds(3)

    /// Returns the exit status: 0, 130 after SIGINT, 143 after SIGTERM, 129 after SIGHUP, 1 on error.
    public static func run(onError: ((any Error) -> Void)? = nil, grace: Duration? = nil,
                           _ work: @escaping @Sendable () async throws -> Void) async -> Int32 {
        signal(SIGPIPE, SIG_IGN)  // a closed pipe becomes EPIPE from write(), handled by OutputWriter
        let task = Task { try await work() }
        let received = SignalBox()
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                guard received.set(sig) else { exit(128 + sig) }  // the second signal
                task.cancel()
                if let (seconds, attoseconds) = grace?.components {
                    DispatchQueue.global().asyncAfter(deadline: .now() + Double(seconds) + Double(attoseconds) / 1e18) {
                        exit(128 + sig)
                    }
                }
            }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }
        do {
            try await task.value
        } catch is CancellationError {
        } catch is OutputWriter.Closed {
            return 0
        } catch {
            if let onError {
                onError(error)
                return 1
            }
            FileHandle.standardError.write(Data("newsdesk: \(error)\n".utf8))
            // The store's failures have their sysexits status (73, 74), as when it cannot be opened.
            return (error as? StoreError)?.exitStatus ?? 1
        }
        if let sig = received.value { return 128 + sig }
        return 0
    }
}

/// The first signal received, shared with the signal handlers.
final class SignalBox: @unchecked Sendable {
    private let lock = NSLock()
    private var signal: Int32?
    /// Keeps the first signal; false when one was already received.
    @discardableResult
    func set(_ s: Int32) -> Bool {
        lock.withLock {
            guard signal == nil else { return false }
            signal = s
            return true
        }
    }
    var value: Int32? { lock.withLock { signal } }
}
