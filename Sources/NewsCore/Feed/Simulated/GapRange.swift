/// The gaps between two headlines of a simulated source, in milliseconds, drawn uniformly.
public struct GapRange: Sendable, Hashable {
    public var milliseconds: ClosedRange<Int>
    public init(milliseconds: ClosedRange<Int>) {
        precondition(milliseconds.lowerBound >= 0, "gaps cannot be negative")
        self.milliseconds = milliseconds
    }
    public init(seconds: ClosedRange<Double>) {
        self.init(milliseconds: Int(seconds.lowerBound * 1000)...Int(seconds.upperBound * 1000))
    }
    /// Mean gap in milliseconds.
    public var mean: Double { Double(milliseconds.lowerBound + milliseconds.upperBound) / 2 }
}
