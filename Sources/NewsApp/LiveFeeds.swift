#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NewsCore
import NewsFeeds

/// One `--feed` argument: `PATH`, `NAME=PATH`, or `-` (standard input).
public struct FeedSpec: Sendable, Equatable {
    public var name: String
    /// `-` for standard input.
    public var path: String
    public var isStandardInput: Bool { path == "-" }

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// `NAME=PATH` when the part before the first `=` is a name (not empty, no `/`);
    /// otherwise the whole argument is the path and the name is the file's name without
    /// its extension (`-` is `stdin`).
    public init(argument: String) {
        let (name, path) = FeedSpec.split(argument)
        self.init(name: name ?? FeedSpec.defaultName(path), path: path)
    }

    /// The name given (`NAME=`), if any, and the path.
    static func split(_ argument: String) -> (name: String?, path: String) {
        if let eq = argument.firstIndex(of: "="), eq != argument.startIndex, !argument[..<eq].contains("/") {
            return (String(argument[..<eq]), String(argument[argument.index(after: eq)...]))
        }
        return (nil, argument)
    }

    static func defaultName(_ path: String) -> String {
        if path == "-" { return "stdin" }
        let file = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = file.lastIndex(of: "."), dot != file.startIndex { return String(file[..<dot]) }
        return file.isEmpty ? "feed" : file
    }
}

/// The live command's feed sources (`--feed`), in the order given.
public enum LiveFeeds {
    /// The specs for `arguments`, with names made unique (a second `news` is `news-2`). A
    /// file given without a name is named by `title` (the feed's title made short, see
    /// ``shortSourceName(fromTitle:)``) when it gives one, else by the file's name.
    public static func specs(_ arguments: [String], taken: [String] = [],
                             title: (String) -> String? = { _ in nil }) -> [FeedSpec] {
        var used = Set(taken)
        return arguments.map { argument in
            let (given, path) = FeedSpec.split(argument)
            var spec = FeedSpec(argument: argument)
            if given == nil && !spec.isStandardInput, let title = title(path) { spec.name = shortSourceName(fromTitle: title) }
            var name = spec.name, n = 2
            while used.contains(name) {
                name = "\(spec.name)-\(n)"
                n += 1
            }
            used.insert(name)
            spec.name = name
            return spec
        }
    }

    /// The feed's title at the start of the file at `path` (see ``FeedTitle``).
    public static func feedTitle(_ path: String) -> String? { FeedTitle.peek(path: path) }

    /// What is wrong with `specs` as a whole (more than one `-`), or nil.
    public static func usageProblem(_ specs: [FeedSpec]) -> String? {
        if specs.filter(\.isStandardInput).count > 1 { return "--feed - can be given once: standard input is one stream" }
        if let empty = specs.first(where: { $0.path.isEmpty }) { return "--feed \(empty.name)=: the path is missing" }
        return nil
    }

    /// The first feed file that does not exist, or is a FIFO or a device rather than a file
    /// (exit 66), as a message, or nil. Files that exist but cannot be read or are not feeds
    /// are reported by their source while the others run.
    public static func missingFile(_ specs: [FeedSpec]) -> String? {
        for spec in specs where !spec.isStandardInput {
            var info = stat()
            if stat(spec.path, &info) != 0 {
                return "--feed \(spec.path): \(errno == ENOENT ? "no such file" : String(cString: strerror(errno)))"
            }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFIFO || kind == S_IFCHR || kind == S_IFBLK || kind == S_IFSOCK {
                let what = kind == S_IFIFO ? "a FIFO" : kind == S_IFSOCK ? "a socket" : "a device"
                return "--feed \(spec.path): \(what), not a file that can be read again: pipe it into newsdesk --feed - instead"
            }
        }
        return nil
    }

    /// The sources for `specs`, in their order: a ``LineSource`` for `-`, a
    /// ``FeedFileSource`` for a file, looked at every `interval`. The files share one
    /// ``FeedStartingRead``: their starting items arrive together, in publication order.
    ///   `start`, when the feed started, dates the starting items that have no date.
    public static func sources(_ specs: [FeedSpec], interval: Duration = .seconds(2), start: Timestamp? = nil,
                               now: @escaping @Sendable () -> Timestamp = LiveFeeds.realNow) -> [any HeadlineSource] {
        let files = specs.filter { !$0.isStandardInput }.map { FeedStartingRead.File(name: $0.name, path: absolute($0.path)) }
        var fileSources = FeedStartingRead(files: files, now: now, startTime: start).sources(interval: interval)[...]
        return specs.map { spec -> any HeadlineSource in
            if spec.isStandardInput { return LineSource(name: spec.name, now: now) }
            return fileSources.removeFirst()
        }
    }

    /// The wall clock's time.
    public static let realNow: @Sendable () -> Timestamp = {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Timestamp(milliseconds: Int64(t.tv_sec) * 1000 + Int64(t.tv_nsec) / 1_000_000)
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        return String(cString: cwd) + "/" + path
    }
}
