/// One mouse report from the terminal (SGR 1006: `ESC [ < b ; x ; y M`, or `m` for a
/// release), decoded by ``KeyDecoder``.
public struct MouseEvent: Equatable, Sendable {
    public enum Button: Int, Equatable, Sendable { case left = 0, middle = 1, right = 2 }

    public enum Kind: Equatable, Sendable {
        case press(Button)
        /// A button let go. An SGR report says which; an old X10 one does not (nil).
        case release(Button?)
        case wheelUp, wheelDown
        /// The pointer moved (with a button held, or any motion if the terminal reports it).
        case motion
        /// Anything else (wheel left/right, buttons 8-11): nothing here uses it.
        case other
    }

    public struct Modifiers: OptionSet, Equatable, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let shift = Modifiers(rawValue: 4)
        public static let alt = Modifiers(rawValue: 8)
        public static let control = Modifiers(rawValue: 16)
    }

    public var kind: Kind
    /// The cell, counted from 0 (the report counts from 1).
    public var column: Int
    public var row: Int
    public var modifiers: Modifiers
    /// When it arrived, in milliseconds of a monotonic clock (set by the runtime as it
    /// reads the input; 0 from the decoder): what tells a double click from two clicks.
    public var time: Int64

    public init(_ kind: Kind, column: Int, row: Int, modifiers: Modifiers = [], time: Int64 = 0) {
        self.kind = kind
        self.column = column
        self.row = row
        self.modifiers = modifiers
        self.time = time
    }

    /// The event of a report's button byte `b` (its meaning in both the SGR and the X10
    /// encodings; `release` for SGR's final `m`), at the 1-based cell `x`, `y`.
    static func decoding(_ b: Int, x: Int, y: Int, release: Bool) -> MouseEvent {
        let modifiers = Modifiers(rawValue: b & 0x1C)
        let low = b & 3
        let kind: Kind
        if b & 0x80 != 0 {
            kind = .other  // buttons 8-11
        } else if b & 0x40 != 0 {
            kind = release ? .other : low == 0 ? .wheelUp : low == 1 ? .wheelDown : .other
        } else if b & 0x20 != 0 {
            kind = .motion
        } else if low == 3 {
            kind = .release(nil)  // X10: "a button was released"
        } else {
            let button = Button(rawValue: low)!
            kind = release ? .release(button) : .press(button)
        }
        return MouseEvent(kind, column: max(0, x - 1), row: max(0, y - 1), modifiers: modifiers)
    }
}

/// What the terminal gave the app: a key, or a mouse report.
public enum Input: Equatable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
}
