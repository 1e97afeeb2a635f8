#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NewsCore
import NewsFeeds
import NewsFetch

/// One `--feed` argument: `PATH`, `NAME=PATH`, or `-` (standard input).
public struct FeedSpec: Sendable, Equatable {
    public var name: String
    /// `-` for standard input, or an `http://` / `https://` URL.
    public var path: String
    /// How often a URL is polled, when its subscription says (else `--every`).
    public var every: Duration?
    public var isStandardInput: Bool { path == "-" }
    public var isURL: Bool { FeedSpec.isURL(path) }

    public init(name: String, path: String, every: Duration? = nil) {
        self.name = name
        self.path = path
        self.every = every
    }

    static func isURL(_ text: String) -> Bool {
        let lower = text.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
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
        if isURL(path) { return SourceName.defaultName(for: path) }
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
            if given == nil && !spec.isStandardInput && !spec.isURL, let title = title(path) { spec.name = shortSourceName(fromTitle: title) }
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

    /// What is wrong with `specs` as a whole (more than one `-`, an empty path or name, a URL without a host), or nil.
    public static func usageProblem(_ specs: [FeedSpec]) -> String? {
        if specs.filter(\.isStandardInput).count > 1 { return "--feed - can be given once: standard input is one stream" }
        if let empty = specs.first(where: { $0.path.isEmpty }) { return "--feed \(empty.name)=: the path is missing" }
        if let unnamed = specs.first(where: { $0.path.hasPrefix("=") && FeedSpec.isURL(String($0.path.dropFirst())) }) {
            return "--feed \(TerminalSafe.sanitize(unnamed.path)): the name before '=' is empty (NAME=URL, or the URL alone)"
        }
        // A URL that cannot be fetched is the person's typo: say so now, not as a failing feed retried forever.
        if let bad = specs.first(where: { $0.isURL && FeedURL.host(of: $0.path) == nil }) {
            return "--feed \(TerminalSafe.sanitize(bad.path)): not a URL that can be fetched (no host)"
        }
        return nil
    }

    /// The first feed file that does not exist, or is a FIFO or a device rather than a file
    /// (exit 66), as a message, or nil. Files that exist but cannot be read or are not feeds
    /// are reported by their source while the others run.
    public static func missingFile(_ specs: [FeedSpec]) -> String? {
        for spec in specs where !spec.isStandardInput && !spec.isURL {
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
    ///   A URL is an ``HTTPFeedSource`` polled through `http` (required when a spec is a URL).
    public static func sources(_ specs: [FeedSpec], interval: Duration = .seconds(2), start: Timestamp? = nil,
                               now: @escaping @Sendable () -> Timestamp = LiveFeeds.realNow,
                               http: HTTPFeeds? = nil) -> [any HeadlineSource] {
        let files = specs.filter { !$0.isStandardInput && !$0.isURL }.map { FeedStartingRead.File(name: $0.name, path: absolute($0.path)) }
        var fileSources = FeedStartingRead(files: files, now: now, startTime: start).sources(interval: interval)[...]
        return specs.compactMap { spec -> (any HeadlineSource)? in
            if spec.isStandardInput { return LineSource(name: spec.name, now: now) }
            if spec.isURL {
                guard let http else { return nil }
                let first = http.state?.start(spec.name, url: spec.path) ?? FeedStart(url: spec.path)
                return HTTPFeedSource(name: spec.name, url: first.url, fetcher: http.fetcher, limiter: http.limiter,
                                      policy: PollPolicy(interval: spec.every ?? http.every), validators: first.validators,
                                      now: now, onEvent: http.events.onEvent, refresh: http.refresh, notBefore: first.notBefore)
            }
            return fileSources.removeFirst()
        }
    }

    /// Runs `body` with what HTTP feeds are fetched through when one of `specs` is a URL
    /// (nil otherwise: no client is made), and shuts the client down after it, however it ends.
    public static func withHTTP<R>(_ specs: [FeedSpec], every: Duration, timeout: Duration, version: String,
                                   isolation: isolated (any Actor)? = #isolation,
                                   _ body: (HTTPFeeds?) async throws -> R) async throws -> R {
        guard specs.contains(where: \.isURL) else { return try await body(nil) }
        do {
            return try await PluginFetcher.withFetcher(FetchConfiguration(version: version, timeout: timeout)) { fetcher in
                try await body(HTTPFeeds(fetcher: fetcher, limiter: FetchLimiter(), every: every))
            }
        } catch let error as PluginError {
            warn("\(error)")
            throw CommandExit(69)  // EX_UNAVAILABLE
        }
    }

    /// The feeds of the subscriptions file at `path`, as specs (each with its source name
    /// and `every=`), for a run without `--feed`: nil when there is no file (or no path)
    /// and it was not named with `--feeds` (then the simulated sources run), or when it
    /// lists no feed. A named file that is missing is exit 66; a malformed one 78
    /// (`FILE:LINE: reason`).
    public static func subscribed(path: String?, named: Bool, home: String?) throws(CommandExit) -> [FeedSpec]? {
        do throws(SubscribedProblem) {
            return try loadSubscribed(path: path, named: named, home: home)
        } catch {
            warn(error.message)
            throw CommandExit(error.status)
        }
    }

    /// What stops a run from using the subscriptions file: the message and the exit status.
    public struct SubscribedProblem: Error {
        public var message: String
        public var status: Int32
    }

    /// ``subscribed(path:named:home:)`` without the message on stderr (for `validate()`,
    /// which runs before `run()` reports it: it was printed twice). A named file that lists no
    /// feed is 66 too: the person asked for those subscriptions, not for the simulated sources.
    public static func loadSubscribed(path: String?, named: Bool, home: String?) throws(SubscribedProblem) -> [FeedSpec]? {
        guard let path else { return nil }
        let loaded: SubscriptionsFile?
        do throws(SubscriptionError) {
            loaded = try SubscriptionsFile.load(path: path, home: home)
        } catch {
            throw SubscribedProblem(message: "\(error)", status: error.kind == .malformed ? 78 : 66)
        }
        guard let file = loaded else {
            guard !named else { throw SubscribedProblem(message: "--feeds \(TerminalSafe.sanitize(path)): no such file", status: 66) }
            return nil
        }
        guard !file.entries.isEmpty else {
            guard !named else {
                throw SubscribedProblem(message: "--feeds \(TerminalSafe.sanitize(path)): lists no feed (add one: newsdesk feeds add URL --feeds FILE)", status: 66)
            }
            return nil
        }
        return zip(file.sourceNames, file.subscriptions).map { name, sub in
            FeedSpec(name: name, path: sub.location.description, every: sub.every)
        }
    }

    /// The subscriptions file's feeds for `live` (see ``subscribed(path:named:home:)``): the
    /// file `--feeds` names, else the XDG one; none when a --feed is given, or --simulated, or
    /// one of the simulated sources' own options (`simulatedAsked`).
    public static func subscribed(given: String?, feedsGiven: Bool, simulatedAsked: Bool, quiet: Bool = false) throws(CommandExit) -> [FeedSpec]? {
        guard !feedsGiven, !simulatedAsked else { return nil }
        let environment = ProcessInfo.processInfo.environment
        let path = FeedsRun.path(given: given, environment: environment)
        if quiet { return try? loadSubscribed(path: path, named: given != nil, home: environment["HOME"]) }
        return try subscribed(path: path, named: given != nil, home: environment["HOME"])
    }

    /// The source names a `--filter`'s `source:` may name: the feeds', then the simulated
    /// sources' when they run; any name at all when standard input is read (its lines name their own).
    public static func filterSources(_ specs: [FeedSpec], simulated: Bool) -> [String]? {
        if specs.contains(where: \.isStandardInput) { return nil }
        return specs.map(\.name) + (simulated ? SimulatedSource.defaultNames : [])
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

/// What the HTTP feeds of a run share: one client, one limit on fetches at once (8, 2 per
/// host), how often a feed without its own `every=` is polled, the refresh signal (`R`)
/// and where their events go (the sources screen, plain mode's moved-feed line).
public struct HTTPFeeds: Sendable {
    public var fetcher: any FeedFetching
    public var limiter: FetchLimiter
    public var every: Duration
    public var refresh: FeedRefresh
    public var events: FeedEvents
    /// Where each feed's validators, redirect and `Retry-After` are kept between runs (the store), if anywhere.
    public var state: StoreFeedState?

    public init(fetcher: any FeedFetching, limiter: FetchLimiter, every: Duration,
                refresh: FeedRefresh = FeedRefresh(), events: FeedEvents = FeedEvents()) {
        self.fetcher = fetcher
        self.limiter = limiter
        self.every = every
        self.refresh = refresh
        self.events = events
    }
}
