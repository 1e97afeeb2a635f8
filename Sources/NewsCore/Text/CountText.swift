/// Counts as people read them, the same on the screen and on stderr.
public enum CountText {
    /// 1234567 -> "1,234,567" (the same in every locale, like the rest of the screen).
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// "1 match", "14 matches", "1,200 headlines": the noun agrees with the number.
    public static func counted(_ n: Int, _ one: String, _ many: String) -> String {
        "\(grouped(n)) \(n == 1 ? one : many)"
    }
}
