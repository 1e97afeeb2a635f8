import Foundation

/// Locates the headline vocabularies bundled from the top-level `Resources/` folder.
///
/// SwiftPM copies `Resources/vocabulary` next to the built executable
/// (`newsdesk_NewsResources.resources`), and `Bundle.module` finds it from any
/// working directory.
public enum NewsResources {
    /// The folder holding `lists/`, `templates/` and `outlets/`.
    public static var vocabularyURL: URL {
        Bundle.module.resourceURL!.appendingPathComponent("vocabulary", isDirectory: true)
    }
}
