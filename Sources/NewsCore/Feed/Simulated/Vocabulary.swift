import Foundation
import NewsResources

/// The word lists, headline templates and outlet names the simulated sources draw from.
///
/// They live as plain text under the top-level `Resources/vocabulary/` folder (see
/// `Resources/README.md` for the format), so that anyone can add a team or a template
/// without touching code. Templates are compiled once into segments of pre-encoded
/// UTF-8, so generating a headline is a few appends into a byte buffer.
public struct Vocabulary: Sendable {
    /// One piece of a compiled template. Text is stored in ``text`` and referred to by
    /// position, so that generating a headline copies bytes without touching any
    /// reference-counted array.
    enum Segment: Sendable, Equatable {
        case literal(Range<Int>)
        /// An entry of list `list`; `pick` > 0 means "differs from picks 0..<pick of that list".
        case slot(list: Int, pick: Int)
        case integer(ClosedRange<Int>)
        /// `{is|are}`: the form that agrees in number with the entry of the last slot before it.
        case agree(singular: Range<Int>, plural: Range<Int>)
    }

    struct Template: Sendable {
        var segments: [Segment]
        /// Starts with a label of its own ("Live: ", "Player ratings: "): it gets no
        /// "Breaking: " in front, which would read as two labels.
        var labelled = false
    }

    /// The templates and outlets of one category (`tech`, `sports`, `world`...).
    struct Category: Sendable {
        var templates: [Template]
        var outlets: [String]
        /// Each template's segments in ``Vocabulary/segments``.
        var spans: [Range<Int>] = []
    }

    /// All list entries and template literals, as UTF-8, one after the other.
    var text: [UInt8]
    /// For each list, the range of each entry in `text`.
    var lists: [[Range<Int>]]
    /// For each list, whether each entry is plural (marked `[plural]` in its file).
    var plural: [[Bool]]
    var listNames: [String]
    var categories: [String: Category]
    /// The same, flattened for the generator's hot loop: every list's entries one after
    /// the other, each list's span of them, and every template's segments.
    var entries: [Range<Int>] = []
    var entryIsPlural: [Bool] = []
    var listSpans: [Range<Int>] = []
    var segments: [Segment] = []
    /// The same again, copied once into memory that is never moved nor freed while a
    /// generator uses it, for reading through plain pointers.
    var packed = Packed(text: [], entries: [], plural: [], listSpans: [], segments: [])

    /// Immutable copies of the flattened vocabulary, read through raw pointers.
    final class Packed: @unchecked Sendable {
        // Immutable after init: safe to share between threads.
        let text: UnsafeBufferPointer<UInt8>
        let entries: UnsafeBufferPointer<Range<Int>>
        /// Parallel to `entries`.
        let plural: UnsafeBufferPointer<Bool>
        let listSpans: UnsafeBufferPointer<Range<Int>>
        let segments: UnsafeBufferPointer<Segment>

        init(text: [UInt8], entries: [Range<Int>], plural: [Bool], listSpans: [Range<Int>], segments: [Segment]) {
            func copy<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
                let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: array.count)
                _ = buffer.initialize(from: array)
                return UnsafeBufferPointer(buffer)
            }
            self.text = copy(text)
            self.entries = copy(entries)
            self.plural = copy(plural)
            self.listSpans = copy(listSpans)
            self.segments = copy(segments)
        }

        deinit {
            UnsafeMutableBufferPointer(mutating: text).deallocate()
            UnsafeMutableBufferPointer(mutating: entries).deallocate()
            UnsafeMutableBufferPointer(mutating: plural).deallocate()
            UnsafeMutableBufferPointer(mutating: listSpans).deallocate()
            UnsafeMutableBufferPointer(mutating: segments).deinitialize().deallocate()
        }
    }

    /// The categories that have templates, sorted by name.
    public var categoryNames: [String] { categories.keys.sorted() }

    public struct LoadError: Error, CustomStringConvertible, Equatable {
        public var file: String
        public var line: Int?
        public var reason: String
        public var description: String {
            if let line { return "\(file):\(line): \(reason)" }
            return "\(file): \(reason)"
        }
    }

    /// The vocabulary bundled with newsdesk.
    public static func bundled() throws -> Vocabulary {
        try load(from: NewsResources.vocabularyURL)
    }

    /// Loads `lists/*.txt`, `templates/*.txt` and `outlets/*.txt` from `folder`.
    public static func load(from folder: URL) throws -> Vocabulary {
        func entries(_ sub: String) throws -> [(name: String, lines: [(Int, String)], path: String)] {
            let dir = folder.appendingPathComponent(sub, isDirectory: true)
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
                    .filter { $0.hasSuffix(".txt") }.sorted()
            } catch {
                throw LoadError(file: dir.path, line: nil, reason: "cannot read the folder")
            }
            return try names.map { file in
                let path = dir.appendingPathComponent(file).path
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw LoadError(file: path, line: nil, reason: "cannot read the file")
                }
                let text = String(decoding: data, as: UTF8.self)
                var lines: [(Int, String)] = []
                for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = raw.trimmingCharacters(in: .whitespaces)
                    if line.isEmpty || line.hasPrefix("#") { continue }
                    lines.append((number + 1, line))
                }
                return (String(file.dropLast(4)), lines, path)
            }
        }

        var listIndex: [String: Int] = [:]
        var text: [UInt8] = []
        var lists: [[Range<Int>]] = []
        var plural: [[Bool]] = []
        var listNames: [String] = []
        for list in try entries("lists") {
            guard !list.lines.isEmpty else {
                throw LoadError(file: list.path, line: nil, reason: "the list is empty")
            }
            listIndex[list.name] = lists.count
            listNames.append(list.name)
            let marker = " [plural]"
            lists.append(list.lines.map { line in
                let entry = line.1.hasSuffix(marker) ? String(line.1.dropLast(marker.count)) : line.1
                let start = text.count
                text += Array(entry.utf8)
                return start..<text.count
            })
            plural.append(list.lines.map { $0.1.hasSuffix(marker) })
        }

        var outlets: [String: [String]] = [:]
        for file in try entries("outlets") {
            outlets[file.name] = file.lines.map(\.1)
        }

        var categories: [String: Category] = [:]
        for file in try entries("templates") {
            var templates: [Template] = []
            for (number, line) in file.lines {
                do {
                    templates.append(try compile(line, listIndex: listIndex, lists: lists, text: &text))
                } catch let reason as TemplateError {
                    throw LoadError(file: file.path, line: number, reason: reason.message)
                }
            }
            guard !templates.isEmpty else {
                throw LoadError(file: file.path, line: nil, reason: "no templates")
            }
            categories[file.name] = Category(templates: templates, outlets: outlets[file.name] ?? [])
        }
        var vocabulary = Vocabulary(text: text, lists: lists, plural: plural, listNames: listNames, categories: categories)
        for (list, isPlural) in zip(lists, plural) {
            vocabulary.listSpans.append(vocabulary.entries.count..<(vocabulary.entries.count + list.count))
            vocabulary.entries += list
            vocabulary.entryIsPlural += isPlural
        }
        for name in categories.keys.sorted() {
            for template in categories[name]!.templates {
                vocabulary.categories[name]!.spans.append(vocabulary.segments.count..<(vocabulary.segments.count + template.segments.count))
                vocabulary.segments += template.segments
            }
        }
        vocabulary.packed = Packed(text: vocabulary.text, entries: vocabulary.entries, plural: vocabulary.entryIsPlural,
                                   listSpans: vocabulary.listSpans, segments: vocabulary.segments)
        return vocabulary
    }

    struct TemplateError: Error { var message: String }

    /// Compiles `{list}`, `{list#2}`, `{int:A-B}` and `{is|are}` slots; everything else is
    /// literal. A template whose text before its first slot ends a label (`Live: `) is
    /// marked as labelled.
    static func compile(_ template: String, listIndex: [String: Int], lists: [[Range<Int>]], text: inout [UInt8]) throws -> Template {
        var segments: [Segment] = []
        var literal: [UInt8] = []
        func addLiteral() {
            guard !literal.isEmpty else { return }
            let start = text.count
            text += literal
            segments.append(.literal(start..<text.count))
            literal = []
        }
        var picksSeen: [Int: Int] = [:]  // list -> number of picks so far
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            literal += Array(rest[..<open].utf8)
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw TemplateError(message: "unclosed '{' in template")
            }
            let slot = rest[rest.index(after: open)..<close]
            addLiteral()
            if slot.hasPrefix("int:") {
                let bounds = slot.dropFirst(4).split(separator: "-")
                guard bounds.count == 2, let lo = Int(bounds[0]), let hi = Int(bounds[1]), lo >= 0, lo <= hi else {
                    throw TemplateError(message: "bad number slot '{\(slot)}': write {int:A-B} with A <= B")
                }
                segments.append(.integer(lo...hi))
            } else if slot.contains("|") {
                let forms = slot.split(separator: "|", omittingEmptySubsequences: false)
                guard forms.count == 2 else {
                    throw TemplateError(message: "bad agreement '{\(slot)}': write the singular and plural forms, as in {is|are}")
                }
                guard segments.contains(where: { if case .slot = $0 { true } else { false } }) else {
                    throw TemplateError(message: "'{\(slot)}' needs a list slot before it to agree with")
                }
                func add(_ form: Substring) -> Range<Int> {
                    let start = text.count
                    text += Array(form.utf8)
                    return start..<text.count
                }
                segments.append(.agree(singular: add(forms[0]), plural: add(forms[1])))
            } else {
                let parts = slot.split(separator: "#", maxSplits: 1)
                let name = String(parts.first ?? "")
                guard let list = listIndex[name] else {
                    throw TemplateError(message: "unknown list '\(name)' in '{\(slot)}'")
                }
                var pick = 0
                if parts.count == 2 {
                    guard let n = Int(parts[1]), n >= 2 else {
                        throw TemplateError(message: "bad pick '{\(slot)}': write {\(name)#2}")
                    }
                    pick = n - 1
                }
                let seen = picksSeen[list, default: 0]
                guard pick <= seen else {
                    throw TemplateError(message: "'{\(slot)}' needs an earlier pick of '\(name)'")
                }
                guard pick < lists[list].count else {
                    throw TemplateError(message: "'{\(slot)}' needs more distinct entries than list '\(name)' has")
                }
                picksSeen[list] = max(seen, pick + 1)
                segments.append(.slot(list: list, pick: pick))
            }
            rest = rest[rest.index(after: close)...]
        }
        if rest.contains("}") { throw TemplateError(message: "stray '}' in template") }
        literal += Array(rest.utf8)
        addLiteral()
        var labelled = false
        if case .literal(let first) = segments.first {
            labelled = String(decoding: text[first], as: UTF8.self).contains(": ")
        }
        return Template(segments: segments, labelled: labelled)
    }
}
