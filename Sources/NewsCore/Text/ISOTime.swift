/// `2026-11-21T20:24:00.123Z`: UTC, millisecond precision.
public enum ISOTime {
    public static func format(_ t: Timestamp) -> String {
        var out: [UInt8] = []
        append(t, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func pad2(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    static func pad3(_ v: Int32) -> String { v < 10 ? "00\(v)" : v < 100 ? "0\(v)" : "\(v)" }
}

func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
    let q = a / b
    let r = a % b
    return r < 0 ? (q - 1, r + b) : (q, r)
}

extension ISOTime {
    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    /// The one copy: the feed parser's dates and the feed generator use it too.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Parses ISO 8601 date-times: `2026-11-21T22:04:41.357Z`, `2026-11-21T22:04:41+01:00`,
    /// `2026-11-21 22:04:41`, `2026-11-21T22:04`, `2026-11-21`. Without a zone the time is
    /// taken as `defaultOffsetSeconds` east of UTC (0: UTC). Returns nil if it is not one.
    public static func parse(_ text: String, defaultOffsetSeconds: Int64 = 0) -> Timestamp? {
        var copy = text
        return copy.withUTF8 { parse($0, defaultOffsetSeconds: defaultOffsetSeconds) }
    }

    public static func parse(_ s: UnsafeBufferPointer<UInt8>, defaultOffsetSeconds: Int64 = 0) -> Timestamp? {
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= s.count else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                let b = s[i + k]
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v * 10 + Int64(b - 0x30)
            }
            i += n
            return v
        }
        func take(_ b: UInt8) -> Bool {
            if i < s.count && s[i] == b { i += 1; return true }
            return false
        }
        guard let year = digits(4), take(0x2D), let month = digits(2), take(0x2D), let day = digits(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, millis: Int64 = 0
        if i < s.count && (s[i] == 0x54 || s[i] == 0x20 || s[i] == 0x74) {
            i += 1
            guard let h = digits(2), take(0x3A), let m = digits(2), h < 24, m < 60 else { return nil }
            hour = h
            minute = m
            if take(0x3A) {
                guard let sec = digits(2), sec < 61 else { return nil }
                second = min(sec, 59)
                if take(0x2E) || take(0x2C) {
                    var scale: Int64 = 100
                    var any = false
                    while i < s.count && s[i] >= 0x30 && s[i] <= 0x39 {
                        millis += Int64(s[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                        any = true
                    }
                    guard any else { return nil }
                }
            }
        }
        var offset = defaultOffsetSeconds
        if i < s.count {
            if s[i] == 0x5A || s[i] == 0x7A {
                offset = 0
                i += 1
            } else if s[i] == 0x2B || s[i] == 0x2D {
                let sign: Int64 = s[i] == 0x2D ? -1 : 1
                i += 1
                guard let oh = digits(2) else { return nil }
                _ = take(0x3A)
                let om = digits(2) ?? 0
                offset = sign * (oh * 3600 + om * 60)
            }
        }
        guard i == s.count else { return nil }
        let seconds = days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Timestamp(milliseconds: seconds * 1000 + millis)
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm):
    /// the inverse of ``days(year:month:day:)``.
    @inlinable
    public static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Appends `2026-11-21T22:04:41.357Z` (UTC, milliseconds) to `out`, without allocating.
    public static func append(_ t: Timestamp, to out: inout [UInt8]) {
        let (seconds, ms) = floorDivide(t.milliseconds, 1000)
        let (days, daySecond) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(days: days)
        func put(_ v: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var v = v
            while divisor > 0 {
                out.append(UInt8(0x30 + (v / divisor) % 10))
                v %= divisor
                divisor /= 10
            }
        }
        put(year, 4); out.append(0x2D); put(month, 2); out.append(0x2D); put(day, 2); out.append(0x54)
        put(daySecond / 3600, 2); out.append(0x3A); put(daySecond / 60 % 60, 2); out.append(0x3A); put(daySecond % 60, 2)
        out.append(0x2E); put(ms, 3); out.append(0x5A)
    }
}
