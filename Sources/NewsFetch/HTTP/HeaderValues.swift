import Foundation

/// Text helpers of the fetcher and the proxy settings.
extension StringProtocol {
    package var trimmingBlanks: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension Character {
    package var isASCIIDigit: Bool { isASCII && isNumber }
}
