/// Where the config file is: `--config FILE` when given, else
/// `$XDG_CONFIG_HOME/newsdesk/config.toml`, else `$HOME/.config/newsdesk/config.toml`.
/// A relative or empty `XDG_CONFIG_HOME` is ignored, as the XDG rules say (and so is a
/// relative `HOME`). A file named with `--config` must exist; the default one need not
/// (then the defaults hold).
public struct ConfigLocation: Sendable, Equatable {
    /// The file; nil when neither `--config`, `XDG_CONFIG_HOME` nor `HOME` gives one.
    public var path: String?
    /// Named with `--config`: then a missing file is an error (66).
    public var given: Bool

    public init(path: String?, given: Bool) {
        self.path = path
        self.given = given
    }

    public static func resolve(given: String?, environment: [String: String]) -> ConfigLocation {
        if let given { return ConfigLocation(path: given, given: true) }
        return ConfigLocation(path: defaultPath(environment: environment), given: false)
    }

    /// The default file's path for `environment`.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return join(xdg, "newsdesk/config.toml") }
        if let home = environment["HOME"], home.hasPrefix("/") { return join(home, ".config/newsdesk/config.toml") }
        return nil
    }

    static func join(_ folder: String, _ rest: String) -> String {
        folder.hasSuffix("/") ? folder + rest : folder + "/" + rest
    }
}
