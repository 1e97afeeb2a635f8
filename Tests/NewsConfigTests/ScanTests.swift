import NewsConfig
import Testing

@Suite("TOMLScan: the lines and order of keys")
struct ScanTests {
    func line(_ scan: TOMLScan, _ parts: TOMLPathComponent...) -> Int? { scan.positions[parts]?.line }

    @Test("headers, dotted and quoted keys, multi-line arrays and strings, inline tables")
    func lines() {
        let scan = TOMLScan("""
            # a comment with [brackets] and "quotes"
            top = 1
            [a."b c".d]          # a header
            x = \"\"\"
            one "" " inside
            two\"\"\"
            'lit.eral' = '''
            #not a comment
            '''
            e.f = [ 1,
              # between
              { g = "h", i = [
                 2 ] },
            ]
            [[arr]]
            k = 'v'
            [[arr]]
            k = "w\\"x" # escaped quote
            """)
        #expect(line(scan, .key("top")) == 2)
        #expect(line(scan, .key("a")) == 3)
        #expect(line(scan, .key("a"), .key("b c"), .key("d")) == 3)
        #expect(line(scan, .key("a"), .key("b c"), .key("d"), .key("x")) == 4)
        #expect(line(scan, .key("a"), .key("b c"), .key("d"), .key("lit.eral")) == 7)
        let e: TOMLPath = [.key("a"), .key("b c"), .key("d"), .key("e")]
        #expect(scan.positions[e]?.line == 10)
        #expect(scan.positions[e + [.key("f"), .index(0)]]?.line == 10)
        #expect(scan.positions[e + [.key("f"), .index(1)]]?.line == 12)
        #expect(scan.positions[e + [.key("f"), .index(1), .key("i")]]?.line == 12)
        #expect(scan.positions[e + [.key("f"), .index(1), .key("i"), .index(0)]]?.line == 13)
        #expect(line(scan, .key("arr"), .index(0), .key("k")) == 16)
        #expect(line(scan, .key("arr"), .index(1), .key("k")) == 18)
        // A path never seen falls back to its parent's line.
        #expect(scan.line(of: [.key("arr"), .index(1), .key("nope")]) == 17)
        #expect(scan.line(of: [.key("nothing")]) == 1)
        #expect(scan.order(of: [.key("top")]) < scan.order(of: [.key("a")]))
    }

    @Test("a key defined twice is noted with both lines; an escaped NUL with its line")
    func duplicatesAndNul() {
        let scan = TOMLScan("[t]\na = 1\n\n\"a\" = 2\nb = \"\\u0000\"\n")
        #expect(scan.duplicates.count == 1)
        #expect(scan.duplicates.first?.path == [.key("t"), .key("a")])
        #expect(scan.duplicates.first?.first == 2)
        #expect(scan.duplicates.first?.second == 4)
        #expect(scan.nulEscapeLines == [5])
    }

    @Test("text that is not TOML stops the scan without a trap")
    func broken() {
        for text in ["[", "a = \"", "a = [1,", "a = {", "= 1", "a.", "\"\\u12", "x = '''", "[[a]", "a = \"\"\"\\"] {
            let scan = TOMLScan(text)
            #expect(scan.line(of: [.key("a")]) >= 1)
        }
    }
}



@Suite("Config files cut short")
struct TruncatedConfigTests {
    @Test("every prefix of a full file parses or fails with a line inside the file, never traps")
    func prefixes() {
        let text = """
            [keys]
            down = [
              "j",   # vi
              "Down",
            ]
            "help.scrollDown" = 'j'
            [keys.list]
            quit = ["x", "Ctrl-c"]
            [filters]
            a = \"\"\"
            breaking\"\"\"
            b = '"rate cut" | inflation'
            [alerts]
            x = { query = "fire", bell = true }
            [open]
            command = ["firefox", "--new-tab"]
            [ui]
            mouse = false
            [colors]
            bar = "white on black"
            [colors.sources]
            tech = "bold cyan"
            """
        let bytes = Array(text.utf8)
        let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
        var failures = 0
        for end in 0...bytes.count {
            let prefix = String(decoding: bytes[..<end], as: UTF8.self)
            do {
                _ = try ConfigFile.parse(text: prefix, path: "p.toml")
            } catch {
                failures += 1
                let line = error.line ?? 0
                #expect(line >= 1 && line <= lineCount, "\(end): \(error)")
                #expect(!error.reason.contains("\n"), "\(end): \(error)")
            }
        }
        // Most cuts land inside a key, a string or an array.
        #expect(failures > bytes.count / 2)
        #expect(throws: Never.self) { try ConfigFile.parse(text: text, path: "p.toml") }
    }
}
