import Foundation
import NewsCore
import Testing

/// `--plain` colours sources by their place in the recording's `sources` list, as the view does.
@Suite("Source colours in --plain", .timeLimit(.minutes(1)))
struct SourceColorBinaryTests {
    @Test("replay --plain --color always: the recording's order gives the colours; an unlisted source the next")
    func replayColours() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("order.jsonl").path
        let lines = [
            #"{"format":"newsdesk-recording","version":1,"started":"2026-01-01T09:00:00.000Z","sources":["world","tech"]}"#,
            #"{"offset":100,"source":"tech","title":"first"}"#,
            #"{"offset":200,"source":"elsewhere","title":"second"}"#,
            #"{"offset":300,"source":"world","title":"third"}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await newsdesk("replay", file, "--plain", "--speed", "max", "--color", "always", environment: ["TZ": "UTC"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").map(String.init) == [
            "[09:00:00] \u{1B}[32mTech\u{1B}[0m: first",
            "[09:00:00] \u{1B}[33mElsewhere\u{1B}[0m: second",
            "[09:00:00] \u{1B}[36mWorld\u{1B}[0m: third",
        ], "\(result.stdout)")
    }
}
