import Foundation
import NewsCore
import NewsStore

/// `newsdesk import FILE --store PATH`: headlines added to the store (issue 13). A
/// recording is read as it is; a CSV, JSON Lines or feed file goes through the import
/// into a recording first (``ImportRun``: its sorting, options and checks), then that.
public enum StoreImport {
    /// Headlines stored per transaction.
    public static let batchSize = 10_000

    /// Whether `path` is a regular file that starts with a recording's header.
    public static func isRecording(_ path: String) -> Bool {
        guard path != "-", !ImportInput.isStream(path) else { return false }
        return (try? RecordingReader(path: path)) != nil
    }

    /// What adding a recording came to.
    public struct Outcome: Equatable, Sendable {
        /// Headlines read from the recording.
        public var read = 0
        /// Of those, the ones the store had not seen (feed and id).
        public var new = 0
        /// Malformed lines skipped.
        public var skipped = 0
    }

    /// Adds every headline of the recording at `path` to `store`, each under its source as
    /// the feed's name, `batchSize` headlines a transaction (one per source in a batch).
    public static func add(recording path: String, to store: HeadlineStore, batchSize: Int = StoreImport.batchSize) throws -> Outcome {
        let reader = try RecordingReader(path: path)
        var outcome = Outcome()
        var batch: [Headline] = []
        batch.reserveCapacity(batchSize)
        func flush() throws(StoreError) {
            guard !batch.isEmpty else { return }
            // Per source, in the recording's order (a source's later update after its first).
            var order: [String] = []
            var bySource: [String: [Headline]] = [:]
            for h in batch {
                if bySource[h.source] == nil { order.append(h.source) }
                bySource[h.source, default: []].append(h)
            }
            for source in order {
                outcome.new += try store.insert(bySource[source]!, feed: source).filter { $0 }.count
            }
            batch.removeAll(keepingCapacity: true)
        }
        while let arrival = try reader.nextArrival() {
            batch.append(arrival.headline)
            outcome.read += 1
            if batch.count >= batchSize { try flush() }
        }
        try flush()
        outcome.skipped = reader.malformed
        return outcome
    }

    /// Imports `request`'s input into the store of `choice` (which names a file): a
    /// recording directly, anything else through ``ImportRun`` into `out` (or, without it,
    /// a temporary recording that is removed after). Says how many were new on stderr.
    /// Exit statuses: ``ImportRun``'s, 73/74 for the store.
    public static func run(_ request: ImportRequest, out: String?, store choice: StoreChoice) async throws(CommandExit) {
        let store = try StoreAccess.open(choice)
        let input = request.options.input
        var recording = input
        var temporary: String?
        defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
        if !isRecording(input) {
            var request = request
            if let out {
                request.options.output = out
            } else {
                var template = Array((NSTemporaryDirectory() + "/newsdesk-import-XXXXXX").utf8CString)
                guard let made = mkdtemp(&template) else {
                    warn("cannot make a temporary folder for the import: \(String(cString: strerror(errno)))")
                    throw CommandExit(73)
                }
                temporary = String(cString: made)
                request.options.output = temporary! + "/import.jsonl"
            }
            try await ImportRun.run(request, outName: out == nil ? "the store" : nil)
            recording = request.options.output
        } else if out != nil {
            warn(TerminalSafe.sanitize("\(input) is a recording already: --store adds it as it is, without --out"))
            throw CommandExit(64)
        }
        let outcome: Outcome
        do {
            outcome = try add(recording: recording, to: store)
        } catch let error as StoreError {
            warn(TerminalSafe.sanitize("\(error)"))
            throw CommandExit(error.exitStatus)
        } catch {
            warn(TerminalSafe.sanitize("\(error)"))
            throw CommandExit(error is FileError ? 66 : 65)
        }
        var line = "stored \(CountText.counted(outcome.read, "headline", "headlines")) in \(store.path): \(outcome.new.formatted()) new"
        if outcome.read > outcome.new { line += ", \((outcome.read - outcome.new).formatted()) already there" }
        if outcome.skipped > 0 { line += "; skipped \(CountText.counted(outcome.skipped, "malformed line", "malformed lines"))" }
        warn(TerminalSafe.sanitize(line))
    }
}
