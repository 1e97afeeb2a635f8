/// Where the app's frames go and its keys come from: the ncurses terminal in the
/// program, an in-memory screen in tests (as ratatui's `Backend` and `TestBackend`).
///
/// It lives here, beside ``CellGrid``, so that NewsTerminal can implement it without
/// depending on the app runtime that drives it.
@MainActor
public protocol Screen: AnyObject {
    /// The size in cells, as of the last resize.
    var columns: Int { get }
    var rows: Int { get }
    /// Whether colours are in use.
    var color: Bool { get }
    /// Shows `grid` (an implementation may send only what changed).
    func draw(_ grid: CellGrid)
    /// Starts calling `onInput` whenever keys (or, with `mouse`, mouse reports) arrive, and
    /// `onHangup` if the input goes away. With `mouse` the screen turns the terminal's mouse
    /// reporting on (and ``restore()`` off again); without it the terminal's own selection works.
    func startInput(mouse: Bool, onInput: @escaping @MainActor ([Input]) -> Void, onHangup: @escaping @MainActor () -> Void)
    /// Starts calling `onResize` with the new size whenever it changes.
    func startResizeWatch(_ onResize: @escaping @MainActor (Int, Int) -> Void)
    /// Gives the screen back as it was; safe to call twice.
    func restore()
    /// Rings the terminal's bell (an alert with `bell` matched).
    func bell()
}
