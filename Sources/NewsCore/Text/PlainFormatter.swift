/// Formats headlines as the lines of `--plain` mode, in the seed's format:
/// `[HH:MM:SS] Tech: headline` (local time of publication, the source's display name).
///
/// Titles pass through ``TerminalSafe`` first: no control character or escape sequence
/// from the data reaches the output. With `color` set, the source name is coloured
/// (only ever set when stdout is a terminal and `NO_COLOR` is not).
public struct PlainFormatter: Sendable {
    public var color: Bool
    private var clock = LocalClockFormatter()
    private var labels: [(source: String, bytes: [UInt8])] = []

    public init(color: Bool = false) {
        self.color = color
    }

    /// ANSI colour of a source's name: the same colour the interactive view uses.
    public static func ansiColor(for source: String) -> String {
        switch source {
        case "tech": return "\u{1B}[36m"  // cyan
        case "sports": return "\u{1B}[32m"  // green
        case "world": return "\u{1B}[33m"  // yellow
        default: return "\u{1B}[35m"  // magenta
        }
    }

    /// Appends one line (with its newline) for `headline` to `out`.
    public mutating func append(_ headline: borrowing Headline, to out: inout [UInt8]) {
        out.append(0x5B)  // [
        clock.append(headline.published, to: &out)
        out.append(0x5D)  // ]
        out.append(0x20)
        out += label(for: headline.source)
        var title = headline.title
        title.withUTF8 { bytes in
            if TerminalSafe.needsSanitizing(bytes) {
                out += Array(TerminalSafe.sanitize(headline.title).utf8)
            } else {
                out.append(contentsOf: bytes)
            }
        }
        out.append(0x0A)
    }

    /// The line for `headline`, without its newline.
    public mutating func line(for headline: Headline) -> String {
        var out: [UInt8] = []
        append(headline, to: &out)
        return String(decoding: out.dropLast(), as: UTF8.self)
    }

    /// `Tech: ` (coloured if asked), cached per source.
    private mutating func label(for source: String) -> [UInt8] {
        // A handful of sources: a linear search beats hashing the name.
        for entry in labels where entry.source == source { return entry.bytes }
        let name = TerminalSafe.sanitize(sourceDisplayName(source))
        let text = color ? "\(Self.ansiColor(for: source))\(name)\u{1B}[0m: " : "\(name): "
        let bytes = Array(text.utf8)
        if labels.count < 64 { labels.append((source, bytes)) }
        return bytes
    }
}
