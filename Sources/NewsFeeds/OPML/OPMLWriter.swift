import NewsCore

extension OPML {
    /// The subscriptions as an OPML 2.0 document, which ``parse(_:path:)`` reads back as
    /// the same list:
    ///
    /// - `head` with `title` and `dateCreated` (RFC 822, from `now`: the caller's clock);
    /// - one `outline` per feed with `type="rss"`, `xmlUrl` (a path as a `file:///` URL),
    ///   `text` and `title` (the name; the URL when it has none), `category` (its tags,
    ///   comma-separated) and `newsdesk:every`;
    /// - feeds in a row with the same first tag inside a folder `outline` of that tag, so
    ///   that readers that know folders but not `category` keep the grouping; the order of
    ///   the feeds is kept (a tag may make several folders).
    public static func export(_ subscriptions: [Subscription], title: String = "newsdesk subscriptions", now: Timestamp) -> String {
        let usesEvery = subscriptions.contains { $0.every != nil }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<opml version=\"2.0\"\(usesEvery ? " xmlns:newsdesk=\"\(namespace)\"" : "")>\n"
        out += "  <head>\n"
        out += "    <title>\(escape(title, attribute: false))</title>\n"
        out += "    <dateCreated>\(rfc822(now))</dateCreated>\n"
        out += "    <docs>http://opml.org/spec2.opml</docs>\n"
        out += "  </head>\n"
        out += "  <body>\n"
        var folder: String?
        for sub in subscriptions {
            let first = sub.tags.first
            if folder != first {
                if folder != nil { out += "    </outline>\n" }
                if let first {
                    let t = escape(first, attribute: true)
                    out += "    <outline text=\"\(t)\" title=\"\(t)\">\n"
                }
                folder = first
            }
            out += folder == nil ? "    " : "      "
            out += outline(sub)
            out += "\n"
        }
        if folder != nil { out += "    </outline>\n" }
        out += "  </body>\n"
        out += "</opml>\n"
        return out
    }

    static func outline(_ sub: Subscription) -> String {
        let url: String
        switch sub.location {
        case .url(let u): url = u
        case .path(let p): url = FeedLocation.fileURL(p)
        }
        let label = escape(sub.name ?? url, attribute: true)
        var s = "<outline type=\"rss\" text=\"\(label)\" title=\"\(label)\" xmlUrl=\"\(escape(url, attribute: true))\""
        if !sub.tags.isEmpty { s += " category=\"\(escape(sub.tags.joined(separator: ","), attribute: true))\"" }
        if let every = sub.every { s += " newsdesk:every=\"\(SubscriptionsFile.formatEvery(every))\"" }
        return s + "/>"
    }

    /// Text for XML: `&`, `<`, `>` (and in attributes `"`, tab and line ends) as references;
    /// characters XML 1.0 cannot hold at all as U+FFFD.
    static func escape(_ text: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\t" where attribute: out += "&#9;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            default:
                let v = scalar.value
                if (v < 0x20 && v != 0x09 && v != 0x0A) || v == 0xFFFE || v == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `Wed, 02 Dec 2026 02:05:00 GMT`.
    static func rfc822(_ t: Timestamp) -> String {
        let ms = t.milliseconds
        let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let secondOfDay = (ms - days * 86_400_000) / 1000
        let (year, month, day) = ISOTime.civil(days: days)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[Int(((days % 7) + 11) % 7)]  // 1970-01-01 was a Thursday
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(weekday), \(two(day)) \(months[Int(month) - 1]) \(year) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) GMT"
    }
}
