import Foundation
import NewsCore
import NewsUI
@testable import NewsApp

let t0 = Timestamp(milliseconds: 1_767_258_000_000)  // 2026-01-01T09:00:00Z

func arrival(_ n: Int, at offset: Int64, source: String = "tech") -> Arrival {
    Arrival(offset: offset, headline: Headline(id: "\(source)-\(n)", source: source, title: "Headline \(n)",
                                               published: t0.adding(milliseconds: offset)))
}

/// A recording in a fresh temporary file: headline n at `offsets[n]` milliseconds.
func writeRecording(offsets: [Int64]) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("newsapp-\(UUID().uuidString).jsonl").path
    let writer = try RecordingWriter(path: path, header: RecordingHeader(started: t0, sources: ["tech"]))
    try writer.write(offsets.enumerated().map { arrival($0.offset, at: $0.element) })
    try writer.close()
    return path
}

/// Waits until `condition` holds, letting the app's tasks run: at most a real 120 s, for
/// the whole suite on a loaded machine. It shares two cores with the CPU-bound tests, whose
/// synchronous work can hold both threads of the pool for over a minute (a fresh-clone CI
/// run saw every test wait 80 s, and a 30 s bound time out on a session that was fine).
@MainActor
func eventually(_ what: String, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(120)
    while !condition() {
        guard ContinuousClock.now < deadline else { throw Timeout(what: what) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

struct Timeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// The screen's text lines.
extension MemoryScreen {
    var lines: [String] { frame.map { $0.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? [] }
}
