/// One code from the terminal's key reader (ncurses' `wget_wch`): a character, or a
/// function key it recognised from the terminal type's key sequences.
public enum TerminalInput: Equatable, Sendable {
    case character(UInt32)
    case key(Key)
}

/// Turns what the terminal's key reader returned in one read into keys and mouse reports.
///
/// ncurses decodes the escape sequences its terminal type describes; any other sequence
/// (Home as `ESC [ 1 ~` under a terminal type that says `ESC O H`, a modified key
/// `ESC [ 1 ; 5 H`, a paste bracket) arrives as its characters one by one, and each would
/// be a key: `[` jumped a replay back, `1` hid a source. As less and vim do, a CSI
/// sequence (`ESC [`, parameter and intermediate bytes 0x20-0x3F, a final byte
/// 0x40-0x7E) or an SS3 sequence (`ESC O` and one byte) is dropped whole.
///
/// Mouse reports are the exception: the view turns on SGR 1006 reporting itself (the
/// terminal types tmux and screen describe only the old X10 reports, which ncurses would
/// decode and SGR ones it would not), and ncurses' own `kmous` key is switched off, so a
/// report `ESC [ < b ; x ; y M` (press) or `m` (release) arrives here as characters and
/// becomes a ``MouseEvent``. A malformed `ESC [ <` sequence is dropped whole like any
/// other. An X10 report (`ESC [ M` and three bytes, from a terminal that ignores 1006) is
/// decoded too, so that its three bytes are never typed as keys.
///
/// A lone Esc is still Esc: ncurses waits `ESCDELAY` for the rest of a sequence before it
/// returns an Esc, so an Esc that ends a read, or is followed by another Esc or a key
/// ncurses decoded, was pressed on its own. Esc and an ordinary character (Alt-x) stay
/// two keys, as before. An unfinished sequence at the end of a read is dropped: a
/// terminal writes a key's sequence at once, so its rest is not coming as keys.
public enum KeyDecoder {
    private enum State { case ground, escape, csi, ss3, x10 }

    /// The keys in one read's `inputs` (mouse reports left out).
    public static func decode(_ inputs: [TerminalInput]) -> [Key] {
        decodeInputs(inputs).compactMap { if case .key(let key) = $0 { key } else { nil } }
    }

    /// The keys and mouse reports in one read's `inputs`, in order.
    public static func decodeInputs(_ inputs: [TerminalInput]) -> [Input] {
        var out: [Input] = []
        var state = State.ground
        var csi: [UInt32] = []  // parameter and intermediate bytes after `ESC [` so far
        for input in inputs {
            guard case .character(let code) = input else {
                if state == .escape { out.append(.key(.escape)) }
                if case .key(let key) = input { out.append(.key(key)) }
                state = .ground
                continue
            }
            switch (state, code) {
            case (.escape, 0x5B): state = .csi; csi = []  // [
            case (.escape, 0x4F): state = .ss3  // O
            case (.csi, 0x20...0x3F):  // parameters and intermediates
                if csi.count < 32 { csi.append(code) }
            case (.csi, 0x5A) where csi.isEmpty:  // ESC [ Z: Shift-Tab, where the terminal type does not say so
                out.append(.key(.shiftTab))
                state = .ground
            case (.csi, 0x4D) where csi.isEmpty:  // ESC [ M: an X10 mouse report, three bytes follow
                state = .x10
            case (.csi, 0x4D), (.csi, 0x6D):  // M, m: an SGR mouse report, if the parameters are one
                if let event = sgrReport(csi, release: code == 0x6D) { out.append(.mouse(event)) }
                state = .ground
            case (.csi, 0x40...0x7E), (.ss3, 0x20...0x7E): state = .ground  // the final byte: dropped whole
            case (.x10, 0x20...0x10FFFF):
                csi.append(code)
                if csi.count == 3 {
                    let b = Int(csi[0]) - 32, x = Int(csi[1]) - 32, y = Int(csi[2]) - 32
                    out.append(.mouse(MouseEvent.decoding(b, x: x, y: y, release: false)))
                    state = .ground
                }
            default:
                // Anything else ends a sequence (a broken one is dropped, the character kept);
                // after a lone Esc, the Esc counts.
                if state == .escape { out.append(.key(.escape)) }
                state = .ground
                if code == 0x1B {
                    state = .escape
                } else if let key = characterKey(code) {
                    out.append(.key(key))
                }
            }
        }
        if state == .escape { out.append(.key(.escape)) }
        return out
    }

    /// The event of an SGR report's parameters `< b ; x ; y` (nil if they are not that:
    /// three numbers of at most 6 digits each, the cell at least 1, 1).
    static func sgrReport(_ parameters: [UInt32], release: Bool) -> MouseEvent? {
        guard parameters.first == 0x3C else { return nil }  // <
        var numbers: [Int] = []
        var current: Int?
        var digits = 0
        for code in parameters.dropFirst() {
            switch code {
            case 0x30...0x39:
                digits += 1
                guard digits <= 6 else { return nil }
                current = (current ?? 0) * 10 + Int(code - 0x30)
            case 0x3B:  // ;
                guard let value = current else { return nil }
                numbers.append(value)
                current = nil
                digits = 0
            default:
                return nil
            }
        }
        guard let last = current else { return nil }
        numbers.append(last)
        guard numbers.count == 3, numbers[1] >= 1, numbers[2] >= 1 else { return nil }
        return MouseEvent.decoding(numbers[0], x: numbers[1], y: numbers[2], release: release)
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
