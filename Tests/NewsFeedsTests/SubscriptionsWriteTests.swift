import Foundation
import NewsCore
@testable import NewsFeeds
import Testing

/// A fresh temporary folder (removed by the caller's defer).
func temporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "newsdesk-subs-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func bytes(at path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

@Suite("Subscriptions file: add")
struct SubscriptionsWriteTests {
    @Test("add creates the folders and the file")
    func createsFolders() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/cfg/newsdesk/feeds"
        let file = try SubscriptionsFile.add(Subscription(location: .url("https://www.theverge.com/rss"), name: "verge"), to: path, home: nil)
        #expect(file.subscriptions == [Subscription(location: .url("https://www.theverge.com/rss"), name: "verge")])
        #expect(String(decoding: try bytes(at: path), as: UTF8.self) == "https://www.theverge.com/rss verge\n")
        #expect(try SubscriptionsFile.load(path: path, home: nil) == file)
    }

    @Test("a missing file loads as nil, not as an error")
    func missingIsNil() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try SubscriptionsFile.load(path: root + "/none", home: nil) == nil)
    }

    @Test("add keeps the existing text and comments byte for byte")
    func preservesBytes() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/feeds"
        // Odd spacing, a tab, a comment after an entry, a blank line, Unicode, no final newline.
        let original = "# Ada's feeds  \n\nhttps://lwn.net/headlines/rss\tlwn   # kernel \u{1F427}\n   \n# end"
        try write(original, to: path)
        try SubscriptionsFile.add(Subscription(location: .url("https://b.example/x"), name: "b", every: .seconds(600), tags: ["t1", "t2"]), to: path, home: nil)
        let after = try bytes(at: path)
        #expect(String(decoding: after, as: UTF8.self) == original + "\nhttps://b.example/x b every=10m t1 t2\n")
        #expect(Array(after.prefix(original.utf8.count)) == Array(original.utf8))
    }

    @Test("add writes CRLF into a CRLF file")
    func crlf() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/feeds"
        try write("https://a.example/ a\r\n", to: path)
        try SubscriptionsFile.add(Subscription(location: .url("https://b.example/")), to: path, home: nil)
        #expect(String(decoding: try bytes(at: path), as: UTF8.self) == "https://a.example/ a\r\nhttps://b.example/\r\n")
    }

    @Test("a duplicate add is an error naming the line, and nothing is written")
    func duplicate() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/feeds"
        try write("# c\nhttps://a.example/feed a\n", to: path)
        let before = try bytes(at: path)
        #expect(throws: SubscriptionError(.duplicate, path: path, line: 2, "already subscribed to 'HTTPS://A.example/feed#x'")) {
            try SubscriptionsFile.add(Subscription(location: .url("HTTPS://A.example/feed#x")), to: path, home: nil)
        }
        #expect(throws: SubscriptionError(.duplicate, path: path, line: 2, "the name 'a' is already used")) {
            try SubscriptionsFile.add(Subscription(location: .url("https://other.example/"), name: "a"), to: path, home: nil)
        }
        // Twice in one append: the second one is refused, and neither is written.
        #expect(throws: SubscriptionError.self) {
            try SubscriptionsFile.append([Subscription(location: .url("https://n.example/")), Subscription(location: .url("https://n.example/"))],
                                         to: path, home: nil)
        }
        #expect(try bytes(at: path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["feeds"], "no temporary file left")
    }

    @Test("an invalid name, a malformed file: refused, nothing written")
    func refused() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/feeds"
        #expect(throws: SubscriptionError.self) {
            try SubscriptionsFile.add(Subscription(location: .url("https://a.example/"), name: "my feed"), to: path, home: nil)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        try write("https://a.example/ a every=soon\n", to: path)
        let error = #expect(throws: SubscriptionError.self) {
            try SubscriptionsFile.add(Subscription(location: .url("https://b.example/")), to: path, home: nil)
        }
        #expect(error?.kind == .malformed && error?.line == 1)
        #expect(String(decoding: try bytes(at: path), as: UTF8.self) == "https://a.example/ a every=soon\n")
    }

    @Test("a location the file cannot hold is refused before anything is written")
    func unholdable() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/feeds"
        let spaced = #expect(throws: SubscriptionError.self) {
            try SubscriptionsFile.add(Subscription(location: .url("https://a.example/a b")), to: path, home: nil)
        }
        #expect(spaced?.description == "\(path): cannot add 'https://a.example/a b': a URL cannot contain a space (write it as %20)")
        let relative = #expect(throws: SubscriptionError.self) {
            try SubscriptionsFile.add(Subscription(location: .path("relative.xml")), to: path, home: nil)
        }
        #expect(relative?.line == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("paths with spaces and quotes are written quoted and read back")
    func quotedPaths() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/feeds"
        let subs = [
            Subscription(location: .path("/srv/My Feeds/a \"b\" \\c.xml"), name: "odd"),
            Subscription(location: .path("/srv/#hash.xml"), tags: ["x"]),
            Subscription(location: .path("/srv/\"q.xml")),
        ]
        let file = try SubscriptionsFile.append(subs, to: path, home: nil)
        #expect(file.subscriptions == subs)
        #expect(try SubscriptionsFile.load(path: path, home: nil)?.subscriptions == subs)
    }

    @Test("through a symbolic link the link's target is updated and the link kept; permissions are kept")
    func symlinkAndMode() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/dotfiles", withIntermediateDirectories: true)
        let target = root + "/dotfiles/feeds"
        try write("https://a.example/ a\n", to: target)
        chmod(target, 0o640)
        try FileManager.default.createSymbolicLink(atPath: root + "/feeds", withDestinationPath: "dotfiles/feeds")
        try SubscriptionsFile.add(Subscription(location: .url("https://b.example/")), to: root + "/feeds", home: nil)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/feeds") == "dotfiles/feeds")
        #expect(String(decoding: try bytes(at: target), as: UTF8.self) == "https://a.example/ a\nhttps://b.example/\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
    }

    @Test("adds from many threads at once all land (the folder is locked)")
    func concurrentAdds() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/feeds"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<16 {
                group.addTask {
                    try SubscriptionsFile.add(Subscription(location: .url("https://h\(i).example/"), name: "n\(i)"), to: path, home: nil)
                }
            }
            try await group.waitForAll()
        }
        let names = try #require(try SubscriptionsFile.load(path: path, home: nil)).subscriptions.compactMap(\.name)
        #expect(Set(names) == Set((0..<16).map { "n\($0)" }))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["feeds"])
    }

    @Test("an unwritable folder is an error, not a crash")
    func unwritable() throws {
        guard getuid() != 0 else { return }  // root writes anywhere
        let root = try temporaryFolder()
        defer { chmod(root, 0o700); try? FileManager.default.removeItem(atPath: root) }
        chmod(root, 0o500)
        let error = #expect(throws: SubscriptionError.self) {
            try SubscriptionsFile.add(Subscription(location: .url("https://a.example/")), to: root + "/sub/feeds", home: nil)
        }
        #expect(error?.kind == .unwritable)
    }

    @Test("a folder where the file should be is unreadable, not a crash")
    func notARegularFile() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let error = #expect(throws: SubscriptionError.self) { try SubscriptionsFile.load(path: root, home: nil) }
        #expect(error?.kind == .unreadable)
    }

    @Test("lines written for any subscription read back as it")
    func lineRoundTrip() throws {
        let subs = [
            Subscription(location: .url("https://a.example/x?y=1&z=2#f"), name: "a", every: .milliseconds(1500), tags: ["t"]),
            Subscription(location: .url("http://b.example/"), tags: ["only", "tags"]),
            Subscription(location: .path("/x y/z.xml"), every: .seconds(3600)),
        ]
        let text = subs.map(SubscriptionsFile.line(for:)).joined(separator: "\n")
        #expect(try parseFeeds(text) == subs)
        #expect(SubscriptionsFile.line(for: subs[1]) == "http://b.example/ - only tags")
    }
}

@Suite("Subscriptions file: for the commands")
struct SubscriptionsCommandTests {
    @Test("feeds add's location: a URL, or a path relative to the working directory")
    func addArgument() throws {
        let cwd = SubscriptionsFile.absolute(".")
        #expect(try SubscriptionsFile.subscription(location: "https://lwn.net/headlines/rss", name: "lwn", home: nil).get()
            == Subscription(location: .url("https://lwn.net/headlines/rss"), name: "lwn"))
        #expect(try SubscriptionsFile.subscription(location: "feeds/a.xml", name: nil, home: nil).get().location == .path(cwd + "/feeds/a.xml"))
        #expect(try SubscriptionsFile.subscription(location: "~/a.xml", name: nil, home: "/home/ada").get().location == .path("/home/ada/a.xml"))
        #expect(throws: LocationProblem.self) { try SubscriptionsFile.subscription(location: "ftp://x/", name: nil, home: nil).get() }
        #expect(throws: LocationProblem.self) { try SubscriptionsFile.subscription(location: "https://x/", name: "two words", home: nil).get() }
    }

    @Test("importing: feeds already there are left out, taken names get -2")
    func importing() throws {
        let file = try SubscriptionsFile.parse(Array("https://a.example/ news\n\nhttps://b.example/ lwn\n".utf8), path: "/f", home: nil)
        let incoming = [
            Subscription(location: .url("https://A.example/#x"), name: "other"),
            Subscription(location: .url("https://c.example/"), name: "News", tags: ["t"]),
            Subscription(location: .url("https://d.example/"), name: "news-2"),
            Subscription(location: .url("https://e.example/")),
            Subscription(location: .url("https://e.example/"), name: "again"),
        ]
        let (added, already) = file.importing(incoming)
        #expect(added == [
            Subscription(location: .url("https://c.example/"), name: "News-2", tags: ["t"]),
            Subscription(location: .url("https://d.example/"), name: "news-2-2"),
            Subscription(location: .url("https://e.example/")),
        ])
        #expect(already.map(\.line) == [1])
    }

    @Test("source names: given ones, then host names made unique")
    func sourceNames() {
        let subs = [
            Subscription(location: .url("https://lwn.net/a"), name: nil),
            Subscription(location: .url("https://lwn.net/b"), name: nil),
            Subscription(location: .url("https://x.example/"), name: "lwn-2"),
            Subscription(location: .path("/feeds/hn.xml")),
            Subscription(location: .url("https://www.theverge.com/rss")),
        ]
        #expect(SubscriptionsFile.sourceNames(subs) == ["lwn", "lwn-3", "lwn-2", "hn", "theverge"])
    }
}
