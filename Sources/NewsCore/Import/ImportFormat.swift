import Foundation

public enum ImportFormat: String, Sendable {
    case csv, jsonl

    /// By the file's extension: .csv/.txt -> CSV; .jsonl/.ndjson/.json -> JSON Lines.
    public static func guess(_ path: String) -> ImportFormat? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "csv", "txt": return .csv
        case "jsonl", "ndjson", "json": return .jsonl
        default: return nil
        }
    }
}
