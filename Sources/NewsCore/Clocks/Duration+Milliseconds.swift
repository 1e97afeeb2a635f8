extension Duration {
    /// Whole milliseconds (rounded toward zero).
    public var milliseconds: Int64 {
        let (s, attos) = components
        return s * 1000 + attos / 1_000_000_000_000_000
    }
}
