#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `2026-11-21`: the local date of a time.
public enum LocalDate {
    public static func format(_ t: Timestamp) -> String {
        var time = time_t(floorDivide(t.milliseconds, 1000).0)
        var parts = tm()
        localtime_r(&time, &parts)
        return "\(parts.tm_year + 1900)-\(ISOTime.pad2(parts.tm_mon + 1))-\(ISOTime.pad2(parts.tm_mday))"
    }
}
