import Logging

/// Sets up swift-log once: every record goes to stderr (Chrome passes the host's stderr through to its
/// own) and, when the state directory is usable, to the rotating `host.log`.
///
/// The level comes from `CRM_WHATSAPP_LOG_LEVEL` (`trace` ... `critical`, default `info`).
public enum HostLogging {
    public static let levelVariable = "CRM_WHATSAPP_LOG_LEVEL"

    /// Bootstraps logging and returns the log file, if one could be opened.
    public static func bootstrap(logDirectory: String?, environment: [String: String]) -> RotatingLogFile? {
        let level = environment[levelVariable].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let file = logDirectory.flatMap { directory in
            FileSystem.makeDirectory(directory) ? RotatingLogFile(directory: directory) : nil
        }
        LoggingSystem.bootstrap { label in
            var stderrHandler = StreamLogHandler.standardError(label: label)
            stderrHandler.logLevel = level
            guard let file else { return stderrHandler }
            return MultiplexLogHandler([stderrHandler, FileLogHandler(label: label, file: file, logLevel: level)])
        }
        return file
    }
}
