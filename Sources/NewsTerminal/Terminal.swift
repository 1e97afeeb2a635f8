import CNcursesw
import Dispatch
import NewsUI

#if canImport(Glibc)
import Glibc
#endif

/// The real terminal, through ncursesw: puts ``CellGrid``s on screen (only the cells
/// that changed since the last frame), reads keys, follows resizes, and restores the
/// terminal on every way out. All of it on the main actor: ncurses is not thread-safe.
@MainActor
public final class Terminal {
    public private(set) var columns: Int
    public private(set) var rows: Int
    /// Whether colours are in use (the terminal has them and they were wanted).
    public let color: Bool

    private var previous: CellGrid?
    private var pairs: [UInt16: Int16] = [:]
    private var active = false
    private var inputSource: DispatchSourceRead?
    private var resizeSource: DispatchSourceSignal?
    private var cursorVisible = false
    /// Whether this terminal turned mouse reporting on (``startInput(mouse:onInput:onHangup:)``).
    private var mouseReporting = false
    /// Where keys are read: stdin, or /dev/tty (ncurses reads it to the end of the process).
    private let inputDescriptor: Int32
    /// Bytes written to the terminal so far (for the idle-output figure).
    public private(set) var bytesWritten = 0

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Why the view cannot run here, if it cannot: no terminal type, one that cannot move
    /// the cursor (`dumb`) or is unknown, or no terminal to read keys from. Then newsdesk
    /// prints lines, as in a pipe. Call with stdout a terminal, before the view starts
    /// (it loads the terminfo entry and frees it again); writes nothing.
    nonisolated public static func unavailableReason() -> String? {
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        switch nd_terminal_can_address() {
        case 1: break
        case 0: return "the terminal type '\(term)' cannot move the cursor"
        default:
            if term.isEmpty { return "TERM is not set" }
            return "the terminal type '\(term)' is unknown (try TERM=xterm-256color)"
        }
        if isatty(STDIN_FILENO) != 1 {
            let tty = open("/dev/tty", O_RDONLY | O_CLOEXEC)
            guard tty >= 0 else { return "standard input is not a terminal and /dev/tty cannot be opened (\(String(cString: strerror(errno))))" }
            close(tty)
        }
        return nil
    }

    /// Takes over the terminal. Keys come from stdin, or from /dev/tty when stdin is not a
    /// terminal (`echo x | newsdesk`), as less does. Throws (without touching it) when stdout
    /// is not a terminal or ncurses cannot start on it.
    public init(colorWanted: Bool) throws {
        guard isatty(STDOUT_FILENO) == 1 else {
            throw StartError(description: "the interactive view needs a terminal (use --plain in a pipe)")
        }
        if isatty(STDIN_FILENO) == 1 {
            inputDescriptor = STDIN_FILENO
        } else {
            inputDescriptor = open("/dev/tty", O_RDONLY | O_CLOEXEC)
            guard inputDescriptor >= 0 else {
                throw StartError(description: "cannot read keys: /dev/tty: \(String(cString: strerror(errno)))")
            }
        }
        Terminal.useUTF8Locale()
        nd_save_terminal()
        guard let screen = nd_newterm(inputDescriptor) else {
            let term = getenv("TERM").map { String(cString: $0) } ?? "(unset)"
            if inputDescriptor != STDIN_FILENO { close(inputDescriptor) }
            throw StartError(description: "cannot use the terminal type '\(term)' (try TERM=xterm-256color)")
        }
        set_term(screen)
        active = true
        nd_set_active(1)
        nd_install_crash_handlers()
        nd_install_suspend_hook()
        cbreak()  // Ctrl-C stays a signal: it quits even when the app is busy
        noecho()
        nonl()
        intrflush(nd_stdscr(), false)
        keypad(nd_stdscr(), true)
        // The view decodes mouse reports itself (KeyDecoder): ncurses' kmous key (ESC [ < under
        // xterm-256color) would swallow a report's start and leave the rest as characters.
        keyok(KEY_MOUSE, false)
        nodelay(nd_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        var useColor = false
        if colorWanted && has_colors() {
            start_color()
            use_default_colors()
            useColor = true
        }
        color = useColor
        columns = Int(nd_cols())
        rows = Int(nd_lines())
    }

    /// If the locale's character type is not UTF-8 (LANG unset, as in CI and many
    /// containers), use C.UTF-8 rather than mangling every non-ASCII title.
    public static func useUTF8Locale() {
        setlocale(LC_ALL, "")
        if nd_codeset_is_utf8() == 0 {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { setlocale(LC_CTYPE, "en_US.UTF-8") }
        }
    }

    /// Gives the terminal back exactly as it was (cursor, echo, main screen). Safe to call twice.
    public func restore() {
        inputSource?.cancel()
        resizeSource?.cancel()
        inputSource = nil
        resizeSource = nil
        guard active else { return }
        if mouseReporting {
            nd_mouse_reporting(0)
            mouseReporting = false
        }
        curs_set(1)
        endwin()
        active = false
        nd_set_active(0)
    }

    /// Rings the bell (ncurses' `beep`: the audible bell, else the visible one).
    public func bell() {
        guard active else { return }
        beep()
    }

    // MARK: drawing

    /// Draws what changed since the last frame and shows it.
    public func draw(_ grid: CellGrid) {
        guard active else { return }
        if previous == nil || previous!.columns != grid.columns || previous!.rows != grid.rows {
            werase(nd_stdscr())
            previous = nil
        }
        var scalars = [wchar_t](repeating: 0, count: 8)
        for change in grid.changes(from: previous) {
            var column = change.columns.lowerBound
            while column < change.columns.upperBound {
                let cell = grid[change.row, column]
                if cell.width == 0 { column += 1; continue }
                // ncurses scrolls if the very last cell is written with a wide character.
                if change.row == grid.rows - 1 && column + Int(cell.width) >= grid.columns && cell.width == 2 {
                    column += 2
                    continue
                }
                // One cchar_t: the character and its zero-width marks (at most 4: CCHARW_MAX 5).
                var count = 1
                scalars[0] = wchar_t(bitPattern: cell.scalar.value)
                if !cell.marks.isEmpty {
                    for mark in cell.marks { scalars[count] = wchar_t(bitPattern: mark.value); count += 1 }
                }
                var replaced = false
                if cell.scalar.value >= 0x300 || count > 1, let wcwidth = Terminal.libcWidth,
                   !cell.agrees(with: { Int(wcwidth(wchar_t(bitPattern: $0))) }) {
                    // This C library sizes it otherwise than the grid's table (another glibc):
                    // U+FFFD (and a space for a wide cell) keeps ncurses where the grid is.
                    scalars[0] = 0xFFFD
                    count = 1
                    replaced = true
                }
                wmove(nd_stdscr(), Int32(change.row), Int32(column))
                _ = nd_add_cluster(scalars, Int32(count), attributes(cell.style), pair(cell.style))
                if replaced && cell.width == 2 {
                    scalars[0] = 0x20
                    _ = nd_add_cluster(scalars, 1, attributes(cell.style), pair(cell.style))
                }
                // An estimate: ncurses adds the escapes. A loop, not `reduce` with a closure: a
                // closure formed here is main-actor isolated, and Swift checks that at run
                // time in every call from the (Swift 5) standard library, once per cell.
                for i in 0..<count { bytesWritten += UTF8.width(Unicode.Scalar(UInt32(bitPattern: scalars[i])) ?? " ") }
                column += Int(max(1, cell.width))
            }
        }
        if let cursor = grid.cursor {
            if !cursorVisible { curs_set(1); cursorVisible = true }
            wmove(nd_stdscr(), Int32(cursor.row), Int32(cursor.column))
        } else {
            if cursorVisible {
                curs_set(0)
                cursorVisible = false
            }
            // The hidden cursor rests at the top-left corner, wherever the last cell drawn
            // was: the same place every frame, whatever the text.
            wmove(nd_stdscr(), 0, 0)
        }
        wnoutrefresh(nd_stdscr())
        doupdate()
        previous = grid
    }

    /// The running C library's `wcwidth` (ncurses places characters by it), or nil.
    private static let libcWidth: (@convention(c) (wchar_t) -> Int32)? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "wcwidth") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (wchar_t) -> Int32).self)
    }()

    private func attributes(_ style: Style) -> attr_t {
        var a: attr_t = 0
        if style.bold { a |= nd_a_bold() }
        if style.underline { a |= nd_a_underline() }
        if style.reverse { a |= nd_a_reverse() }
        if style.dim { a |= nd_a_dim() }
        return a
    }

    @inline(__always)
    private func pair(_ style: Style) -> Int16 {
        guard color, style.foreground != .default || style.background != .default else { return 0 }
        let key = UInt16(style.foreground.rawValue) << 8 | UInt16(style.background.rawValue)
        if let existing = pairs[key] { return existing }
        let number = Int16(pairs.count + 1)
        guard Int32(number) < nd_color_pairs() else { return 0 }
        init_pair(number, Terminal.curses(style.foreground), Terminal.curses(style.background))
        pairs[key] = number
        return number
    }

    private static func curses(_ color: NewsUI.Color) -> Int16 {
        switch color {
        case .default: return -1
        case .black: return Int16(COLOR_BLACK)
        case .red: return Int16(COLOR_RED)
        case .green: return Int16(COLOR_GREEN)
        case .yellow: return Int16(COLOR_YELLOW)
        case .blue: return Int16(COLOR_BLUE)
        case .magenta: return Int16(COLOR_MAGENTA)
        case .cyan: return Int16(COLOR_CYAN)
        case .white: return Int16(COLOR_WHITE)
        }
    }

    // MARK: input

    /// Calls `onInput` on the main actor whenever keys (or mouse reports) are waiting, and
    /// `onHangup` if the terminal goes away. Reading drains ncurses' queue without blocking,
    /// from a dispatch source on stdin: no thread waits in ncurses, and nothing else is
    /// starved. With `mouse`, turns on the terminal's mouse reports (button presses and
    /// releases and the wheel, SGR 1006 encoding); ``restore()`` turns them off, and so does
    /// the crash-time restore.
    public func startInput(mouse: Bool, onInput: @escaping @MainActor ([Input]) -> Void, onHangup: @escaping @MainActor () -> Void) {
        if mouse && active && !mouseReporting {
            // Between frames: ncurses has flushed its output, so the bytes go out whole.
            nd_mouse_reporting(1)
            mouseReporting = true
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: inputDescriptor, queue: .main)
        var emptyWakeups = 0
        source.setEventHandler { [weak self] in
            MainActor.assumeIsolated {
                guard let self else { return }
                guard let keys = self.readKeys() else {
                    // Readable with nothing to read, over and over: the terminal is gone.
                    emptyWakeups += 1
                    if emptyWakeups > 50 { onHangup() }
                    return
                }
                emptyWakeups = 0
                if !keys.isEmpty { onInput(keys) }
            }
        }
        source.resume()
        inputSource = source
    }

    /// Calls `onResize` with the new size whenever the window changes (SIGWINCH). Once a
    /// dispatch source owns SIGWINCH ncurses never sees it, so the size is read from the
    /// kernel and given to `resizeterm` here.
    public func startResizeWatch(_ onResize: @escaping @MainActor (Int, Int) -> Void) {
        signal(SIGWINCH, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .main)
        source.setEventHandler { [weak self] in
            MainActor.assumeIsolated {
                guard let self else { return }
                self.updateSize()
                onResize(self.columns, self.rows)
            }
        }
        source.resume()
        resizeSource = source
    }

    /// Reads the size from the kernel and resizes ncurses' screen to it.
    public func updateSize() {
        var r: Int32 = 0, c: Int32 = 0
        if nd_window_size(&r, &c) == 0 && r > 0 && c > 0 {
            resizeterm(r, c)
        }
        columns = Int(nd_cols())
        rows = Int(nd_lines())
        previous = nil  // redraw everything
        clearok(nd_stdscr(), true)
    }

    /// Drains ncurses' queue; ``KeyDecoder`` turns the codes into keys and mouse reports
    /// (dropping escape sequences the terminal type does not describe). Nil when there was
    /// nothing to read.
    func readKeys() -> [Input]? {
        var inputs: [TerminalInput] = []
        var code: wint_t = 0
        while true {
            let result = wget_wch(nd_stdscr(), &code)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if let key = Terminal.functionKey(Int32(code)) { inputs.append(.key(key)) }
                continue
            }
            inputs.append(.character(UInt32(code)))
        }
        return inputs.isEmpty ? nil : KeyDecoder.decodeInputs(inputs)
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .shiftTab
        case KEY_F0 + 1...KEY_F0 + 12: return .function(Int(code - KEY_F0))
        default: return nil
        }
    }
}
