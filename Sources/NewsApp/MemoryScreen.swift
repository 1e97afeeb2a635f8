import NewsUI

/// A screen in memory, for running the app without a terminal (ratatui's `TestBackend`):
/// it keeps the last frame drawn, and keys and resizes are fed in by hand.
@MainActor
public final class MemoryScreen: Screen {
    public private(set) var columns: Int
    public private(set) var rows: Int
    public let color: Bool
    /// The last frame drawn, and how many have been.
    public private(set) var frame: CellGrid?
    public private(set) var framesDrawn = 0
    /// Whether ``restore()`` has been called.
    public private(set) var restored = false
    /// Whether the app asked for mouse reports (``startInput(mouse:onInput:onHangup:)``).
    public private(set) var mouseReporting = false
    private var onInput: (@MainActor ([Input]) -> Void)?
    private var onHangup: (@MainActor () -> Void)?
    private var onResize: (@MainActor (Int, Int) -> Void)?

    public init(columns: Int = 80, rows: Int = 24, color: Bool = false) {
        self.columns = columns
        self.rows = rows
        self.color = color
    }

    public func draw(_ grid: CellGrid) {
        frame = grid
        framesDrawn += 1
    }

    public func startInput(mouse: Bool, onInput: @escaping @MainActor ([Input]) -> Void, onHangup: @escaping @MainActor () -> Void) {
        mouseReporting = mouse
        self.onInput = onInput
        self.onHangup = onHangup
    }

    public func startResizeWatch(_ onResize: @escaping @MainActor (Int, Int) -> Void) {
        self.onResize = onResize
    }

    public func restore() {
        restored = true
        mouseReporting = false
    }

    /// How many times the bell rang.
    public private(set) var bells = 0
    public func bell() { bells += 1 }

    /// Whether the app has started reading input (keys sent before are lost, as on a terminal).
    public var listening: Bool { onInput != nil }

    /// Types `keys`, as a terminal delivers them.
    public func type(_ keys: [Key]) { onInput?(keys.map { .key($0) }) }

    /// Sends mouse reports, as a terminal does (whether or not reporting is on: a test checks that).
    public func mouse(_ events: [MouseEvent]) { onInput?(events.map { .mouse($0) }) }

    /// The terminal went away.
    public func hangUp() { onHangup?() }

    /// The window became `columns` x `rows`.
    public func resize(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        onResize?(columns, rows)
    }
}
