import CLibxml2

/// An attribute's value from libxml2's SAX2 attribute record (`base[3]..<base[4]`), for the
/// feed and OPML readers. Without entity substitution libxml2 passes each `&` of a value
/// on as `&#38;` (whether written `&amp;` or `&#38;`); those become `&` again. A bare `&`
/// left in the value starts a reference to an entity of the doctype, not expanded: it is
/// kept, after `unexpandedMark` when one is given.
enum XMLAttributeValue {
    static func decode(_ base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>, unexpandedMark: [UInt8] = []) -> String? {
        guard let start = base[3], let end = base[4] else { return nil }
        let bytes = UnsafeBufferPointer(start: start, count: end - start)
        guard bytes.contains(0x26) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x26 {
                if i + 4 < bytes.count && bytes[i + 1] == 0x23 && bytes[i + 2] == 0x33 && bytes[i + 3] == 0x38 && bytes[i + 4] == 0x3B {
                    out.append(0x26)
                    i += 5
                    continue
                }
                out += unexpandedMark
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
