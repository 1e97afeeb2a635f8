/// One code from the terminal's key reader (ncurses' `wget_wch`): a character, or a
/// function key it recognised from the terminal type's key sequences.
public enum TerminalInput: Equatable, Sendable {
    case character(UInt32)
    case key(Key)
}

/// Turns what the terminal's key reader returned in one read into keys.
///
/// ncurses decodes the escape sequences its terminal type describes; any other sequence
/// (Home as `ESC [ 1 ~` under a terminal type that says `ESC O H`, a modified key
/// `ESC [ 1 ; 5 H`, a paste bracket) arrives as its characters one by one, and each would
/// be a key: `[` jumped a replay back, `1` hid a source. As less and vim do, a CSI
/// sequence (`ESC [`, parameter and intermediate bytes 0x20-0x3F, a final byte
/// 0x40-0x7E) or an SS3 sequence (`ESC O` and one byte) is dropped whole.
///
/// A lone Esc is still Esc: ncurses waits `ESCDELAY` for the rest of a sequence before it
/// returns an Esc, so an Esc that ends a read, or is followed by another Esc or a key
/// ncurses decoded, was pressed on its own. Esc and an ordinary character (Alt-x) stay
/// two keys, as before. An unfinished sequence at the end of a read is dropped: a
/// terminal writes a key's sequence at once, so its rest is not coming as keys.
public enum KeyDecoder {
    private enum State { case ground, escape, csi, ss3 }

    /// The keys in one read's `inputs`.
    public static func decode(_ inputs: [TerminalInput]) -> [Key] {
        var keys: [Key] = []
        var state = State.ground
        var csiLength = 0  // bytes after `ESC [` so far
        for input in inputs {
            guard case .character(let code) = input else {
                if state == .escape { keys.append(.escape) }
                if case .key(let key) = input { keys.append(key) }
                state = .ground
                continue
            }
            switch (state, code) {
            case (.escape, 0x5B): state = .csi; csiLength = 0  // [
            case (.escape, 0x4F): state = .ss3  // O
            case (.csi, 0x20...0x3F): csiLength += 1  // parameters and intermediates
            case (.csi, 0x5A) where csiLength == 0:  // ESC [ Z: Shift-Tab, where the terminal type does not say so
                keys.append(.shiftTab)
                state = .ground
            case (.csi, 0x40...0x7E), (.ss3, 0x20...0x7E): state = .ground  // the final byte: dropped whole
            default:
                // Anything else ends a sequence (a broken one is dropped, the character kept);
                // after a lone Esc, the Esc counts.
                if state == .escape { keys.append(.escape) }
                state = .ground
                if code == 0x1B {
                    state = .escape
                } else if let key = characterKey(code) {
                    keys.append(key)
                }
            }
        }
        if state == .escape { keys.append(.escape) }
        return keys
    }

    /// The key for one character code, if it is one (C1 controls, NUL and Esc, which ``decode`` handles, are not).
    static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 0x0D, 0x0A: return .enter
        case 0x7F, 0x08: return .backspace
        case 0x09: return .tab
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(value + 0x60)!))
        default:
            guard let scalar = Unicode.Scalar(value), value >= 0x20, !(0x7F...0x9F).contains(value) else { return nil }
            return .char(Character(scalar))
        }
    }
}
