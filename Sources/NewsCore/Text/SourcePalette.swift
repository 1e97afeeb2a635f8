/// The colour of a source, the same in the view and in `--plain` output: one of the
/// terminal's basic colours, plain or bold (most terminals show bold colours brighter).
public struct SourceColor: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The basic colours a source can have, numbered as in ANSI SGR (`30 + rawValue`).
    public enum Hue: UInt8, Sendable, CaseIterable {
        case red = 1, green = 2, yellow = 3, magenta = 5, cyan = 6
    }

    public var hue: Hue
    public var bold: Bool

    public init(_ hue: Hue, bold: Bool = false) {
        self.hue = hue
        self.bold = bold
    }

    /// The escape sequence that starts this colour (`ESC [36m`, `ESC [1;36m`).
    public var ansi: String { "\u{1B}[" + (bold ? "1;" : "") + String(30 + Int(hue.rawValue)) + "m" }

    public var description: String { (bold ? "bold " : "") + "\(hue)" }
}

/// The sources' colours: a palette cycled by a source's position in the session's ordered
/// source list (``SourceOrder``), so that any number of sources has colours and the
/// simulated three keep theirs (cyan, green, yellow).
///
/// Five hues that read on dark and on light backgrounds, and on the view's blue bars:
/// no blue (the bars are blue), no black or white (one of them is the background). After
/// the five plain ones come the same five in bold, so ten sources in a row look different.
public enum SourcePalette {
    public static let colors: [SourceColor] = {
        let hues: [SourceColor.Hue] = [.cyan, .green, .yellow, .magenta, .red]
        return hues.map { SourceColor($0) } + hues.map { SourceColor($0, bold: true) }
    }()

    /// The colour of the source at `index` in the ordered source list.
    public static func color(at index: Int) -> SourceColor {
        colors[((index % colors.count) + colors.count) % colors.count]
    }
}

/// The session's sources in order: the configured list (a recording's `sources`, the
/// live sources), then any other source in the order it first appears in the feed. The
/// position is what keys 1-9, the header, the source picker and the colours go by.
public struct SourceOrder: Sendable, Equatable {
    public private(set) var names: [String] = []
    private var positions: [String: Int] = [:]

    /// `names` in order; a repeated name keeps its first place.
    public init(_ names: [String] = []) {
        for name in names { _ = position(adding: name) }
    }

    public var count: Int { names.count }

    /// The position of `name`, if it is one of the sources. The view asks once per
    /// headline: for a handful of sources, comparing names beats hashing one.
    public func position(of name: String) -> Int? {
        if names.count <= 8 {
            for i in names.indices where names[i] == name { return i }
            return nil
        }
        return positions[name]
    }

    /// The position of `name`, appending it at the end if it is new.
    public mutating func position(adding name: String) -> Int {
        if let known = position(of: name) { return known }
        names.append(name)
        positions[name] = names.count - 1
        return names.count - 1
    }

    /// The colour of `name`: by its position, or, for a name not in the list, by a hash of
    /// the name that is the same on every run (Swift's `hashValue` is seeded per process).
    public func color(of name: String) -> SourceColor {
        if let position = position(of: name) { return SourcePalette.color(at: position) }
        var hash: UInt32 = 2_166_136_261  // FNV-1a
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return SourcePalette.color(at: Int(hash % UInt32(SourcePalette.colors.count)))
    }
}
