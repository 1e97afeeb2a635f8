import Foundation

/// What to say about a first word that is not a command (the default command, `live`,
/// takes no words and would call it an "unexpected argument").
public enum CommandSuggestion {
    /// Why `word`, in a command's place, is not one, with the nearest of `commands` if it
    /// looks like a typo (`repaly`), or `replay` if it names a file; nil for a command,
    /// `help` or an option.
    public static func unknownCommand(_ word: String, commands: [String],
                                      fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> String? {
        guard !word.hasPrefix("-"), !(commands + ["help"]).contains(word) else { return nil }
        let nearest = commands.map { (name: $0, distance: editDistance(word.lowercased(), $0)) }.min { $0.distance < $1.distance }
        var message = "unknown command '\(word)'"
        if let nearest, nearest.distance <= 2 {
            message += "; did you mean '\(nearest.name)'?"
        } else if fileExists(word) {
            message += "; to play a recording: newsdesk replay \(word)"
        }
        return message + " (commands: \(commands.joined(separator: ", ")))"
    }

    /// Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`: `repaly`
    /// is one swap from `replay`.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    /// The options whose values may start with `-` (`--duration -1h`, `--filter -sports`).
    public static let valueOptions: Set<String> = [
        "--seed", "--speed", "--history", "--count", "--duration", "--stale-after", "--every", "--timeout",
        "--idle-limit", "--from", "--filter",
    ]

    /// `arguments` with each of `options` and a value that starts with `-` joined into one
    /// word, `--duration=-1h`: ArgumentParser took `-1h` in an option group for `-1 -h` and
    /// printed the help, exit 0, instead of saying what is wrong with the value. Nothing
    /// after `--` is touched.
    public static func joiningValues(_ arguments: [String], options: Set<String> = valueOptions) -> [String] {
        var out: [String] = []
        out.reserveCapacity(arguments.count)
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            if word == "--" {
                out += arguments[i...]
                break
            }
            if options.contains(word), i + 1 < arguments.count, arguments[i + 1].hasPrefix("-"), arguments[i + 1] != "--" {
                out.append(word + "=" + arguments[i + 1])
                i += 2
                continue
            }
            out.append(word)
            i += 1
        }
        return out
    }
}
