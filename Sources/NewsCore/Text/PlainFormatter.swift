/// Formats headlines as the lines of `--plain` mode, in the seed's format:
/// `[HH:MM:SS] Tech: headline` (local time of publication, the source's display name).
///
/// Titles pass through ``TerminalSafe`` first: no control character or escape sequence
/// from the data reaches the output. With `color` set, the source name is coloured
/// (only ever set when stdout is a terminal and `NO_COLOR` is not), in the colour the
/// interactive view gives it: ``SourcePalette`` by the source's place in `sources`.
public struct PlainFormatter: Sendable {
    public var color: Bool
    /// The session's sources in order; a source not in it is added as it first appears.
    public private(set) var sources: SourceOrder
    private var clock = LocalClockFormatter()
    private var labels: [(source: String, bytes: [UInt8])] = []

    /// `sources`: the session's sources in order (a recording's `sources` list, the live
    /// sources), which gives each its colour, as in the view.
    public init(color: Bool = false, sources: [String] = []) {
        self.color = color
        self.sources = SourceOrder(sources)
    }

    /// ANSI colour of a source's name: the same colour the interactive view gives it
    /// (a source not yet known takes the next place).
    public mutating func ansiColor(for source: String) -> String {
        if let given = sourceColors[source] { return given }
        return SourcePalette.color(at: sources.position(adding: source)).ansi
    }

    /// Sources whose colour the config file gives (`[colors.sources]`), as the escape
    /// sequence that starts it; the others keep the palette's.
    public var sourceColors: [String: String] = [:]

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
        let text = color ? "\(ansiColor(for: source))\(name)\u{1B}[0m: " : "\(name): "
        let bytes = Array(text.utf8)
        if labels.count < 64 { labels.append((source, bytes)) }
        return bytes
    }
}
