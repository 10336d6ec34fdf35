/// Where the host keeps its data and logs, from the environment (no file-system access here).
///
/// Data: `CRM_WHATSAPP_DATA_DIR`, else `$XDG_DATA_HOME/crm-whatsapp` (default `~/.local/share`) on
/// Linux, `~/Library/Application Support/crm-whatsapp` on macOS. Logs: `$XDG_STATE_HOME/crm-whatsapp`
/// (default `~/.local/state`) on Linux, `~/Library/Logs/crm-whatsapp` on macOS (XDG Base Directory
/// Specification 0.8; relative XDG values are ignored as the spec requires).
public struct HostPaths: Equatable, Sendable {
    /// The operating systems with native-messaging manifest locations we know.
    public enum Platform: String, Sendable {
        case linux
        case macOS = "macos"

        /// The platform this binary was built for.
        public static var current: Platform {
            #if os(macOS)
            return .macOS
            #else
            return .linux
            #endif
        }
    }

    /// The store directory (one SQLite database per linked account lives here).
    public var dataDirectory: String
    /// The directory of `host.log` and its rotations.
    public var logDirectory: String

    public static let dataDirectoryVariable = "CRM_WHATSAPP_DATA_DIR"

    /// `<data>/settings.json` (``HostSettings``).
    public var settingsFile: String { dataDirectory + "/" + HostSettings.fileName }
    /// `<logs>/host.log` (``RotatingLogFile``).
    public var logFile: String { logDirectory + "/" + RotatingLogFile.fileName }

    public init(dataDirectory: String, logDirectory: String) {
        self.dataDirectory = dataDirectory
        self.logDirectory = logDirectory
    }

    /// Resolves both directories.
    ///
    /// - Returns: `nil` when neither an override nor `HOME` gives an absolute path.
    public static func resolve(environment: [String: String], platform: Platform = .current) -> HostPaths? {
        let home = absolute(environment["HOME"])
        let data: String?
        let logs: String?
        switch platform {
        case .linux:
            data = absolute(environment["XDG_DATA_HOME"]).map { $0 + "/crm-whatsapp" }
                ?? home.map { $0 + "/.local/share/crm-whatsapp" }
            logs = absolute(environment["XDG_STATE_HOME"]).map { $0 + "/crm-whatsapp" }
                ?? home.map { $0 + "/.local/state/crm-whatsapp" }
        case .macOS:
            data = home.map { $0 + "/Library/Application Support/crm-whatsapp" }
            logs = home.map { $0 + "/Library/Logs/crm-whatsapp" }
        }
        guard let dataDirectory = absolute(environment[dataDirectoryVariable]) ?? data, let logs else { return nil }
        return HostPaths(dataDirectory: dataDirectory, logDirectory: logs)
    }

    /// The value without trailing slashes when it is an absolute path, else `nil`.
    public static func absolute(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/") else { return nil }
        var trimmed = Substring(value)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
