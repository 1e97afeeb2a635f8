/// `--speed`: a positive factor, or `max` for no waiting at all.
public enum Speed: Equatable, Sendable, CustomStringConvertible {
    case factor(Double)
    case max

    /// `max` (any case) or any finite number, so that ``problem`` can say that 0 or less is
    /// not a speed (refusing it here would only get a generic "invalid value").
    public init?(_ text: String) {
        if text.lowercased() == "max" { self = .max; return }
        guard let value = Double(text), value.isFinite else { return nil }
        self = .factor(value)
    }

    /// What is wrong with it as a speed (0 or less), or nil.
    public var problem: String? {
        if case .factor(let f) = self, !(f > 0) { return "--speed must be above 0, not \(self) (a factor like 10 or 0.5, or max)" }
        return nil
    }

    public var description: String {
        switch self {
        case .max: "max"
        case .factor(let f): f == f.rounded() ? String(Int(f)) : String(f)
        }
    }

    /// The factor, `.infinity` for max (as the replay clock takes it).
    public var factor: Double {
        switch self {
        case .max: .infinity
        case .factor(let f): f
        }
    }
}

extension ClockChoice {
    /// The clock for a live feed at `speed`: virtual at max, else scaled.
    public init(_ speed: Speed) {
        switch speed {
        case .max: self = .virtual
        case .factor(let f): self = .scaled(f)
        }
    }
}
