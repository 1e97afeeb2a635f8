import Foundation
import NewsCore
import NewsUI
import Testing
@testable import NewsApp

/// A link full of shell metacharacters, quotes and spaces: each is only a character.
let hostileLink = #"https://example.com/a?x=$(touch PWNED1)&y=`touch PWNED2`;touch PWNED3|touch PWNED4 'q' "d" %s %% \ &&"#

@Suite("Opening links: which command, which arguments")
struct LinkOpenerPlanTests {
    /// A PATH look-up that knows `programs` (in /bin) and nothing else.
    func opener(command: [String]? = nil, env: [String: String], programs: Set<String>) -> LinkOpener {
        LinkOpener(command: command, environment: env) { name, path in
            #expect(path == env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
            return programs.contains(name) ? "/bin/\(name)" : nil
        }
    }

    let url = "https://example.com/x"

    @Test("the configured command comes first, with the URL appended as one argument")
    func configured() throws {
        let o = opener(command: ["firefox", "--new-tab"], env: ["BROWSER": "w3m", "PATH": "/p"], programs: ["firefox", "w3m", "xdg-open"])
        #expect(o.plan(for: url) == .success(.init(executable: "/bin/firefox", arguments: ["firefox", "--new-tab", url])))
        #expect(try o.plan(for: url).get().name == "firefox")
    }

    @Test("a configured command that is not found is said so, not replaced by another")
    func configuredMissing() {
        let o = opener(command: ["firefox", "--new-tab"], env: ["BROWSER": "w3m"], programs: ["w3m", "xdg-open"])
        #expect(o.plan(for: url) == .failure(.notFound(["firefox"], fromBrowser: false)))
        #expect(LinkOpener.Failure.notFound(["firefox"], fromBrowser: false).message == "cannot open link: firefox: not found")
        #expect(opener(command: [], env: [:], programs: []).plan(for: url) == .failure(.emptyCommand))
    }

    @Test("$BROWSER: the first entry whose program is found; an entry is split on spaces")
    func browserList() {
        let o = opener(env: ["BROWSER": "lynx -accept_all_cookies:links2 -g:xdg-open", "PATH": "/x:/y"], programs: ["links2", "xdg-open"])
        #expect(o.plan(for: url) == .success(.init(executable: "/bin/links2", arguments: ["links2", "-g", url])))
        // Extra spaces and empty entries are skipped.
        let spaced = opener(env: ["BROWSER": "::  w3m   -N  ::"], programs: ["w3m"])
        #expect(spaced.plan(for: url) == .success(.init(executable: "/bin/w3m", arguments: ["w3m", "-N", url])))
    }

    @Test("$BROWSER with none found says which were tried")
    func browserNoneFound() {
        let o = opener(env: ["BROWSER": "lynx:w3m"], programs: ["xdg-open"])
        #expect(o.plan(for: url) == .failure(.notFound(["lynx", "w3m"], fromBrowser: true)))
        #expect(LinkOpener.Failure.notFound(["lynx", "w3m"], fromBrowser: true).message == "cannot open link: lynx, w3m: not found (from $BROWSER)")
    }

    @Test("without a command or $BROWSER (or an empty one): xdg-open")
    func xdgOpen() {
        for env in [[:], ["BROWSER": ""], ["BROWSER": " : "]] as [[String: String]] {
            let o = opener(env: env, programs: ["xdg-open", "firefox"])
            #expect(o.plan(for: url) == .success(.init(executable: "/bin/xdg-open", arguments: ["xdg-open", url])), "\(env)")
        }
        #expect(opener(env: [:], programs: []).plan(for: url) == .failure(.notFound(["xdg-open"], fromBrowser: false)))
    }

    @Test("%s is the URL (the URL then not appended), %% is %, another % stays; the URL is never scanned")
    func percent() {
        #expect(LinkOpener.arguments(["b", "--url=%s", "100%%", "%d"], url: "u") == ["b", "--url=u", "100%", "%d", ])
        #expect(LinkOpener.arguments(["b", "%s", "%s"], url: "u") == ["b", "u", "u"])
        #expect(LinkOpener.arguments(["b", "%%s"], url: "u") == ["b", "%s", "u"])
        #expect(LinkOpener.arguments(["b", "x%"], url: "u") == ["b", "x%", "u"])
        #expect(LinkOpener.arguments(["b", "[%s]"], url: "https://a/%s%%") == ["b", "[https://a/%s%%]"])
        let o = opener(env: ["BROWSER": "surf -x %s -y"], programs: ["surf"])
        #expect(o.plan(for: url) == .success(.init(executable: "/bin/surf", arguments: ["surf", "-x", url, "-y"])))
    }

    @Test("the hostile link is one argument, unchanged")
    func hostile() throws {
        let plan = try opener(command: ["b"], env: [:], programs: ["b"]).plan(for: hostileLink).get()
        #expect(plan.arguments == ["b", hostileLink])
    }

    @Test("a link that is not one to open is refused before any program is looked for")
    func refused() {
        let o = LinkOpener(command: ["b"], environment: [:]) { _, _ in
            Issue.record("looked up a program")
            return "/bin/b"
        }
        for link in ["javascript:alert(1)", "data:text/html,x", "/relative", "https://a/\nb", ""] {
            guard case .failure(.refused) = o.plan(for: link) else {
                Issue.record("not refused: \(link)")
                continue
            }
        }
    }

    @Test("the PATH look-up finds executable files only, in order; a name with a slash is a path")
    func pathLookup() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("links-path-\(UUID().uuidString.prefix(8))")
        let first = dir.appendingPathComponent("a"), second = dir.appendingPathComponent("b")
        try FileManager.default.createDirectory(at: first, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: second, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func make(_ folder: URL, _ name: String, mode: Int) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try "#!/bin/sh\n".write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            return path
        }
        _ = try make(first, "tool", mode: 0o644)  // not executable: skipped
        let tool = try make(second, "tool", mode: 0o755)
        try FileManager.default.createDirectory(at: first.appendingPathComponent("dirtool"), withIntermediateDirectories: true)
        let path = "\(first.path):\(second.path)"
        #expect(LinkOpener.executable("tool", path: path) == tool)
        #expect(LinkOpener.executable("dirtool", path: path) == nil)
        #expect(LinkOpener.executable("missing", path: path) == nil)
        #expect(LinkOpener.executable(tool, path: "") == tool)
        #expect(LinkOpener.executable(first.appendingPathComponent("tool").path, path: path) == nil)
    }
}

@Suite("Opening links: a real program, no shell")
struct LinkOpenerSpawnTests {
    /// A folder with a stub browser that writes its arguments, NUL-terminated, to `args`,
    /// and says what its standard descriptors and session are, and whether fd 200 is open.
    static func stub() throws -> (dir: URL, program: String, args: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("links-spawn-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let args = dir.appendingPathComponent("args").path
        let program = dir.appendingPathComponent("stub-browser").path
        let script = """
            #!/bin/sh
            out='\(dir.path)'
            # The signal masks first, read by the shell itself (a builtin, no child): while
            # the shell forks a command, it blocks every signal for a moment, and a child
            # reading /proc/$$/status then sees that (seen once in CI).
            while IFS= read -r line; do
                case $line in SigIgn:*|SigBlk:*) printf '%s\n' "$line";; esac
            done < /proc/$$/status > "$out/signals"
            printf '%s\\0' "$@" > "$out/args.tmp"
            fds=$(readlink /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2)
            printf '%s\n' "$fds" > "$out/fds"
            leak=closed; [ -e /proc/$$/fd/200 ] && leak=open
            echo $leak > "$out/fd200"
            awk '{print $6}' /proc/$$/stat > "$out/sid"
            echo 'to stdout'; echo 'to stderr' >&2
            mv "$out/args.tmp" "$out/args"
            exit ${STUB_STATUS:-0}
            """
        try script.write(toFile: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program)
        return (dir, program, args)
    }

    static func waitForFile(_ path: String) async throws {
        for _ in 0..<1200 {
            if FileManager.default.fileExists(atPath: path) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("\(path) never appeared")
    }

    @Test("the link arrives as one argument, byte for byte; nothing in it runs; stdio on /dev/null, a session of its own")
    func hostileLinkSpawned() async throws {
        let (dir, program, args) = try Self.stub()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The would-be files are named by absolute paths into `dir`, so that a shell, had one
        // run the link, would have made them there whatever its working folder.
        let link = hostileLink.replacingOccurrences(of: "PWNED", with: dir.path + "/PWNED")
        let exited = Protected<Int32?>(nil)
        var env = ProcessInfo.processInfo.environment
        env["BROWSER"] = program + " --flag"
        let opener = LinkOpener(environment: env)
        // A descriptor of ours without close-on-exec: the program must not get it.
        let ours = open("/dev/null", O_RDONLY)
        #expect(dup2(ours, 200) == 200)
        defer { close(200); close(ours) }
        let result = opener.open(link) { name, status in
            #expect(name == "stub-browser")
            exited.withLock { $0 = status }
        }
        #expect(result == .success("stub-browser"))
        try await Self.waitForFile(args)
        let recorded = try Data(contentsOf: URL(fileURLWithPath: args))
        #expect(recorded == Data(("--flag\0" + link + "\0").utf8))
        for n in 1...4 { #expect(!FileManager.default.fileExists(atPath: dir.path + "/PWNED\(n)"), "PWNED\(n) exists") }
        let fds = try String(contentsOfFile: dir.path + "/fds", encoding: .utf8).split(separator: "\n")
        #expect(fds == ["/dev/null", "/dev/null", "/dev/null"])
        #expect(try String(contentsOfFile: dir.path + "/fd200", encoding: .utf8) == "closed\n")
        // A session of its own: not ours.
        let sid = try String(contentsOfFile: dir.path + "/sid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int32(sid) != getsid(0))
        // Reaped: the exit status came back.
        for _ in 0..<200 where exited.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(50)) }
        #expect(exited.withLock { $0 } == 0)
    }

    @Test("signals the view ignores are back to their defaults in the program")
    func signalsDefault() async throws {
        let (dir, program, args) = try Self.stub()
        defer { try? FileManager.default.removeItem(at: dir) }
        let previous = signal(SIGHUP, SIG_IGN)
        defer { signal(SIGHUP, previous) }
        let opener = LinkOpener(command: [program], environment: ProcessInfo.processInfo.environment)
        #expect(opener.open("https://example.com/") == .success("stub-browser"))
        try await Self.waitForFile(args)
        let lines = try String(contentsOfFile: dir.path + "/signals", encoding: .utf8).split(separator: "\n")
        let ignored = lines.first { $0.hasPrefix("SigIgn:") }.map { UInt64($0.split(separator: "\t").last!, radix: 16) ?? 0 }
        let blocked = lines.first { $0.hasPrefix("SigBlk:") }.map { UInt64($0.split(separator: "\t").last!, radix: 16) ?? 0 }
        #expect(ignored.map { $0 & (1 << (SIGHUP - 1)) } == 0, "\(lines)")
        #expect(blocked == 0, "\(lines)")
    }

    @Test("a program that fails reports its status; one not found is a message, not a crash")
    func failures() async throws {
        let (dir, program, args) = try Self.stub()
        defer { try? FileManager.default.removeItem(at: dir) }
        var env = ProcessInfo.processInfo.environment
        env["STUB_STATUS"] = "4"
        let exited = Protected<Int32?>(nil)
        #expect(LinkOpener(command: [program], environment: env).open("https://example.com/") { _, status in exited.withLock { $0 = status } } == .success("stub-browser"))
        try await Self.waitForFile(args)
        for _ in 0..<200 where exited.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(50)) }
        #expect(exited.withLock { $0 } == 4)

        let missing = LinkOpener(command: ["no-such-browser-\(UUID().uuidString.prefix(6))"], environment: ["PATH": dir.path])
        guard case .failure(let failure) = missing.open("https://example.com/") else { Issue.record("opened"); return }
        #expect(failure.message.hasPrefix("cannot open link: no-such-browser-"))
        #expect(failure.message.hasSuffix(": not found"))
    }
}

@MainActor
@Suite("The event loop: links and the mouse switch")
struct LinkLoopTests {
    func makeLoop(screen: MemoryScreen, mouse: Bool, url: String? = nil) -> EventLoop {
        let history = History(capacity: 10)
        var state = AppState(history: history, config: AppConfig(sources: ["tech"], feedStart: t0, mouse: mouse),
                             columns: screen.columns, rows: screen.rows, now: t0)
        _ = state.handle(.headlines((0..<5).map { n in
            Arrival(offset: Int64(n), headline: Headline(id: "h\(n)", source: "tech", title: "Headline \(n)", published: t0, url: url))
        }, now: t0))
        return EventLoop(screen: screen, state: state, watchSignals: false)
    }

    @Test("mouse on: reporting is asked for, a click reaches the state, and restore turns it off")
    func mouseOn() async throws {
        let screen = MemoryScreen()
        let loop = makeLoop(screen: screen, mouse: true)
        let run = Task { await loop.run() }
        try await eventually("input started") { screen.listening }
        #expect(screen.mouseReporting)
        screen.mouse([MouseEvent(.press(.left), column: 5, row: 3)])
        try await eventually("the click selected row 3") { loop.state.selectedIndex == 2 }
        screen.type([.char("q")])
        #expect(await run.value == 0)
        #expect(!screen.mouseReporting)
    }

    @Test("mouse off: reporting is never asked for, and a report that comes anyway does nothing")
    func mouseOff() async throws {
        let screen = MemoryScreen()
        let loop = makeLoop(screen: screen, mouse: false)
        let run = Task { await loop.run() }
        try await eventually("input started") { screen.listening }
        #expect(!screen.mouseReporting)
        screen.mouse([MouseEvent(.press(.left), column: 5, row: 3)])
        screen.type([.char("t")])
        try await eventually("t handled") { loop.state.timeMode == .absolute }
        #expect(loop.state.selectedIndex == 0)
        screen.type([.char("q")])
        #expect(await run.value == 0)
    }

    @Test("o starts the program and the status line says where the link went; a missing program is said too")
    func openFromTheLoop() async throws {
        let (dir, program, args) = try LinkOpenerSpawnTests.stub()
        defer { try? FileManager.default.removeItem(at: dir) }
        let screen = MemoryScreen()
        let loop = makeLoop(screen: screen, mouse: true, url: "https://example.com/page")
        loop.linkOpener = LinkOpener(command: [program, "--new-tab"], environment: ProcessInfo.processInfo.environment)
        let run = Task { await loop.run() }
        try await eventually("input started") { screen.listening }
        screen.type([.char("o")])
        try await LinkOpenerSpawnTests.waitForFile(args)
        #expect(try Data(contentsOf: URL(fileURLWithPath: args)) == Data("--new-tab\0https://example.com/page\0".utf8))
        try await eventually("the message") { screen.lines.last?.contains("opened in stub-browser") == true }
        loop.linkOpener = LinkOpener(command: ["firefox-not-here"], environment: ["PATH": dir.path])
        screen.type([.char("o")])
        try await eventually("the failure") { screen.lines.last?.contains("cannot open link: firefox-not-here: not found") == true }
        screen.type([.char("q")])
        #expect(await run.value == 0)
    }
}
