import Foundation
import NewsCore
import Testing

/// Issue 11 in a real terminal: five feed files in the view, and standard input as a feed
/// while the keys come from the terminal.
@Suite("Feeds as live sources in a real terminal (tmux)", .serialized, .timeLimit(.minutes(2)))
struct FeedTerminalTests {
    static let names = ["hn", "lwn", "bbc", "guardian", "phoronix"]

    @Test("Five feed files: their rows, their names in the header in the order given, the filter, a toggle")
    func fiveFeeds() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var arguments: [String] = []
        for (n, name) in Self.names.enumerated() {
            let file = dir.appendingPathComponent("\(n).xml").path
            try rssFeed((1...3).map { ("\(name)-\($0)", "Story \($0) from \(name)", n + $0) }).write(toFile: file, atomically: true, encoding: .utf8)
            arguments.append("--feed \(name)=\(file)")
        }
        try await withTmux(columns: 110, rows: 30) { tmux in
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) \(arguments.joined(separator: " "))")
            try await tmux.keys("Enter")
            let first = try await tmux.waitFor("fifteen rows from five feeds") { $0.first?.contains("15 of 15") == true }
            var header = Substring(first[0])
            for name in Self.names {
                let found = header.range(of: " \(name) ")
                #expect(found != nil, "\(name) in \(first[0])")
                if let found { header = header[found.upperBound...] }
            }
            for name in Self.names {
                #expect(first.filter { $0.contains("Story") && $0.contains("from \(name)") }.count == 3, "\(first.joined(separator: "\n"))")
            }
            // The filter, as typed.
            try await tmux.type("/guardian")
            let filtered = try await tmux.waitFor("the filter applied") { $0.first?.contains("3 of 15") == true }
            #expect(filtered.filter { $0.contains("Story") }.allSatisfy { $0.contains("from guardian") })
            try await tmux.keys("Enter")
            try await tmux.type("\\")
            // The second feed, hidden by its key.
            try await tmux.type("2")
            let hidden = try await tmux.waitFor("lwn hidden") { $0.first?.contains("12 of 15") == true }
            #expect(!hidden.contains { $0.contains("from lwn") })
            try await tmux.type("q")
            try await tmux.checkRestored()
        }
    }

    @Test("printf ... | newsdesk --feed - --feed FILE: the lines show, keys still work, the status line says when the input ended")
    func standardInputInTheView() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("f.xml").path
        try rssFeed([("x1", "A story from the file", 1)]).write(toFile: file, atomically: true, encoding: .utf8)
        try await withTmux(columns: 100, rows: 20) { tmux in
            try await tmux.type("S=$(stty -g); clear; printf 'first piped title\\nsecond piped title\\n' | \(newsdeskBinary) --feed - --feed news=\(file)")
            try await tmux.keys("Enter")
            let shown = try await tmux.waitFor("the piped lines") { lines in
                lines.first?.contains("3 of 3") == true && lines.contains { $0.contains("second piped title") }
            }
            #expect(shown.contains { $0.contains("first piped title") } && shown.contains { $0.contains(" News ") && $0.contains("A story from the file") })
            try await tmux.waitFor("the end of the input on the status line") { $0.last?.contains("stdin ended") == true }
            // Keys come from the terminal: the filter, then quit.
            try await tmux.type("/second")
            try await tmux.waitFor("the filter applied") { $0.first?.contains("1 of 3") == true }
            try await tmux.keys("Enter")
            try await tmux.type("q")
            try await tmux.checkRestored()
        }
    }

    @Test("newsdesk --feed - with the terminal as standard input is refused (64): the view reads its keys there")
    func terminalAsStandardInput() async throws {
        try await withTmux(columns: 100, rows: 10) { tmux in
            try await tmux.type("clear; \(newsdeskBinary) --feed -; echo status=$?")
            try await tmux.keys("Enter")
            let lines = try await tmux.waitFor("the refusal") { $0.contains { $0.hasPrefix("status=") } }
            #expect(lines.contains("status=64"), "\(lines)")
            #expect(lines.contains { $0.contains("which is the terminal here") })
        }
    }
}
