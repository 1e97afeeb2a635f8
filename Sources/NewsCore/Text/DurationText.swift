import Foundation

/// Durations as people write them: `90s`, `12m`, `1h5m`, `1h5m30s`, `2.5s`, `500ms`, or a
/// bare number of seconds.
public enum DurationText {
    /// Milliseconds, or nil if `text` is not a duration.
    public static func parse(_ text: String) -> Int64? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !s.isEmpty else { return nil }
        if let seconds = Double(s), seconds >= 0, seconds.isFinite { return DurationText.milliseconds(seconds: seconds) }
        var total = 0.0
        var number = ""
        var any = false
        var rest = Substring(s)
        while let c = rest.first {
            if c.isNumber || c == "." {
                number.append(c)
                rest = rest.dropFirst()
                continue
            }
            guard let value = Double(number), value >= 0 else { return nil }
            let unit: Double
            if rest.hasPrefix("ms") { unit = 1; rest = rest.dropFirst(2) }
            else if c == "h" { unit = 3_600_000; rest = rest.dropFirst() }
            else if c == "m" { unit = 60_000; rest = rest.dropFirst() }
            else if c == "s" { unit = 1000; rest = rest.dropFirst() }
            else if c == "d" { unit = 86_400_000; rest = rest.dropFirst() }
            else { return nil }
            total += value * unit
            number = ""
            any = true
        }
        guard number.isEmpty, any, total.isFinite else { return nil }
        return DurationText.milliseconds(seconds: total / 1000)
    }

    /// Seconds as whole milliseconds, huge values capped at about 285,000 years (so that
    /// `--duration 1e300` means "forever" instead of trapping on the conversion).
    public static func milliseconds(seconds: Double) -> Int64 {
        let ms = (seconds * 1000).rounded()
        if ms.isNaN { return 0 }
        return Int64(max(-9e15, min(9e15, ms)))
    }

    /// `1h05m`, `12m30s`, `42s` for a duration in milliseconds.
    public static func format(_ ms: Int64) -> String {
        let s = max(0, ms) / 1000
        if s >= 3600 { return "\(s / 3600)h\(ISOTime.pad2(Int32(s / 60 % 60)))m" }
        if s >= 60 { return "\(s / 60)m\(ISOTime.pad2(Int32(s % 60)))s" }
        return "\(s)s"
    }
}
