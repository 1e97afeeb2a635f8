import CLibc
import Foundation
import NewsCore

#if canImport(Glibc)
import Glibc
#endif

/// Opens a headline's link (`o`) with the person's browser, never through a shell.
///
/// The program: the configured command (`[open] command = ["firefox", "--new-tab"]`),
/// else `$BROWSER`, else `xdg-open`. `$BROWSER` is the conventional colon-separated list
/// of commands; the first whose program is found is used. A command is split on spaces
/// into its arguments (no quoting, no shell). In any argument `%s` is the URL and `%%` a
/// `%`; with no `%s` anywhere the URL is the last argument. Either way the URL is one
/// argument, exactly as the feed wrote it: `$(...)`, backquotes, `;` and quotes in it are
/// only characters, since no shell ever reads it.
///
/// The program runs in a session of its own (no controlling terminal: it cannot write on
/// the view or read its keys), with standard input, output and error on /dev/null, the
/// signals the view ignores back to their defaults, and no other descriptor of ours. A
/// thread of its own waits for it, so that the event loop never blocks and no zombie is
/// left.
public struct LinkOpener: Sendable {
    /// The configured command, if any (its first element the program).
    public var command: [String]?
    /// The environment `$BROWSER` and `$PATH` are read from, and the program's.
    public var environment: [String: String]
    /// Finds a program: its path, given a name (looked up in `path`, the PATH list) or a
    /// path; nil when there is no such executable file.
    public var findProgram: @Sendable (_ name: String, _ path: String) -> String?

    public init(command: [String]? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                findProgram: @escaping @Sendable (_ name: String, _ path: String) -> String? = LinkOpener.executable) {
        self.command = command
        self.environment = environment
        self.findProgram = findProgram
    }

    /// What to run for one URL.
    public struct Plan: Equatable, Sendable {
        /// The program's path, as found.
        public var executable: String
        /// Its arguments, the first being the program as named.
        public var arguments: [String]
        /// Its name, for messages ("firefox").
        public var name: String { arguments.first.map { ($0 as NSString).lastPathComponent } ?? executable }
    }

    public enum Failure: Error, Equatable, Sendable {
        /// The link is not one to open (see ``OpenableLink``).
        case refused(String)
        /// The configured command is empty.
        case emptyCommand
        /// No program: the one named, or every one `$BROWSER` names.
        case notFound([String], fromBrowser: Bool)
        /// `posix_spawn` failed with this errno.
        case spawnFailed(String, Int32)

        /// For the status line: "cannot open link: firefox: not found".
        public var message: String {
            switch self {
            case .refused(let reason): "not opened: \(reason)"
            case .emptyCommand: "cannot open link: the [open] command is empty"
            case .notFound(let names, let fromBrowser):
                "cannot open link: \(names.joined(separator: ", ")): not found" + (fromBrowser ? " (from $BROWSER)" : "")
            case .spawnFailed(let name, let error): "cannot open link: \(name): \(String(cString: strerror(error)))"
            }
        }
    }

    /// The program and arguments that open `url` (which must be one to open).
    public func plan(for url: String) -> Result<Plan, Failure> {
        switch OpenableLink.check(url) {
        case .open: break
        case .missing: return .failure(.refused("no link"))
        case .refused(let reason): return .failure(.refused(reason.text))
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        if let command {
            guard let program = command.first, !program.isEmpty else { return .failure(.emptyCommand) }
            guard let executable = findProgram(program, path) else { return .failure(.notFound([program], fromBrowser: false)) }
            return .success(Plan(executable: executable, arguments: Self.arguments(command, url: url)))
        }
        if let browser = environment["BROWSER"], browser.contains(where: { $0 != ":" && $0 != " " }) {
            var tried: [String] = []
            for entry in browser.split(separator: ":") {
                let words = entry.split(separator: " ").map(String.init)
                guard let program = words.first else { continue }
                if let executable = findProgram(program, path) {
                    return .success(Plan(executable: executable, arguments: Self.arguments(words, url: url)))
                }
                tried.append(program)
            }
            return .failure(.notFound(tried, fromBrowser: true))
        }
        guard let executable = findProgram("xdg-open", path) else { return .failure(.notFound(["xdg-open"], fromBrowser: false)) }
        return .success(Plan(executable: executable, arguments: ["xdg-open", url]))
    }

    /// `command` with the URL put in: each `%s` replaced by it, `%%` by `%`; with no `%s`
    /// anywhere, the URL appended. The URL itself is never scanned for `%`.
    public static func arguments(_ command: [String], url: String) -> [String] {
        var used = false
        var out: [String] = []
        for argument in command {
            guard argument.contains("%") else {
                out.append(argument)
                continue
            }
            var text = ""
            var chars = argument[...]
            while let c = chars.popFirst() {
                if c == "%", let next = chars.first, next == "s" || next == "%" {
                    chars.removeFirst()
                    if next == "s" {
                        text += url
                        used = true
                    } else {
                        text += "%"
                    }
                } else {
                    text.append(c)
                }
            }
            out.append(text)
        }
        if !used { out.append(url) }
        return out
    }

    /// The executable file `name` names: a path (with a `/`) as it is, else the first in
    /// `path` (colon-separated; an empty entry is the current folder, as in execvp).
    @Sendable public static func executable(_ name: String, path: String) -> String? {
        func isExecutableFile(_ candidate: String) -> Bool {
            var info = stat()
            guard stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
            return access(candidate, X_OK) == 0
        }
        guard !name.isEmpty else { return nil }
        if name.contains("/") { return isExecutableFile(name) ? name : nil }
        for folder in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = folder.isEmpty ? name : folder.hasSuffix("/") ? "\(folder)\(name)" : "\(folder)/\(name)"
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    /// Starts the program that opens `url`; returns its name ("firefox"), or why not.
    /// `exited` is called (on another thread) with its exit status once it has ended, or
    /// with 128 + the signal that ended it.
    public func open(_ url: String, exited: @escaping @Sendable (_ name: String, _ status: Int32) -> Void = { _, _ in }) -> Result<String, Failure> {
        switch plan(for: url) {
        case .failure(let failure): return .failure(failure)
        case .success(let plan):
            switch Self.spawn(plan, environment: environment) {
            case .failure(let failure): return .failure(failure)
            case .success(let pid):
                let name = plan.name
                let reaper = Thread {
                    var status: Int32 = 0
                    while waitpid(pid, &status, 0) < 0 {
                        guard errno == EINTR else { return }  // reaped elsewhere (SIGCHLD ignored)
                    }
                    // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
                    let signal = status & 0x7F
                    exited(name, signal == 0 ? (status >> 8) & 0xFF : 128 + signal)
                }
                reaper.name = "newsdesk link opener"
                reaper.start()
                return .success(name)
            }
        }
    }

    /// posix_spawn, no shell: /dev/null for 0, 1 and 2, every other descriptor closed, a
    /// new session, default signal handling, nothing blocked; `environment` is its environment.
    static func spawn(_ plan: Plan, environment: [String: String]) -> Result<pid_t, Failure> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID is glibc's 0x80 (hidden from Swift); the view ignores SIGINT,
        // SIGTERM, SIGHUP and SIGWINCH (dispatch sources take them), and an ignored signal
        // stays ignored across exec: every catchable one goes back to its default.
        posix_spawnattr_setflags(&attributes, Int16(0x80 | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        let argv: [UnsafeMutablePointer<CChar>?] = plan.arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, plan.executable, &actions, &attributes, argv, envp)
        guard result == 0 else { return .failure(.spawnFailed(plan.name, result)) }
        return .success(pid)
    }
}
