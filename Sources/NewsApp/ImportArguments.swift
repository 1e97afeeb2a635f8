import Foundation
import NewsCore

/// `newsdesk import`'s options as typed, and the rules on them: what is wrong with them
/// (a usage error, 64, before any row is read), which only a table takes, and the
/// ``ImportRequest`` they make. The executable's `ImportCommand` declares the options.
public struct ImportArguments: Sendable, Equatable {
    public var input: String
    public var out: String
    public var force: Bool
    public var format: String?
    public var name: String?
    public var title: String?
    public var time: String?
    public var source: String?
    public var id: String?
    public var url: String?
    public var summary: String?
    public var noHeader: Bool
    public var timeFormat: String?
    public var renameSource: String?
    public var only: String?
    public var interval: String?
    public var strict: Bool

    public init(input: String, out: String, force: Bool = false, format: String? = nil, name: String? = nil,
                title: String? = nil, time: String? = nil, source: String? = nil, id: String? = nil, url: String? = nil,
                summary: String? = nil, noHeader: Bool = false, timeFormat: String? = nil, renameSource: String? = nil,
                only: String? = nil, interval: String? = nil, strict: Bool = false) {
        self.input = input
        self.out = out
        self.force = force
        self.format = format
        self.name = name
        self.title = title
        self.time = time
        self.source = source
        self.id = id
        self.url = url
        self.summary = summary
        self.noHeader = noHeader
        self.timeFormat = timeFormat
        self.renameSource = renameSource
        self.only = only
        self.interval = interval
        self.strict = strict
    }

    /// The first thing wrong with the options, as the usage error says it, or nil.
    public var problem: String? {
        if let format, ImportFormat(rawValue: format.lowercased()) == nil {
            return "--format must be csv or jsonl, not '\(format)'"
        }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { return "--name cannot be empty" }
        if let interval, DurationText.parse(interval) == nil {
            return "--interval '\(interval)' is not a duration like 2s, 500ms or 1m"
        }
        if let interval, let ms = DurationText.parse(interval), ms > 86_400_000 {
            return "--interval '\(interval)' is over a day; events are spaced at most a day apart"
        }
        if interval != nil && time != nil { return "use --time or --interval, not both" }
        if let renameSource, ImportRun.parseRenames(renameSource) == nil {
            return "--rename-source takes pairs like sport=sports,sci_tech=tech"
        }
        for spec in [title, time, source, id].compactMap({ $0 }) + HeadlineField.allCases.compactMap(option(for:)) {
            if spec.isEmpty { return "a field name cannot be empty" }
            if let n = Int(spec), n < 1 { return "column numbers start at 1, not \(n)" }
        }
        return nil
    }

    /// The option that names or numbers an optional field (no option: only a column with one
    /// of its ``HeadlineField/importNames`` is read).
    public func option(for field: HeadlineField) -> String? {
        switch field {
        case .outlet: nil
        case .summary: summary
        case .url: url
        case .note: nil
        }
    }

    /// The options given that only CSV and JSON Lines take (a feed refuses them, by name).
    public var tableOptions: [String] {
        var given: [String] = []
        func note(_ value: Any?, _ flag: String) { if value != nil { given.append(flag) } }
        note(title, "--title")
        note(time, "--time")
        note(source, "--source")
        note(id, "--id")
        for field in HeadlineField.allCases { note(option(for: field), "--\(field.key)") }
        if noHeader { given.append("--no-header") }
        note(timeFormat, "--time-format")
        note(renameSource, "--rename-source")
        note(only, "--only")
        note(interval, "--interval")
        return given
    }

    /// What to import and how (for options that ``problem`` accepts); `readTime` dates a
    /// feed's items whose own date cannot be read.
    public func request(readTime: Timestamp) -> ImportRequest {
        let given = format.flatMap { ImportFormat(rawValue: $0.lowercased()) }
        var options = ImportOptions(input: input, output: out, format: given ?? ImportFormat.guess(input) ?? .csv)
        options.title = title.map(FieldSpec.init)
        options.time = time.map(FieldSpec.init)
        options.source = source.map(FieldSpec.init)
        options.id = id.map(FieldSpec.init)
        for field in HeadlineField.allCases {
            if let spec = option(for: field) { options.fields[field] = FieldSpec(spec) }
        }
        options.header = !noHeader
        options.timeFormat = timeFormat.map(TimeFormat.init) ?? .automatic
        options.rename = renameSource.flatMap(ImportRun.parseRenames) ?? [:]
        options.only = only.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        options.interval = interval.flatMap(DurationText.parse)
        options.strict = strict
        options.overwrite = force
        return ImportRequest(options: options, format: given, name: name, tableOptions: tableOptions, readTime: readTime)
    }
}
