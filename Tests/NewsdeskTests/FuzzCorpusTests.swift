import Foundation
import Testing

/// The fuzz seeds and every input that once crashed (Tests/FuzzCorpus/<target>/), run
/// through the same checks as the fuzzer by `newsdesk-fuzz` built as a plain runner.
@Suite("Saved fuzz inputs", .timeLimit(.minutes(1)))
struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus")

    @Test("every saved input runs clean", arguments: ["reader", "csv", "jsonl", "query", "feedxml", "feedjson"])
    func corpus(_ target: String) async throws {
        let dir = Self.root.appendingPathComponent(target)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().map { dir.appendingPathComponent($0).path }
        #expect(!files.isEmpty, "no saved inputs for \(target)")
        let runner = URL(fileURLWithPath: newsdeskBinary).deletingLastPathComponent().appendingPathComponent("newsdesk-fuzz").path
        let result = try await run(runner, [target] + files)
        #expect(result.status == 0, "\(result.stderr)")
    }
}
