import Foundation
import NewsCore
import Testing

/// The memory of `import` with the real binary (issue 11): the file is the one copy of a
/// feed that needs mending all through; no second whole copy (mended, or grown to find the
/// end) is made.
@Suite("Import memory with the binary", .serialized, .timeLimit(.minutes(3)))
struct ImportMemoryBinaryTests {
    /// Peak memory (max RSS, KiB) of `newsdesk import PATH --out OUT --force`, from the kernel's
    /// account of the child process (python3's getrusage: no timing tool needed).
    static func peak(importing path: String, into out: String) async throws -> Int {
        let code = "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stderr=subprocess.DEVNULL); "
            + "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        let result = try await run("/usr/bin/env", ["python3", "-c", code, newsdeskBinary, "import", path, "--out", out, "--force"])
        let words = result.stdout.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(words.first == "0", "\(result.stdout) \(result.stderr)")
        return Int(words.last ?? "") ?? 0
    }

    @Test("importing a 12 MB feed that needs mending takes less than 1.6 times its size over a tiny feed's peak")
    func noSecondCopy() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = #"<?xml version="1.0"?><rss version="2.0"><channel><title>AT&T &mdash; News</title><link>https://n.example/</link>"#
        let tiny = dir.appendingPathComponent("tiny.xml").path
        try (text + "<item><title>one</title><guid>1</guid></item></channel></rss>").write(toFile: tiny, atomically: true, encoding: .utf8)
        for i in 0..<20_000 {
            text += "<item><title>Story \(i): Q&A&nbsp;today</title><guid>g\(i)</guid><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>"
            text += "<description>" + String(repeating: "words &amp; more words ", count: 24) + "</description></item>\n"
        }
        text += "</channel></rss>"
        let big = dir.appendingPathComponent("big.xml").path
        try text.write(toFile: big, atomically: true, encoding: .utf8)
        let size = text.utf8.count
        #expect(size > 12_000_000)
        let out = dir.appendingPathComponent("out.jsonl").path
        let base = try await Self.peak(importing: tiny, into: out)
        let peak = try await Self.peak(importing: big, into: out)
        let grown = (peak - base) * 1024
        // The file itself (1x) plus the parser's state and a sorted run of items; a whole
        // mended copy, or the file's buffer doubled to find its end, would add 1x or more.
        #expect(Double(grown) < 1.6 * Double(size), "peak \(peak) KiB, \(base) KiB for a tiny feed: grew \(grown) bytes for a \(size)-byte feed")
    }
}
