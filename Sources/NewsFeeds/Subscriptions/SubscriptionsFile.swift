#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NewsCore

/// The subscriptions file (`$XDG_CONFIG_HOME/newsdesk/feeds`): one feed per line,
///
///     URL-or-path [name] [every=10m] [tags...]   # a comment
///
/// - Words are separated by spaces or tabs. A word may be written in double quotes (a
///   path with spaces: `"~/My feeds/a.xml"`), with `\"` and `\\` inside.
/// - `#` at the start of a word starts a comment, to the end of the line; a `#` inside a
///   word does not (`http://x/#a` is a URL with a fragment, `http://x/ #a` a URL and a comment).
/// - The first word is the location: an `http://` or `https://` URL, a `file:///` URL or a
///   path (relative to the file's folder; `~` is `$HOME`). Any other scheme is an error
///   (write `./news:today.xml` for a file whose name has a colon).
/// - The first other word without `=` is the name (`-` for none); the rest are tags.
///   Names and tags are letters, digits, `-`, `_` and `.` (``SourceName/isValid(_:)``).
/// - `every=DURATION` (`90s`, `10m`, `1h30m`, at least 1s) is the only key; any other `key=value` is an error.
/// - Blank lines, comment lines, a UTF-8 byte order mark and CRLF line ends are fine.
/// - A feed given twice (the same URL up to case of scheme and host, default port and
///   fragment; the same path) or a name given twice (in any case: `source:` ignores case)
///   is an error.
public struct SubscriptionsFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var subscription: Subscription
        /// Its line in the file (from 1).
        public var line: Int
    }

    /// The file's path (absolute).
    public var path: String
    public var entries: [Entry]
    public var subscriptions: [Subscription] { entries.map(\.subscription) }

    /// Files larger than this are refused (a subscriptions file of 10,000 feeds is about 1 MB).
    public static let maxBytes = 16 << 20

    public init(path: String, entries: [Entry] = []) {
        self.path = path
        self.entries = entries
    }

    // MARK: Where it is

    /// `$XDG_CONFIG_HOME/newsdesk/feeds`, or `$HOME/.config/newsdesk/feeds` when
    /// `XDG_CONFIG_HOME` is unset, empty or relative (the XDG Base Directory rules); nil
    /// when neither gives an absolute folder.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return join(xdg, "newsdesk/feeds") }
        if let home = environment["HOME"], home.hasPrefix("/") { return join(home, ".config/newsdesk/feeds") }
        return nil
    }

    static func join(_ folder: String, _ rest: String) -> String {
        folder.hasSuffix("/") ? folder + rest : folder + "/" + rest
    }

    /// `path` made absolute against the working directory.
    public static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return FeedLocation.normalisedPath(path) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return FeedLocation.normalisedPath(cwd + "/" + path)
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    // MARK: Reading

    /// The file at `path` (relative: to the working directory), or nil when there is none.
    /// `home` expands `~` in its paths (the caller passes `environment["HOME"]`).
    public static func load(path: String, home: String?) throws(SubscriptionError) -> SubscriptionsFile? {
        let path = absolute(path)
        guard let bytes = try readIfExists(path) else { return nil }
        return try parse(bytes, path: path, home: home)
    }

    /// The file's bytes, or nil when it does not exist.
    static func readIfExists(_ path: String, limit maxBytes: Int = maxBytes) throws(SubscriptionError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SubscriptionError(.unreadable, path: path, line: 0, String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SubscriptionError(.unreadable, path: path, line: 0, String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw SubscriptionError(.unreadable, path: path, line: 0, "not a regular file")
        }
        guard Int(info.st_size) <= maxBytes else {
            throw SubscriptionError(.unreadable, path: path, line: 0, "larger than \(maxBytes >> 20) MiB")
        }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SubscriptionError(.unreadable, path: path, line: 0, String(cString: strerror(errno)))
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            if out.count > maxBytes { throw SubscriptionError(.unreadable, path: path, line: 0, "larger than \(maxBytes >> 20) MiB") }
        }
        return out
    }

    /// Parses the file's bytes; `path` (absolute) names it in errors, and its folder is
    /// what relative paths in it are relative to.
    public static func parse(_ bytes: [UInt8], path: String, home: String?) throws(SubscriptionError) -> SubscriptionsFile {
        let folder = folder(of: path)
        var file = SubscriptionsFile(path: path)
        var byKey: [String: Int] = [:]
        var byName: [String: Int] = [:]
        var lineNumber = 0
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = bytes[start..<lineEnd]
            start = end + 1
            func fail(_ reason: String) -> SubscriptionError { SubscriptionError(.malformed, path: path, line: lineNumber, reason) }
            guard let text = String(validating: line, as: UTF8.self) else { throw fail("the line is not UTF-8") }
            guard var sub = try parseLine(text, folder: folder, home: home, fail: fail) else { continue }
            if let first = byKey[sub.location.key] {
                throw fail("\(quoted(sub.location.description)) is already on line \(first)")
            }
            if let name = sub.name, let first = byName[name.lowercased()] {
                throw fail("the name \(quoted(name)) is already used on line \(first)")
            }
            byKey[sub.location.key] = lineNumber
            if let name = sub.name { byName[name.lowercased()] = lineNumber }
            sub.tags = unique(sub.tags)
            file.entries.append(Entry(subscription: sub, line: lineNumber))
        }
        return file
    }

    static func unique(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        return tags.filter { seen.insert($0).inserted }
    }

    /// One word of a line: its text, and whether it was quoted.
    struct Word { var text: String; var quoted: Bool }

    /// The words of a line up to its comment.
    static func words(_ line: String, fail: (String) -> SubscriptionError) throws(SubscriptionError) -> [Word] {
        var words: [Word] = []
        var scalars = Substring(line).unicodeScalars[...]
        func isBlank(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" }
        func check(_ s: Unicode.Scalar) throws(SubscriptionError) {
            if (s.value < 0x20 && s != "\t") || s.value == 0x7F {
                throw fail("a control character (U+\(String(s.value, radix: 16, uppercase: true).leftPadded(4))) in the line")
            }
        }
        while true {
            while let s = scalars.first, isBlank(s) { scalars = scalars.dropFirst() }
            guard let first = scalars.first, first != "#" else { break }
            var text = String.UnicodeScalarView()
            if first == "\"" {
                scalars = scalars.dropFirst()
                var closed = false
                while let s = scalars.first {
                    scalars = scalars.dropFirst()
                    try check(s)
                    if s == "\"" { closed = true; break }
                    if s == "\\", let next = scalars.first, next == "\"" || next == "\\" {
                        text.append(next)
                        scalars = scalars.dropFirst()
                        continue
                    }
                    text.append(s)
                }
                guard closed else { throw fail("a quote that is not closed") }
                if let s = scalars.first, !isBlank(s) { throw fail("a space must follow a closing quote") }
                words.append(Word(text: String(text), quoted: true))
            } else {
                while let s = scalars.first, !isBlank(s) {
                    try check(s)
                    text.append(s)
                    scalars = scalars.dropFirst()
                }
                words.append(Word(text: String(text), quoted: false))
            }
        }
        return words
    }

    /// The subscription on a line, or nil for a blank or comment line.
    static func parseLine(_ line: String, folder: String?, home: String?,
                          fail: (String) -> SubscriptionError) throws(SubscriptionError) -> Subscription? {
        let words = try words(line, fail: fail)
        guard let first = words.first else { return nil }
        let location: FeedLocation
        switch FeedLocation.parse(first.text, relativeTo: folder, home: home) {
        case .success(let l): location = l
        case .failure(let problem): throw fail(problem.description)
        }
        var sub = Subscription(location: location)
        var nameSeen = false
        for word in words.dropFirst() {
            if !word.quoted, let eq = word.text.firstIndex(of: "=") {
                let key = String(word.text[..<eq]), value = String(word.text[word.text.index(after: eq)...])
                guard key == "every" else {
                    throw fail("unknown key \(quoted(key + "=")) (the one key is every=, as in every=10m)")
                }
                guard sub.every == nil else { throw fail("every= is given twice") }
                switch parseEvery(value) {
                case .success(let d): sub.every = d
                case .failure(let problem): throw fail(problem.description)
                }
                continue
            }
            if !nameSeen {
                nameSeen = true
                if word.text == "-" && !word.quoted { continue }
                if let problem = SourceName.problem(word.text) { throw fail("\(quoted(word.text)) cannot be a name: \(problem)") }
                sub.name = word.text
                continue
            }
            if let problem = SourceName.problem(word.text) { throw fail("\(quoted(word.text)) cannot be a tag: \(problem)") }
            sub.tags.append(word.text)
        }
        return sub
    }

    /// The shortest poll interval.
    public static let minimumEvery: Duration = .seconds(1)

    /// `every=`'s value: a time as `--every` takes it (``DurationText``), at least 1s.
    public static func parseEvery(_ value: String) -> Result<Duration, LocationProblem> {
        guard !value.isEmpty else { return .failure(LocationProblem("every= needs a time, as in every=10m")) }
        guard let ms = DurationText.parse(value) else {
            return .failure(LocationProblem("every=\(TerminalSafe.sanitize(value)) is not a time like 90s, 10m or 1h30m"))
        }
        guard ms >= 1000 else { return .failure(LocationProblem("every=\(TerminalSafe.sanitize(value)) is less than 1s")) }
        return .success(.milliseconds(ms))
    }

    /// `1h30m`, `10m`, `1m30s`, `1s500ms`: what `every=` reads back as the same duration.
    public static func formatEvery(_ d: Duration) -> String {
        var ms = d.milliseconds
        var out = ""
        for (unit, suffix) in [(Int64(3_600_000), "h"), (60_000, "m"), (1000, "s"), (1, "ms")] where ms >= unit {
            out += "\(ms / unit)\(suffix)"
            ms %= unit
        }
        return out.isEmpty ? "0s" : out
    }

    // MARK: Writing

    /// The line for `sub`, as `add` writes it: the location (in quotes when it needs them),
    /// the name (`-` when there is none but tags follow), `every=`, the tags.
    public static func line(for sub: Subscription) -> String {
        var words = [quotedIfNeeded(sub.location.description)]
        if let name = sub.name { words.append(name) } else if !sub.tags.isEmpty { words.append("-") }
        if let every = sub.every { words.append("every=" + formatEvery(every)) }
        words += sub.tags
        return words.joined(separator: " ")
    }

    static func quotedIfNeeded(_ text: String) -> String {
        let needs = text.isEmpty || text.hasPrefix("#") || text.hasPrefix("\"") || text.contains(where: { $0 == " " || $0 == "\t" })
        guard needs else { return text }
        var out = "\""
        for c in text {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }

    /// Appends one line for each of `subscriptions` to the file at `path` (relative: to
    /// the working directory), creating it and its folders if missing. The existing text
    /// and comments stay as they are, byte for byte (a missing last newline is added, in
    /// the file's own line ending). The file is replaced atomically: a temporary file in
    /// the same folder, written, synced and renamed over it (through a symbolic link, the
    /// link's target), with the old file's permissions; the folder is locked (`flock`)
    /// meanwhile, so that two `add`s at once do not lose one.
    ///
    /// Refused, and nothing written, when the file does not parse, or when a feed or name
    /// is already in the file (or twice in `subscriptions`): `.duplicate`.
    /// - Returns: the file as it is now.
    @discardableResult
    public static func append(_ subscriptions: [Subscription], to path: String, home: String?) throws(SubscriptionError) -> SubscriptionsFile {
        var target = absolute(path)
        target = resolveLink(target)
        let folder = folder(of: target)
        try makeFolders(folder, for: target)
        let dirfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirfd >= 0 else { throw SubscriptionError(.unwritable, path: target, line: 0, "cannot open its folder: \(String(cString: strerror(errno)))") }
        defer { close(dirfd) }
        while flock(dirfd, LOCK_EX) != 0 && errno == EINTR {}
        defer { _ = flock(dirfd, LOCK_UN) }

        let old = try readIfExists(target)
        let existing = try parse(old ?? [], path: target, home: home)
        var keys: [String: Int] = [:], names: [String: Int] = [:]
        for e in existing.entries {
            keys[e.subscription.location.key] = e.line
            if let n = e.subscription.name { names[n.lowercased()] = e.line }
        }
        var text = old ?? []
        let crlf = text.count >= 2 && text.firstIndex(of: 0x0A).map { $0 > 0 && text[$0 - 1] == 0x0D } == true
        let newline: [UInt8] = crlf ? [0x0D, 0x0A] : [0x0A]
        if let last = text.last, last != 0x0A { text += newline }
        for sub in subscriptions {
            if let line = keys[sub.location.key] {
                throw SubscriptionError(.duplicate, path: target, line: line, "already subscribed to \(quoted(sub.location.description))")
            }
            if let name = sub.name {
                if let line = names[name.lowercased()] {
                    throw SubscriptionError(.duplicate, path: target, line: line, "the name \(quoted(name)) is already used")
                }
                if let problem = SourceName.problem(name) {
                    throw SubscriptionError(.malformed, path: target, line: 0, "\(quoted(name)) cannot be a name: \(problem)")
                }
            }
            for tag in sub.tags {
                if let problem = SourceName.problem(tag) {
                    throw SubscriptionError(.malformed, path: target, line: 0, "\(quoted(tag)) cannot be a tag: \(problem)")
                }
            }
            if let every = sub.every, every < minimumEvery {
                throw SubscriptionError(.malformed, path: target, line: 0, "every= must be at least 1s")
            }
            // A location the file could not hold (a URL with a space, a relative path).
            let written = line(for: sub)
            let fail = { (reason: String) in
                SubscriptionError(.malformed, path: target, line: 0, "cannot add \(quoted(sub.location.description)): \(reason)")
            }
            guard let back = try parseLine(written, folder: folder, home: home, fail: fail), back.location == sub.location else {
                throw fail("it would not read back as the same location (a path must be absolute)")
            }
            keys[sub.location.key] = -1
            if let name = sub.name { names[name.lowercased()] = -1 }
            text += Array(written.utf8) + newline
        }
        // What is written must read back as the old entries and the new ones.
        let updated = try parse(text, path: target, home: home)
        guard updated.subscriptions == existing.subscriptions + subscriptions.map({ var s = $0; s.tags = unique(s.tags); return s }) else {
            throw SubscriptionError(.malformed, path: target, line: 0, "the new lines would not read back as given (a bug): nothing written")
        }
        try replace(target, folder: folder, dirfd: dirfd, with: text, existed: old != nil)
        return updated
    }

    /// Adds one feed (see ``append(_:to:home:)``).
    @discardableResult
    public static func add(_ subscription: Subscription, to path: String, home: String?) throws(SubscriptionError) -> SubscriptionsFile {
        try append([subscription], to: path, home: home)
    }

    /// The target of a symbolic link at `path` (followed to the end), or `path`.
    static func resolveLink(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { return current }
            let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? FeedLocation.normalisedPath(link) : FeedLocation.normalisedPath(folder(of: current) + "/" + link)
        }
        return current
    }

    static func makeFolders(_ folder: String, for target: String) throws(SubscriptionError) {
        var path = ""
        for part in folder.split(separator: "/") {
            path += "/" + part
            if mkdir(path, 0o700) != 0 && errno != EEXIST {
                throw SubscriptionError(.unwritable, path: target, line: 0, "cannot create the folder \(quoted(path)): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func replace(_ target: String, folder: String, dirfd: Int32, with bytes: [UInt8], existed: Bool) throws(SubscriptionError) {
        func failure(_ what: String) -> SubscriptionError {
            SubscriptionError(.unwritable, path: target, line: 0, "\(what): \(String(cString: strerror(errno)))")
        }
        let base = target.split(separator: "/").last.map(String.init) ?? "feeds"
        var temp = ""
        var fd: Int32 = -1
        for attempt in 0..<100 {
            temp = join(folder, ".\(base).\(getpid()).\(attempt).tmp")
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw failure("cannot create a temporary file in its folder") }
        var done = false
        defer {
            if fd >= 0 { close(fd) }
            if !done { unlink(temp) }
        }
        if existed {
            var info = stat()
            if stat(target, &info) == 0 { _ = fchmod(fd, info.st_mode & 0o7777) }
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write")
            }
            written += n
        }
        guard fsync(fd) == 0 else { throw failure("cannot sync") }
        guard close(fd) == 0 else { fd = -1; throw failure("cannot write") }
        fd = -1
        guard rename(temp, target) == 0 else { throw failure("cannot replace it") }
        done = true
        _ = fsync(dirfd)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

// MARK: For the commands

extension SubscriptionsFile {
    /// The subscription `feeds add LOCATION [NAME]` means: `location` as in the file, but a
    /// relative path is relative to the working directory; `name` must be a source name.
    public static func subscription(location: String, name: String?, home: String?) -> Result<Subscription, LocationProblem> {
        let cwd = absolute(".")
        let parsed: FeedLocation
        switch FeedLocation.parse(location, relativeTo: cwd, home: home) {
        case .success(let l): parsed = l
        case .failure(let problem): return .failure(problem)
        }
        if let name, let problem = SourceName.problem(name) {
            return .failure(LocationProblem("\(quoted(name)) cannot be a name: \(problem)"))
        }
        return .success(Subscription(location: parsed, name: name))
    }

    /// What importing `incoming` (from OPML) into this file adds: the feeds not in it yet,
    /// a name that is taken (in the file or earlier in `incoming`, ignoring case) made unique
    /// with `-2`, `-3`...; and the feeds left out because the file has them already (with
    /// the line). Pass `added` to ``append(_:to:home:)``.
    public func importing(_ incoming: [Subscription]) -> (added: [Subscription], alreadyThere: [(Subscription, line: Int)]) {
        var lines: [String: Int] = [:]
        var names = Set<String>()
        for e in entries {
            lines[e.subscription.location.key] = e.line
            if let n = e.subscription.name { names.insert(n.lowercased()) }
        }
        var added: [Subscription] = []
        var already: [(Subscription, line: Int)] = []
        var keys = Set<String>()
        for var sub in incoming {
            if let line = lines[sub.location.key] { already.append((sub, line)); continue }
            guard keys.insert(sub.location.key).inserted else { continue }
            if let name = sub.name, names.contains(name.lowercased()) {
                var n = 2
                let stem = name.prefix(SourceName.maxLength - 4)
                while names.contains("\(stem)-\(n)".lowercased()) { n += 1 }
                sub.name = "\(stem)-\(n)"
            }
            if let name = sub.name { names.insert(name.lowercased()) }
            added.append(sub)
        }
        return (added, already)
    }

    /// The source name of every entry, in order: its own name, or one from its URL's host
    /// (``SourceName/defaultName(for:)``; a path's file name) made unique against every
    /// name (`lwn`, `lwn-2`); given names are unique already.
    public var sourceNames: [String] { SubscriptionsFile.sourceNames(subscriptions) }

    public static func sourceNames(_ subscriptions: [Subscription]) -> [String] {
        var used = Set(subscriptions.compactMap { $0.name?.lowercased() })
        return subscriptions.map { sub in
            if let name = sub.name { return name }
            let base = sub.effectiveName
            var name = base, n = 2
            while used.contains(name.lowercased()) {
                name = "\(base.prefix(SourceName.maxLength - 4))-\(n)"
                n += 1
            }
            used.insert(name.lowercased())
            return name
        }
    }
}
