#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NewsCore
import NewsUI
import TOMLKit

/// Reads a config file: TOML through TOMLKit, lines and order from ``TOMLScan``, every
/// section, option, operation, key name, query and colour checked. The first problem found
/// (in file order) is the error; nothing is ignored.
public enum ConfigFile {
    /// The sections a file may have, in the order the messages list them.
    public static let sections = ["keys", "filters", "alerts", "open", "ui", "colors"]

    /// The config at `location`: the defaults when the default file does not exist.
    public static func load(_ location: ConfigLocation) throws(ConfigError) -> Config {
        guard let path = location.path else { return Config() }
        if !location.given, !exists(path) { return Config() }
        return try load(path: path)
    }

    /// The file at `path` (which must exist), read and checked.
    public static func load(path: String) throws(ConfigError) -> Config {
        let bytes = try read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(path: path, line: lineOfInvalidUTF8(bytes), reason: "the file is not UTF-8 text (TOML is UTF-8)")
        }
        return try parse(text: text, path: path)
    }

    /// `text` read as the config file `path` (for messages).
    public static func parse(text: String, path: String) throws(ConfigError) -> Config {
        // TOMLKit hands the text to toml++ as a C string: a NUL would end it early.
        if let nul = text.utf8.firstIndex(of: 0) {
            let line = 1 + text.utf8[..<nul].lazy.filter { $0 == 0x0A }.count
            throw ConfigError(path: path, line: line, reason: "a NUL character (TOML allows no control characters but tab)")
        }
        // A byte-order mark is not text; toml++ and the scanner both skip it.
        let scan = TOMLScan(text)
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw syntaxError(error, scan: scan, path: path)
        } catch {
            throw ConfigError(path: path, line: nil, reason: "\(error)")
        }
        if let line = scan.nulEscapeLines.first {
            throw ConfigError(path: path, line: line, reason: "a string holds \\u0000 (NUL), which newsdesk cannot use")
        }
        var checker = ConfigChecker(path: path, scan: scan)
        let config = try checker.check(TOMLNode(table, path: [], scan: scan))
        // The key table's own rules (a key bound twice, Ctrl-C) are checked here too, so
        // that `config --check` finds what a run would.
        _ = try config.keyMap(path: path)
        return config
    }

    /// toml++'s message, with its line; a key given twice says where it was first.
    static func syntaxError(_ error: TOMLParseError, scan: TOMLScan, path: String) -> ConfigError {
        let line = max(1, error.source.begin.line)
        if let duplicate = scan.duplicates.first(where: { $0.second == line }) {
            let name = duplicate.path.last.map { "\($0)" } ?? ""
            let section = duplicate.path.count > 1 ? " in [\(ConfigChecker.dotted(Array(duplicate.path.dropLast())))]" : ""
            return ConfigError(path: path, line: line, reason: "'\(name)' is given twice\(section) (first on line \(duplicate.first))")
        }
        // toml++ says "Error while parsing table header: expected ...": the prefix says nothing
        // the line does not. One line always: control characters are written as escapes.
        var reason = error.description
        if reason.hasPrefix("Error while parsing ") { reason = "bad " + reason.dropFirst("Error while parsing ".count) }
        reason = String(String.UnicodeScalarView(reason.unicodeScalars.flatMap { scalar -> [Unicode.Scalar] in
            switch scalar.value {
            case 0x0A: return ["\\", "n"]
            case 0x09: return ["\\", "t"]
            case 0..<0x20, 0x7F: return Array("\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            default: return [scalar]
            }
        }))
        if reason.isEmpty { reason = "not valid TOML" }
        return ConfigError(path: path, line: line, reason: "TOML: \(reason) (column \(error.source.begin.column))")
    }

    // MARK: - Files

    /// Whether anything is at `path` (a dangling symbolic link too: then reading it is the error).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The file's bytes; a file that is missing, a folder, not a regular file or unreadable is exit 66.
    static func read(_ path: String) throws(ConfigError) -> [UInt8] {
        func fail(_ reason: String) -> ConfigError { ConfigError(path: path, line: nil, reason: reason, exitCode: ConfigError.noInput) }
        guard !path.isEmpty else { throw fail("the path is empty") }
        var linkInfo = stat()
        if lstat(path, &linkInfo) != 0 { throw fail(errno == ENOENT ? "no such file" : String(cString: strerror(errno))) }
        // O_NONBLOCK: a FIFO must not hang the start; it is refused below.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw fail("a symbolic link to a file that does not exist") }
            throw fail("cannot be read: \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail("cannot be read: \(String(cString: strerror(errno)))") }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR { throw fail("is a folder, not a config file") }
        guard type == S_IFREG else { throw fail("is not a regular file") }
        guard info.st_size <= 1 << 22 else {
            throw ConfigError(path: path, line: nil, reason: "is \(info.st_size) bytes: a config file is at most 4 MiB")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("cannot be read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes += chunk[..<n]
        }
        return bytes
    }

    /// The line of the first byte that is not UTF-8.
    static func lineOfInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var line = 1, i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0
            guard length > 0, i + length <= bytes.count,
                  String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil else { return line }
            if b == 0x0A { line += 1 }
            i += length
        }
        return line
    }
}

/// A TOML value as the checker sees it: TOMLKit's tree converted once, tables in file order.
indirect enum TOMLNode {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case date, time, dateTime
    case array([TOMLNode])
    case table([(key: String, value: TOMLNode)])

    /// "a string", "an array": what a message calls the value's type.
    var kind: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .date: return "a date"
        case .time: return "a time"
        case .dateTime: return "a date-time"
        case .array: return "an array"
        case .table: return "a table"
        }
    }

    init(_ table: TOMLTable, path: TOMLPath, scan: TOMLScan) {
        var entries: [(key: String, value: TOMLNode, order: Int)] = []
        for key in table.keys {
            guard let value = table[key] else { continue }
            let child = path + [.key(key)]
            entries.append((key, TOMLNode(value, path: child, scan: scan), scan.order(of: child)))
        }
        entries.sort { ($0.order, $0.key) < ($1.order, $1.key) }
        self = .table(entries.map { ($0.key, $0.value) })
    }

    init(_ value: TOMLValueConvertible, path: TOMLPath, scan: TOMLScan) {
        switch value.type {
        case .string: self = .string(value.string ?? "")
        case .int: self = .integer(value.int ?? 0)
        case .double: self = .float(value.double ?? 0)
        case .bool: self = .boolean(value.bool ?? false)
        case .date: self = .date
        case .time: self = .time
        case .dateTime: self = .dateTime
        case .array:
            var items: [TOMLNode] = []
            if let array = value.array {
                for (index, item) in array.enumerated() { items.append(TOMLNode(item, path: path + [.index(index)], scan: scan)) }
            }
            self = .array(items)
        case .table:
            if let table = value.table { self.init(table, path: path, scan: scan) } else { self = .table([]) }
        }
    }
}
