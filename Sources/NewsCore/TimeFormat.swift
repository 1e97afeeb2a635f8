#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// `2026-11-21T20:24:00.123Z`: UTC, millisecond precision.
public enum ISOTime {
    public static func format(_ t: Timestamp) -> String {
        let (seconds, ms) = floorDivide(t.milliseconds, 1000)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return "\(parts.tm_year + 1900)-\(pad2(parts.tm_mon + 1))-\(pad2(parts.tm_mday))T"
            + "\(pad2(parts.tm_hour)):\(pad2(parts.tm_min)):\(pad2(parts.tm_sec)).\(pad3(Int32(ms)))Z"
    }

    static func pad2(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    static func pad3(_ v: Int32) -> String { v < 10 ? "00\(v)" : v < 100 ? "0\(v)" : "\(v)" }
}

func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
    let q = a / b
    let r = a % b
    return r < 0 ? (q - 1, r + b) : (q, r)
}

/// Formats `HH:MM:SS` in local time, fast: the offset from UTC is looked up once per
/// 15-minute block (time zones change offset only on such boundaries), so a million
/// timestamps cost a million divisions, not a million `localtime_r` calls.
public struct LocalClockFormatter: Sendable {
    private var blockStart: Int64 = .min
    private var blockOffset: Int64 = 0  // seconds east of UTC in the cached block

    public init() {}

    /// Seconds east of UTC at `seconds` since the epoch.
    public mutating func utcOffset(atEpochSecond seconds: Int64) -> Int64 {
        let block = seconds - ((seconds % 900) + 900) % 900
        if block != blockStart {
            var time = time_t(seconds)
            var parts = tm()
            localtime_r(&time, &parts)
            blockStart = block
            blockOffset = Int64(parts.tm_gmtoff)
        }
        return blockOffset
    }

    /// Writes `HH:MM:SS` for `t` into `out`.
    public mutating func append(_ t: Timestamp, to out: inout [UInt8]) {
        let seconds = floorDivide(t.milliseconds, 1000).0
        let local = seconds + utcOffset(atEpochSecond: seconds)
        let daySecond = Int(floorDivide(local, 86_400).1)
        let h = daySecond / 3600, m = daySecond / 60 % 60, s = daySecond % 60
        out.append(UInt8(0x30 + h / 10)); out.append(UInt8(0x30 + h % 10)); out.append(0x3A)
        out.append(UInt8(0x30 + m / 10)); out.append(UInt8(0x30 + m % 10)); out.append(0x3A)
        out.append(UInt8(0x30 + s / 10)); out.append(UInt8(0x30 + s % 10))
    }

    public mutating func format(_ t: Timestamp) -> String {
        var out: [UInt8] = []
        append(t, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// `2026-11-21`: the local date of a time.
public enum LocalDate {
    public static func format(_ t: Timestamp) -> String {
        var time = time_t(floorDivide(t.milliseconds, 1000).0)
        var parts = tm()
        localtime_r(&time, &parts)
        return "\(parts.tm_year + 1900)-\(ISOTime.pad2(parts.tm_mon + 1))-\(ISOTime.pad2(parts.tm_mday))"
    }
}
