import NewsCore

/// The dates feeds write, read into instants: RFC 822 / 2822 (RSS) and RFC 3339 / W3C-DTF
/// (Atom, RDF's `dc:date`, JSON Feed), with the deviations real feeds have.
///
/// RFC 822: an optional weekday (any case, with or without a period, never checked
/// against the date), a day of one or two digits, an English month (short, long or
/// `Sept`), a year of four or two digits (00-49 is 20xx, 50-99 is 19xx, as RFC 2822
/// says), `HH:MM` or `HH:MM:SS` (a one-digit hour is read), then a zone: `+HHMM`,
/// `-HH:MM`, `GMT`, `UT`, `UTC`, `Z`, the North American and European names (`EST`,
/// `CEST`, ...), a military letter (`A` = +1 ... `M` = +12, `N` = -1 ... `Y` = -12, `Z`
/// = UTC, as the military uses them; RFC 822 printed the signs reversed), or none (UTC).
/// A trailing comment such as `(UTC)` is ignored.
///
/// RFC 3339: `YYYY-MM-DD`, then `T`, `t` or a space and `HH:MM[:SS[.fraction]]`, then
/// `Z`, `±HH:MM`, `±HHMM`, `±HH` or nothing (UTC); also `YYYY-MM-DD` alone (midnight UTC),
/// `YYYY-MM` and `YYYY` (W3C-DTF), and the basic form `YYYYMMDDTHHMMSSZ`.
/// Fractions are cut to milliseconds; a leap second `:60` is read as `:59`.
public enum FeedDate {
    public static func parse(_ text: String) -> Timestamp? {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    public static func parse(_ raw: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var start = 0, end = raw.count
        while start < end && isSpace(raw[start]) { start += 1 }
        while end > start && isSpace(raw[end - 1]) { end -= 1 }
        guard end - start >= 4, end - start <= 120 else { return nil }
        let s = UnsafeBufferPointer(rebasing: raw[start..<end])
        if isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && isDigit(s[3]) {
            if let t = rfc3339(s) { return t }
        }
        return rfc822(s)
    }

    // MARK: RFC 3339 / W3C-DTF

    static func rfc3339(_ s: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var r = Reader(s)
        guard let year = r.digits(4) else { return nil }
        var month: Int64 = 1, day: Int64 = 1
        var basic = false
        if r.take(0x2D) {
            guard let m = r.digits(2) else { return nil }
            month = m
            if r.take(0x2D) {
                guard let d = r.digits(2) else { return nil }
                day = d
            } else if r.atEnd {
                return civil(year, month, 1, 0, 0, 0, 0, 0)
            } else {
                return nil
            }
        } else if r.atEnd {
            return civil(year, 1, 1, 0, 0, 0, 0, 0)
        } else {
            guard let m = r.digits(2), let d = r.digits(2) else { return nil }
            month = m
            day = d
            basic = true
        }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, millis: Int64 = 0
        if let b = r.peek, b == 0x54 || b == 0x74 || b == 0x20 {
            r.i += 1
            while r.peek == 0x20 { r.i += 1 }
            guard let h = r.digits(2) else { return nil }
            hour = h
            if basic {
                guard let m = r.digits(2) else { return nil }
                minute = m
                second = r.digits(2) ?? 0
            } else {
                guard r.take(0x3A), let m = r.digits(2) else { return nil }
                minute = m
                if r.take(0x3A) {
                    guard let sec = r.digits(2) else { return nil }
                    second = sec
                }
            }
            if r.take(0x2E) || r.take(0x2C) {
                var scale: Int64 = 100
                var any = false
                while let b = r.peek, isDigit(b) {
                    millis += Int64(b - 0x30) * scale
                    scale /= 10
                    r.i += 1
                    any = true
                }
                guard any else { return nil }
            }
        }
        while r.peek == 0x20 { r.i += 1 }
        var offset: Int64 = 0
        if let b = r.peek {
            if b == 0x5A || b == 0x7A {
                r.i += 1
            } else if b == 0x2B || b == 0x2D {
                r.i += 1
                guard let oh = r.digits(2), oh < 24 else { return nil }
                _ = r.take(0x3A)
                let om = r.digits(2) ?? 0
                guard om < 60 else { return nil }
                offset = (b == 0x2D ? -1 : 1) * (oh * 3600 + om * 60)
            } else if let zone = namedZone(UnsafeBufferPointer(rebasing: s[r.i...])) {
                r.i = s.count
                offset = zone
            } else {
                return nil
            }
        }
        guard r.atEnd else { return nil }
        return civil(year, month, day, hour, minute, second, millis, offset)
    }

    // MARK: RFC 822 / 2822

    static func rfc822(_ s: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var r = Reader(s)
        // An optional weekday: letters, then an optional period and comma.
        if let b = r.peek, isLetter(b) {
            while let c = r.peek, isLetter(c) { r.i += 1 }
            _ = r.take(0x2E)
            r.skipSpaces()
            _ = r.take(0x2C)
            r.skipSpaces()
        }
        guard let day = r.number(maxDigits: 2) else { return nil }
        let sep = r.take(0x2D) || r.take(0x2F)
        if !sep { r.skipSpaces() }
        let monthStart = r.i
        while let c = r.peek, isLetter(c) { r.i += 1 }
        guard let month = monthNumber(UnsafeBufferPointer(rebasing: s[monthStart..<r.i])) else { return nil }
        _ = r.take(0x2E)
        if !(r.take(0x2D) || r.take(0x2F)) { r.skipSpaces() }
        let yearStart = r.i
        guard var year = r.number(maxDigits: 4) else { return nil }
        switch r.i - yearStart {
        case 2: year += year < 50 ? 2000 : 1900
        case 3: year += 1900  // RFC 2822's obsolete three-digit years
        case 4: break
        default: return nil
        }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        r.skipSpaces()
        if let b = r.peek, isDigit(b) {
            guard let h = r.number(maxDigits: 2), r.take(0x3A), let m = r.digits(2) else { return nil }
            hour = h
            minute = m
            if r.take(0x3A) {
                guard let sec = r.digits(2) else { return nil }
                second = sec
            }
            if r.take(0x2E) {  // fractions of a second, which RFC 822 has not
                while let c = r.peek, isDigit(c) { r.i += 1 }
            }
        }
        r.skipSpaces()
        var offset: Int64 = 0
        if let b = r.peek, b != 0x28 {
            if b == 0x2B || b == 0x2D {
                r.i += 1
                guard let oh = r.digits(2), oh < 24 else { return nil }
                _ = r.take(0x3A)
                let om = r.digits(2) ?? 0
                guard om < 60 else { return nil }
                offset = (b == 0x2D ? -1 : 1) * (oh * 3600 + om * 60)
            } else {
                let zoneStart = r.i
                while let c = r.peek, isLetter(c) { r.i += 1 }
                guard let zone = namedZone(UnsafeBufferPointer(rebasing: s[zoneStart..<r.i])) else { return nil }
                offset = zone
                // `GMT+0100`, `UTC-05:00`
                if let c = r.peek, c == 0x2B || c == 0x2D, zone == 0 {
                    r.i += 1
                    guard let oh = r.number(maxDigits: 2), oh < 24 else { return nil }
                    _ = r.take(0x3A)
                    let om = r.digits(2) ?? 0
                    offset = (c == 0x2D ? -1 : 1) * (oh * 3600 + om * 60)
                }
            }
            r.skipSpaces()
        }
        if r.peek == 0x28 {  // a comment: `(UTC)`, `(Pacific Standard Time)`
            while let c = r.peek, c != 0x29 { r.i += 1 }
            _ = r.take(0x29)
            r.skipSpaces()
        }
        guard r.atEnd else { return nil }
        return civil(year, month, day, hour, minute, second, 0, offset)
    }

    // MARK: Parts

    static func civil(_ year: Int64, _ month: Int64, _ day: Int64, _ hour: Int64, _ minute: Int64,
                      _ second: Int64, _ millis: Int64, _ offset: Int64) -> Timestamp? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month, year),
              (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        if hour == 24 && (minute != 0 || second != 0 || millis != 0) { return nil }
        let days = ISOTime.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        let t = Timestamp(milliseconds: seconds * 1000 + millis)
        return Timestamp.validMilliseconds.contains(t.milliseconds) ? t : nil
    }

    static func daysIn(_ month: Int64, _ year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static let months: [(String, Int64)] = [
        ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("may", 5), ("jun", 6), ("jul", 7), ("aug", 8),
        ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12),
    ]
    static let longMonths = ["january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"]

    static func monthNumber(_ word: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard word.count >= 3 else { return nil }
        let lower = String(decoding: word.map { $0 | 0x20 }, as: UTF8.self)
        if word.count == 3 { return months.first { $0.0 == lower }?.1 }
        if lower == "sept" { return 9 }
        if let i = longMonths.firstIndex(of: lower) { return Int64(i + 1) }
        return nil
    }

    /// Seconds east of UTC for a zone name, nil for one that is not known.
    static func namedZone(_ word: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !word.isEmpty, word.count <= 5, word.allSatisfy(isLetter) else { return nil }
        let upper = String(decoding: word.map { $0 & ~0x20 }, as: UTF8.self)
        if upper.count == 1 {
            let c = Int64(word[0] & ~0x20)
            switch c {
            case 0x5A: return 0  // Z
            case 0x41...0x49: return (c - 0x40) * 3600  // A-I: +1 ... +9
            case 0x4B...0x4D: return (c - 0x41) * 3600  // K-M: +10 ... +12 (no J)
            case 0x4E...0x59: return -(c - 0x4D) * 3600  // N-Y: -1 ... -12
            default: return nil
            }
        }
        return zones[upper].map { $0 * 60 }
    }

    /// Minutes east of UTC.
    static let zones: [String: Int64] = [
        "GMT": 0, "UT": 0, "UTC": 0, "Z": 0, "WET": 0, "BST": 60, "IST": 60, "WEST": 60,
        "CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180,
        "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
        "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600, "AST": -240, "ADT": -180,
        "NST": -210, "NDT": -150, "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "AWST": 480,
        "ACST": 570, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
    ]

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    struct Reader {
        let s: UnsafeBufferPointer<UInt8>
        var i = 0
        init(_ s: UnsafeBufferPointer<UInt8>) { self.s = s }
        var atEnd: Bool { i >= s.count }
        var peek: UInt8? { i < s.count ? s[i] : nil }
        mutating func take(_ b: UInt8) -> Bool {
            if i < s.count && s[i] == b { i += 1; return true }
            return false
        }
        mutating func skipSpaces() { while i < s.count && (s[i] == 0x20 || s[i] == 0x09) { i += 1 } }
        /// Exactly `n` digits.
        mutating func digits(_ n: Int) -> Int64? {
            guard i + n <= s.count else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                guard FeedDate.isDigit(s[i + k]) else { return nil }
                v = v * 10 + Int64(s[i + k] - 0x30)
            }
            i += n
            return v
        }
        /// One to `maxDigits` digits.
        mutating func number(maxDigits: Int) -> Int64? {
            var v: Int64 = 0
            let start = i
            while i < s.count && i - start < maxDigits && FeedDate.isDigit(s[i]) {
                v = v * 10 + Int64(s[i] - 0x30)
                i += 1
            }
            return i > start ? v : nil
        }
    }
}
