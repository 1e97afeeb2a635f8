import Foundation
import NewsCore
import NewsFeeds

/// What `import` reads a file as, decided from its content: a feed (RSS, Atom, JSON Feed,
/// read by NewsFeeds), or a table (CSV or JSON Lines, read by NewsCore's ``Importer``).
public enum ImportInput: Equatable, Sendable {
    case feed
    case table(ImportFormat)

    /// What a file whose content was sniffed as `kind` is imported as; `byExtension` is
    /// the format its name suggests (``ImportFormat/guess(_:)``), used only where the
    /// content does not tell (an empty file, JSON that is neither a feed nor lines, text
    /// that is neither XML nor JSON nor clearly CSV). A page or an XML document that is
    /// not a feed is refused with what it looked like (exit 65).
    public static func decide(_ kind: SniffedKind, byExtension: ImportFormat?, path: String) -> Result<ImportInput, Refusal> {
        switch kind {
        case .feed: return .success(.feed)
        case .csv: return .success(.table(.csv))
        case .jsonLines: return .success(.table(.jsonl))
        case .html, .otherXML: return .failure(Refusal(status: 65, message: "\(path): \(kind)"))
        case .json, .unknown:
            if let byExtension { return .success(.table(byExtension)) }
            return .failure(Refusal(status: 65, message: "\(path): \(kind), nor CSV or JSON Lines (give --format csv or --format jsonl if it is one)"))
        case .empty:
            if let byExtension { return .success(.table(byExtension)) }
            return .failure(Refusal(status: 66, message: "\(path): the file is empty"))
        }
    }

    /// Why an input is not imported: the exit status and the message.
    public struct Refusal: Error, Equatable, Sendable {
        public var status: Int32
        public var message: String
    }

    /// Sniffs the start of the file at `path` (64 KiB; the whole file, within the feed
    /// size limit, when that start is JSON whose kind the rest may decide). A file that
    /// cannot be opened or read is exit 66.
    public static func sniff(path: String) -> Result<SniffedKind, Refusal> {
        // A pipe or FIFO can be read only once, so it is not even opened here: looking at
        // its start would take that start from the importer, and once this end closed, the
        // writer may be gone and opening the FIFO again waits for ever. Its name, or
        // --format, says what it is.
        var entry = stat()
        if stat(path, &entry) == 0, (entry.st_mode & S_IFMT) != S_IFREG, (entry.st_mode & S_IFMT) != S_IFDIR {
            if ImportFormat.guess(path) != nil { return .success(.unknown) }
            return .failure(Refusal(status: 64, message: "\(path): a pipe or FIFO is read once, so its content cannot be looked at first: give --format csv or --format jsonl, or import a file"))
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(Refusal(status: 66, message: "\(path): cannot open it (\(String(cString: strerror(errno))))")) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            return .failure(Refusal(status: 66, message: "\(path): is a directory"))
        }

        var head = [UInt8](repeating: 0, count: 64 << 10)
        var done = 0
        while done < head.count {
            let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(Refusal(status: 66, message: "\(path): cannot read it (\(String(cString: strerror(errno))))")) }
            if n == 0 { break }
            done += n
        }
        head.removeSubrange(done...)
        let kind = FeedSniffer.sniff(head)
        // A JSON Feed may put its "version" after a long first field: look at all of it.
        if kind == .json && done == head.count, let whole = try? FeedFile.read(path: path) {
            return .success(FeedSniffer.sniff(whole))
        }
        return .success(kind)
    }
}

/// Importing a feed: the items streamed from ``FeedParser`` into the ``Importer``, which
/// orders them by their date (feeds are often newest first) and offsets them from the
/// earliest, as it does rows.
public enum FeedImport {
    /// The producer for ``Importer/run(headlines:)``: reads and parses the feed at `path`
    /// (`name`: the source's name, nil for a short name from the feed's title; `readTime`:
    /// the date of an item whose own date cannot be read). Each item's notes go on the
    /// headline (``HeadlineField/note``) and into the report as problems; so do the
    /// feed's problems and where it broke (every item before the break is kept).
    public static func producer(path: String, name: String?, readTime: Timestamp,
                                limits: FeedLimits = FeedLimits()) -> Importer.Producer {
        return { (add, note) throws(ImportError) in
            let bytes: [UInt8]
            do {
                bytes = try FeedFile.read(path: path, limits: limits)
            } catch {
                throw .input(FileError(path: path, reason: "\(error)"))
            }
            var failure: ImportError?
            var count = 0
            let base = URL(fileURLWithPath: path).absoluteString
            let doc: FeedDocument
            do {
                doc = try bytes.withUnsafeBufferPointer { (b) throws(FeedError) -> FeedDocument in
                    try FeedParser.parse(bytes: b, baseURL: base, name: name, readTime: readTime, limits: limits) { item in
                        guard failure == nil else { return }
                        count += 1
                        var headline = item.headline
                        if !item.notes.isEmpty { headline.note = item.notes.map(\.message).joined(separator: "; ") }
                        do throws(ImportError) {
                            try add(headline)
                            for n in item.notes {
                                try note(LineProblem(path: path, line: 0, reason: "item \(count) (\(quoted(headline.title))): \(n.message)"))
                            }
                        } catch {
                            failure = error
                        }
                    }
                }
            } catch {
                throw .malformed(LineProblem(path: path, line: 0, reason: "\(error)"))
            }
            if let failure { throw failure }
            for problem in doc.problems {
                try note(LineProblem(path: path, line: problem.line, reason: reason(problem)))
            }
            if let broken = doc.brokenAt {
                let kept = switch count {
                case 0: "there is no item before it"
                case 1: "the item before it is imported"
                default: "the \(count.formatted()) items before it are imported"
                }
                try note(LineProblem(path: path, line: broken.line, reason: "the feed breaks here: \(reason(broken)); \(kept)"))
            }
        }
    }

    static func reason(_ problem: FeedProblem) -> String {
        problem.line > 0 ? "column \(problem.column): \(problem.message)" : problem.message
    }

    static func quoted(_ title: String) -> String {
        let short = title.count > 40 ? title.prefix(39) + "…" : Substring(title)
        return "\"\(short)\""
    }
}
