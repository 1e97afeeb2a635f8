/// Relative ages as the list shows them: "now", "8s", "3m", "2h", "3d".
public enum RelativeTime {
    /// The age of something published at `then`, seen at `now`.
    public static func format(from then: Timestamp, to now: Timestamp) -> String {
        let ms = now.milliseconds - then.milliseconds
        if ms < 1000 { return "now" }  // includes small clock skews into the future
        let s = ms / 1000
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }
}
