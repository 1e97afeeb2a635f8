import Foundation
import Testing

/// A loopback feed server for these tests, in Python (NewsdeskTests has no NIO): /old
/// answers 301 to /feed.xml, /feed.xml is an RSS feed; every request's path is a line in
/// `requests.log` in `dir`. The port is the first line it prints.
final class MovingFeedServer {
    static let script = #"""
        import sys, os
        from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
        DIR = sys.argv[1]
        BODY = open(os.path.join(DIR, "feed.xml"), "rb").read()
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass
            def do_GET(self):
                with open(os.path.join(DIR, "requests.log"), "a") as log:
                    log.write(self.path + "\n")
                if self.path == "/old":
                    self.send_response(301)
                    self.send_header("Location", "http://127.0.0.1:%d/feed.xml" % self.server.server_address[1])
                    self.send_header("Content-Length", "0"); self.end_headers(); return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(BODY)))
                self.end_headers()
                self.wfile.write(BODY)
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    let process = Process()
    let dir: URL
    let port: Int

    init(dir: URL, feed: String) throws {
        self.dir = dir
        try feed.write(to: dir.appendingPathComponent("feed.xml"), atomically: true, encoding: .utf8)
        let script = dir.appendingPathComponent("server.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", script.path, dir.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        port = Int(String(decoding: line, as: UTF8.self)) ?? 0
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The paths asked so far, in order.
    var requests: [String] {
        ((try? String(contentsOf: dir.appendingPathComponent("requests.log"), encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }

    /// SIGKILL: the test runner ignores SIGTERM, and its children inherit that.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Issue 12's "In the view": the sources screen (S) and R on a real terminal, and the
/// moved feed in plain mode, against a loopback server the test starts.
@Suite("Sources screen and refresh over HTTP (tmux)", .serialized, .timeLimit(.minutes(2)))
struct SourcesScreenTerminalTests {
    @Test("newsdesk --feed URL: S shows the feed moved (301) and its next poll; R makes a second request at once")
    func sourcesScreenAndRefresh() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try MovingFeedServer(dir: dir, feed: rssFeed([("a", "A story over HTTP", 1)], title: "Wire"))
        defer { server.stop() }
        #expect(server.port > 0)
        try await withTmux(columns: 100, rows: 20) { tmux in
            try await tmux.type("S=$(stty -g); clear; \(newsdeskBinary) --feed wire=\(server.url("/old")) --every 1h")
            try await tmux.keys("Enter")
            try await tmux.waitFor("the feed's story") { $0.contains { $0.contains("A story over HTTP") } }
            try await tmux.type("S")
            let screen = try await tmux.waitFor("the feed's status") { lines in
                lines.contains { $0.contains("wire") && $0.contains("moved to \(server.url("/feed.xml"))") }
            }
            let row = screen.dropFirst().first { $0.contains(" wire ") } ?? ""  // below the bar (which may say it moved)
            // Fetched just now (or seconds ago); the next poll an hour on, with a little jitter.
            #expect(row.contains(" now ") || row.contains("s ago"), "\(row)")
            #expect(row.contains("in 59m") || row.contains("in 1h"), "\(row)")
            #expect(server.requests == ["/old", "/feed.xml"])
            try await tmux.type("R")
            try await tmux.waitFor("the refresh in the bar") { $0.first?.contains("refreshing wire") == true }
            // No clock moved: the second request is the refresh's, an hour early.
            for _ in 0..<100 where server.requests.count < 3 { try await Task.sleep(for: .milliseconds(100)) }
            #expect(server.requests == ["/old", "/feed.xml", "/feed.xml"])
            try await tmux.type("q")
            try await tmux.type("q")
            try await tmux.checkRestored()
        }
    }

    @Test("--plain: a 301 is one line on stderr, 'newsdesk: NAME: moved permanently to URL (update the subscription)'")
    func movedInPlainMode() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try MovingFeedServer(dir: dir, feed: rssFeed([("a", "First", 1)], title: "Wire"))
        defer { server.stop() }
        let result = try await run(newsdeskBinary, ["--plain", "--feed", "wire=\(server.url("/old"))", "--every", "1s", "--duration", "3s"],
                                   environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["[10:00:00] Wire: First"], "\(result.lines)")
        let moved = result.stderr.split(separator: "\n").filter { $0.contains("moved") }
        #expect(moved == ["newsdesk: wire: moved permanently to \(server.url("/feed.xml")) (update the subscription)"], "\(result.stderr)")
        // It polled again (every second) at the new URL only.
        #expect(server.requests.first == "/old" && server.requests.dropFirst().allSatisfy { $0 == "/feed.xml" } && server.requests.count >= 3,
                "\(server.requests)")
    }
}
