#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
