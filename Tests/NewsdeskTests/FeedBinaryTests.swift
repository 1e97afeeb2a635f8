import Foundation
import NewsCore
import Testing

/// A small RSS 2.0 feed titled `title` (none when empty) with items `(guid, title, day of January 2026)`.
func rssFeed(_ items: [(String, String, Int)], title: String = "T") -> String {
    var text = #"<?xml version="1.0"?><rss version="2.0"><channel>"# + (title.isEmpty ? "" : "<title>\(title)</title>")
    for (guid, title, day) in items {
        text += "<item><guid>\(guid)</guid><title>\(title)</title><pubDate>\(String(format: "%02d", day)) Jan 2026 10:00:00 GMT</pubDate></item>"
    }
    return text + "</channel></rss>\n"
}

/// Runs `script` in /bin/sh with `$ND` set to the binary (for pipes into it).
func shell(_ script: String, timeout: Duration = .seconds(60)) async throws -> RunResult {
    try await run("/bin/sh", ["-c", script], environment: ["ND": newsdeskBinary], timeout: timeout)
}

/// Issue 11 in the real binary, without a terminal: `--feed -` and `--feed PATH`.
@Suite("Feeds as live sources: the binary", .timeLimit(.minutes(2)))
struct FeedBinaryTests {
    @Test("--feed - prints each line of a pipe as it arrives: plain text and JSON, its source stdin unless a line names one")
    func standardInput() async throws {
        let result = try await shell(#"""
            (printf 'plain title\n{"title":"From JSON","source":"wire","id":"w1","published":"2026-01-01T09:30:00Z","url":"https://x.example/1"}\n\n{"summary":"no title"}\n'; \
             sleep 1; printf 'later line\nno newline at the end') | "$ND" --plain --feed -
            """#)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.lines
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.first?.hasSuffix("] Stdin: plain title") == true, "\(lines)")
        #expect(lines.dropFirst().first == "[09:30:00] Wire: From JSON")
        #expect(lines.dropFirst(2).first?.hasSuffix("] Stdin: later line") == true)
        #expect(lines.last?.hasSuffix("] Stdin: no newline at the end") == true)
    }

    @Test("--feed - with --count stops as without feeds; --record keeps the lines with their sources")
    func standardInputCountAndRecord() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("rec.jsonl").path
        let result = try await shell(#"(printf 'one\ntwo\n'; while :; do sleep 0.2; printf 'more\n'; done) | "$ND" --plain --feed - --count 2 --record "# + out, timeout: .seconds(25))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.count == 2)
        let recorded = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(recorded.first?.contains(#""sources":["stdin"]"#) == true, "\(recorded)")
        #expect(recorded.dropFirst().first?.contains(#""title":"one""#) == true)
    }

    @Test("| head -1 ends newsdesk at once, though nothing more is written: a quiet feed file, a replay whose next event is an hour away")
    func readerGoneWhileQuiet() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let feed = dir.appendingPathComponent("one.xml"), recording = dir.appendingPathComponent("hour.jsonl")
        try rssFeed([("a", "Only item", 1)], title: "One").write(to: feed, atomically: true, encoding: .utf8)
        try """
            {"format":"newsdesk-recording","version":1,"started":"2026-01-01T10:00:00Z","sources":["tech"]}
            {"offset":0,"id":"a","source":"tech","title":"Now","published":"2026-01-01T10:00:00Z"}
            {"offset":3600000,"id":"b","source":"tech","title":"In an hour","published":"2026-01-01T11:00:00Z"}

            """.write(to: recording, atomically: true, encoding: .utf8)
        // Before the fix each of these ran until the 60 s bound: newsdesk noticed the closed pipe
        // only at its next write, an hour (or forever) away.
        let result = try await shell("""
            "$ND" --plain --feed '\(feed.path)' | head -1; echo "feed $?"
            ( "$ND" replay --plain '\(recording.path)'; echo "replay status $?" >&2 ) | head -1
            """)
        #expect(result.lines == ["[10:00:00] One: Only item", "feed 0", "[10:00:00] Tech: Now"], "\(result.lines) \(result.stderr)")
        #expect(result.stderr.contains("replay status 0"), "\(result.stderr)")
    }

    @Test("A missing feed file is 66; --speed with --feed, --seed without --simulated and two --feed - are usage errors")
    func refusals() async throws {
        let missing = try await newsdesk("--plain", "--feed", "/nonexistent/feed.xml")
        #expect(missing.status == 66 && missing.stderr.contains("no such file"), "\(missing.stderr)")
        for arguments in [["--feed", "-", "--speed", "10"], ["--feed", "-", "--seed", "3"], ["--feed", "-", "--feed", "-"],
                          ["--simulated"], ["--feed", "-", "--start-time", "2026-01-01"],
                          // A URL with no host, or NAME= with no name: typos, not feeds to retry forever.
                          ["--feed", "http://"], ["--feed", "https://[::1"], ["--feed", "=http://127.0.0.1:9/"]] {
            let result = try await run(newsdeskBinary, ["--plain"] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
    }

    @Test("Feed files: the items in publication order, then only new ones when a file changes; a non-feed among them is reported on stderr")
    func files() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("alpha.xml").path, b = dir.appendingPathComponent("b.xml").path
        let bad = dir.appendingPathComponent("page.html").path
        try rssFeed([("a3", "Alpha three", 3), ("a1", "Alpha one", 1), ("a2", "Alpha two", 2)], title: "Alpha")
            .write(toFile: a, atomically: true, encoding: .utf8)
        try rssFeed([("b1", "Beta one", 2)]).write(toFile: b, atomically: true, encoding: .utf8)
        try "<html><body>not a feed</body></html>\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let newer = rssFeed([("a3", "Alpha three", 3), ("a1", "Alpha one", 1), ("a2", "Alpha two", 2), ("a4", "Alpha four", 4)], title: "Alpha")
        try newer.write(toFile: a + ".new", atomically: true, encoding: .utf8)
        // Five headlines: four at the start, the fifth once alpha.xml is replaced (checked
        // every 2 s), which is done once the first four are out (however slow the start).
        let out = dir.appendingPathComponent("out").path
        let result = try await shell(#"""
            "$ND" --plain --feed '\#(a)' --feed beta='\#(b)' --feed '\#(bad)' --count 5 > '\#(out)' &
            until [ "$(wc -l < '\#(out)')" -ge 4 ]; do sleep 0.1; done; mv '\#(a).new' '\#(a)'; wait; s=$?; cat '\#(out)'; exit $s
            """#, timeout: .seconds(40))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.lines
        #expect(lines.count == 5, "\(lines)")
        let alpha = lines.filter { $0.contains("Alpha:") }
        #expect(alpha == ["[10:00:00] Alpha: Alpha one", "[10:00:00] Alpha: Alpha two", "[10:00:00] Alpha: Alpha three",
                          "[10:00:00] Alpha: Alpha four"], "\(lines)")
        // The starting history of all files together, in publication order (ties keep the files' order).
        #expect(Array(lines.prefix(4)) == ["[10:00:00] Alpha: Alpha one", "[10:00:00] Alpha: Alpha two", "[10:00:00] Beta: Beta one",
                                           "[10:00:00] Alpha: Alpha three"], "\(lines)")
        #expect(lines.last == "[10:00:00] Alpha: Alpha four")
        // A watched file paces itself (it is read again when it changes): `NAME: reason`, no backoff.
        #expect(result.stderr.contains("newsdesk: page: an HTML page, not a feed"), "\(result.stderr)")
    }

    @Test("--filter source: knows the feeds' names (and the simulated ones only with --simulated)")
    func filterSources() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("alpha.xml").path, g = dir.appendingPathComponent("feed.xml").path
        try rssFeed([("a1", "Alpha one", 1), ("a2", "Alpha two", 2)], title: "").write(toFile: a, atomically: true, encoding: .utf8)
        try rssFeed([("g1", "Gamma one", 1)], title: "The Gamma Times").write(toFile: g, atomically: true, encoding: .utf8)
        // Without a title, the file's name names the source.
        let known = try await newsdesk("--plain", "--feed", a, "--filter", "source:alpha two", "--count", "1")
        #expect(known.status == 0 && known.lines == ["[10:00:00] Alpha: Alpha two"], "\(known.stderr)")
        // With one, a short name from the feed's title does (not the file's name).
        let titled = try await newsdesk("--plain", "--feed", a, "--feed", g, "--filter", "source:gamma-times", "--count", "1")
        #expect(titled.status == 0 && titled.lines == ["[10:00:00] Gamma-times: Gamma one"], "\(titled.lines) \(titled.stderr)")
        let byFile = try await newsdesk("--plain", "--feed", g, "--filter", "source:feed")
        #expect(byFile.status == 64 && byFile.stderr.contains("gamma-times"), "\(byFile.stderr)")
        let simulated = try await newsdesk("--plain", "--feed", a, "--filter", "source:tech")
        #expect(simulated.status == 64 && simulated.stderr.contains("no source 'tech'"), "\(simulated.stderr)")
        let both = try await newsdesk("--plain", "--feed", a, "--simulated", "--filter", "source:tech", "--count", "1")
        #expect(both.status == 0 && both.lines.first?.contains("Tech: ") == true, "\(both.stderr)")
    }
}

/// Issue 12's `feeds` commands in the real binary, on a subscriptions file under XDG_CONFIG_HOME.
@Suite("feeds commands: the binary", .timeLimit(.minutes(2)))
struct FeedsCommandBinaryTests {
    @Test("feeds add, list, export and import use $XDG_CONFIG_HOME/newsdesk/feeds (or --feeds FILE), with sysexits codes")
    func commands() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["XDG_CONFIG_HOME": dir.path]
        let add = try await run(newsdeskBinary, ["feeds", "add", "https://lwn.net/headlines/rss", "lwn", "--every", "30m", "--tag", "linux"], environment: env)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(try String(contentsOfFile: dir.path + "/newsdesk/feeds", encoding: .utf8) == "https://lwn.net/headlines/rss lwn every=30m linux\n")
        let again = try await run(newsdeskBinary, ["feeds", "add", "https://lwn.net/headlines/rss"], environment: env)
        #expect(again.status == 65 && again.stderr.contains("feeds:1:"), "\(again.stderr)")
        let list = try await run(newsdeskBinary, ["feeds", "list"], environment: env)
        #expect(list.status == 0 && list.lines == [
            "NAME  EVERY  TAGS   STATUS       LAST FETCH  NEXT  ITEMS  LAST ERROR  FEED",
            "lwn   30m    linux  not fetched  -           -     -      -           https://lwn.net/headlines/rss",
        ], "\(list.lines)")
        let export = try await run(newsdeskBinary, ["feeds", "export"], environment: env)
        #expect(export.status == 0 && export.stdout.contains("xmlUrl=\"https://lwn.net/headlines/rss\""))
        let opml = dir.appendingPathComponent("subs.opml").path
        try export.stdout.write(toFile: opml, atomically: true, encoding: .utf8)
        let other = dir.appendingPathComponent("other").path
        let imported = try await run(newsdeskBinary, ["feeds", "import", opml, "--feeds", other], environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "https://lwn.net/headlines/rss lwn every=30m linux\n")
        try "https://x.example/ every=never\n".write(toFile: other, atomically: true, encoding: .utf8)
        let malformed = try await run(newsdeskBinary, ["feeds", "list", "--feeds", other], environment: env)
        #expect(malformed.status == 78 && malformed.stderr.contains("other:1:"), "\(malformed.stderr)")
    }
}

/// Issue 12 in the real binary: `--feed URL` and the subscriptions file, against Python's
/// http.server on 127.0.0.1 and a free port, started by the test (nothing else is contacted).
@Suite("Feeds over HTTP: the binary", .timeLimit(.minutes(2)))
struct HTTPFeedBinaryTests {
    /// `script` in /bin/sh with `$PORT` the port of an http.server serving `dir`.
    func withServer(_ dir: URL, _ script: String, environment: [String: String] = [:]) async throws -> RunResult {
        try await run("/bin/sh", ["-c", #"""
            # The log of an earlier server in this folder goes first, before the new one
            # starts: `cd && python > server.log &` ran in the background as a whole, and the
            # loop below read the old server's port before the new one's shell truncated the
            # log (a dead port, or half a line and an empty $PORT, twice in fresh-clone CI).
            cd '\#(dir.path)' || exit 98
            rm -f server.log
            python3 -u -m http.server 0 --bind 127.0.0.1 > server.log 2>&1 & SERVER=$!
            i=0; until grep -q ' port ' '\#(dir.path)/server.log' 2>/dev/null || [ $i -ge 600 ]; do sleep 0.1; i=$((i+1)); done
            PORT=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' '\#(dir.path)/server.log' | head -1)
            [ -n "$PORT" ] || { echo "test server: no port after 60 s" >&2; kill $SERVER; exit 99; }
            \#(script)
            status=$?; kill $SERVER; exit $status
            """#], environment: ["ND": newsdeskBinary].merging(environment) { $1 }, timeout: .seconds(150))
    }

    @Test("--feed URL without the HTTP plugin is exit 69 with the file named; a run without URLs never opens it")
    func missingPlugin() async throws {
        let env = ["NEWSDESK_HTTP_PLUGIN": "/nonexistent/libNewsdeskHTTP.so"]
        let url = try await run(newsdeskBinary, ["--plain", "--feed", "http://127.0.0.1:9/feed", "--duration", "1s"], environment: env)
        #expect(url.status == 69, "\(url.stderr)")
        #expect(url.stderr.contains("/nonexistent/libNewsdeskHTTP.so"), "\(url.stderr)")
        let simulated = try await run(newsdeskBinary, ["--plain", "--count", "2", "--seed", "1", "--speed", "max"], environment: env)
        #expect(simulated.status == 0 && simulated.lines.count == 2, "\(simulated.stderr)")
    }

    @Test("--feed URL prints the feed's items in publication order; a URL that fails is 'newsdesk: NAME: reason, retrying in ...' on stderr")
    func feedURL() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try rssFeed([("b", "Second", 2), ("a", "First", 1)], title: "Wire").write(to: dir.appendingPathComponent("a.xml"), atomically: true, encoding: .utf8)
        let result = try await withServer(dir, #"""
            "$ND" --plain --feed "wire=http://127.0.0.1:$PORT/a.xml" --feed "http://127.0.0.1:$PORT/missing.xml" --every 1s --duration 3s
            """#, environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["[10:00:00] Wire: First", "[10:00:00] Wire: Second"], "\(result.lines) \(result.stderr)")
        #expect(result.stderr.contains("newsdesk: 127.0.0.1: HTTP 404, retrying in 1s"), "\(result.stderr)")
    }

    @Test("A title changed under the same id: --plain prints it again ending in ' (updated)', once; the recording replays the same")
    func updatedItem() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try rssFeed([("a", "First", 1), ("b", "Second", 2)], title: "Wire").write(to: dir.appendingPathComponent("a.xml"), atomically: true, encoding: .utf8)
        try rssFeed([("a", "First", 1), ("b", "Second, corrected", 2)], title: "Wire").write(to: dir.appendingPathComponent("v2.xml"), atomically: true, encoding: .utf8)
        let record = dir.appendingPathComponent("rec.jsonl").path
        // Once the first two lines are out, the feed changes (dated a minute on, so that the
        // server's second-resolution Last-Modified cannot answer 304).
        let result = try await withServer(dir, #"""
            cd '\#(dir.path)'
            "$ND" --plain --feed "wire=http://127.0.0.1:$PORT/a.xml" --every 1s --count 3 --record '\#(record)' > out.txt &
            ND_PID=$!
            i=0; until [ "$(wc -l < out.txt)" -ge 2 ] || [ $i -ge 300 ]; do sleep 0.1; i=$((i+1)); done
            mv v2.xml a.xml && touch -d "@$(( $(date +%s) + 60 ))" a.xml
            wait $ND_PID; nd=$?; cat out.txt; test $nd -eq 0
            """#, environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = ["[10:00:00] Wire: First", "[10:00:00] Wire: Second", "[10:00:00] Wire: Second, corrected (updated)"]
        #expect(result.lines == expected, "\(result.lines) \(result.stderr)")
        let replay = try await run(newsdeskBinary, ["replay", record, "--plain", "--speed", "max"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.lines == expected, "\(replay.lines) \(replay.stderr)")
    }

    @Test("Without --feed the subscriptions file's feeds are watched (and the simulated sources are not); --feeds names another; a malformed one is 78")
    func subscriptions() async throws {
        let dir = scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try rssFeed([("a", "From the subscription", 1)]).write(to: dir.appendingPathComponent("a.xml"), atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("newsdesk")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        let result = try await withServer(dir, #"""
            printf 'http://127.0.0.1:%s/a.xml subbed every=1s\n/nonexistent/gone.xml gone\n' "$PORT" > '\#(config.path)/feeds'
            "$ND" --plain --count 1
            """#, environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["[10:00:00] Subbed: From the subscription"], "\(result.lines) \(result.stderr)")
        // A subscribed file that is gone is that feed's failure while the others run (it was exit 66 for the whole run).
        #expect(result.stderr.contains("gone: /nonexistent/gone.xml: no such file"), "\(result.stderr)")
        // feeds list after the run: how the URL's poll went, from the run's state file.
        let state = dir.appendingPathComponent("state").path
        _ = try await withServer(dir, #"""
            printf 'http://127.0.0.1:%s/a.xml subbed every=1s\nhttp://127.0.0.1:%s/missing.xml lost\n' "$PORT" "$PORT" > '\#(config.path)/feeds'
            "$ND" --plain --duration 6s
            """#, environment: ["XDG_CONFIG_HOME": dir.path, "XDG_STATE_HOME": state])
        let list = try await run(newsdeskBinary, ["feeds", "list"], environment: ["XDG_CONFIG_HOME": dir.path, "XDG_STATE_HOME": state])
        #expect(list.lines.count == 3 && list.lines[1].hasPrefix("subbed") && list.lines[1].contains(" ok ") && list.lines[1].contains(" 1 ")
                && !list.lines[1].contains("now ago"), "\(list.lines)")
        #expect(list.lines[2].hasPrefix("lost") && list.lines[2].contains("failed") && list.lines[2].contains("HTTP 404"), "\(list.lines)")
        try "http://x.example/ every=soon\n".write(to: dir.appendingPathComponent("bad"), atomically: true, encoding: .utf8)
        let malformed = try await run(newsdeskBinary, ["--plain", "--count", "1", "--feeds", dir.appendingPathComponent("bad").path])
        #expect(malformed.status == 78 && malformed.stderr.contains("bad:1:"), "\(malformed.stderr)")
        // Said once (validate() read the file too, and printed it a second time).
        #expect(malformed.stderr.components(separatedBy: "bad:1:").count == 2, "\(malformed.stderr)")
        let missing = try await run(newsdeskBinary, ["--plain", "--count", "1", "--feeds", dir.appendingPathComponent("none").path])
        #expect(missing.status == 66 && missing.stderr.components(separatedBy: "no such file").count == 2, "\(missing.stderr)")
        // A named file that lists no feed is not a reason to run the demo instead.
        try "# nothing yet\n".write(to: dir.appendingPathComponent("empty"), atomically: true, encoding: .utf8)
        let empty = try await run(newsdeskBinary, ["--plain", "--count", "1", "--feeds", dir.appendingPathComponent("empty").path])
        #expect(empty.status == 66 && empty.stderr.contains("lists no feed") && empty.lines.isEmpty, "\(empty.stderr)")
        // The simulated sources' own options mean the simulated sources, subscriptions or not.
        let simulated = try await run(newsdeskBinary, ["--plain", "--count", "1", "--seed", "3"], environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(simulated.status == 0 && simulated.lines.count == 1, "\(simulated.stderr)")
    }
}
