#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import HostProtocol
import HostService
import Logging

/// `crm-whatsapp-host`: the native-messaging host Chrome starts, plus `doctor` for humans.
///
/// Launched by the browser, the arguments are whatever it passes: Chrome on Linux/macOS gives the caller
/// origin `chrome-extension://<id>/`, Chrome on Windows adds `--parent-window=<HWND>`, Firefox gives the
/// manifest path and the add-on id (native-messaging.md §1.1). All of them select ``Serve``.
@main
struct HostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm-whatsapp-host",
        abstract: "Links the CRM's browser extension to the user's WhatsApp account (native messaging host).",
        version: HostProtocolVersion.hostVersion,
        subcommands: [Serve.self, Doctor.self],
        defaultSubcommand: Serve.self)
}

/// Speaks native messaging on stdin/stdout until the browser closes the port.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Speak native messaging on stdin/stdout (what the browser runs).")

    @Option(name: .customLong("parent-window"), help: "Passed by Chrome on Windows; ignored.")
    var parentWindow: String?

    @Argument(
        parsing: .allUnrecognized,
        help: "What the browser passes: the caller origin (Chrome) or the manifest path and add-on id (Firefox).")
    var callerArguments: [String] = []

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        // A launcher may hand us a blocked signal mask; Firefox stops hosts with SIGTERM, so unblock all.
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)

        let origin = CallerOrigin(arguments: callerArguments.filter { !$0.hasPrefix("--") })
        let environment = ProcessEnvironment.current()
        let paths = HostPaths.resolve(environment: environment)
        let logFile = HostLogging.bootstrap(logDirectory: paths?.logDirectory, environment: environment)
        let logger = Logger(label: "crm-whatsapp-host")

        let storePath = paths?.dataDirectory ?? ""
        if paths == nil {
            logger.error("no data directory: set HOME or \(HostPaths.dataDirectoryVariable)")
        } else if !FileSystem.makeDirectory(storePath) {
            logger.error("cannot create the data directory", metadata: ["path": "\(storePath)"])
        }
        var settingsProblem: HostSettingsError?
        do {
            _ = try HostSettings.load(dataDirectory: storePath, environment: environment)
        } catch {
            settingsProblem = error
            logger.error("invalid settings: the engine stays unavailable", metadata: ["problem": "\(error)"])
        }
        let allowed = origin.isAllowed(environment: environment)
        logger.info(
            "started",
            metadata: [
                "version": "\(HostProtocolVersion.hostVersion)", "pid": "\(getpid())",
                "origin": "\(describe(origin))", "allowed": "\(allowed)",
            ])
        if !allowed { logger.warning("caller origin is not an allowed extension; refusing") }

        let collector = DiagnosticsCollector(storePath: storePath, logPath: logFile?.path)
        let session = HostSession(
            context: HostContext(
                hostVersion: HostProtocolVersion.hostVersion, storePath: storePath, originAllowed: allowed,
                settingsProblem: settingsProblem, diagnostics: { collector.collect(engine: $0) }),
            engine: NoEngine(configurationProblem: settingsProblem),
            source: FileDescriptor.standardInput, sink: FileDescriptor.standardOutput, logger: logger)
        let status = await session.run()
        logger.info("stopped", metadata: ["status": "\(status)"])
        if status != 0 { throw ExitCode(status) }
    }

    private func describe(_ origin: CallerOrigin) -> String {
        switch origin {
        case .chromeExtension(let id): return "chrome-extension://\(id)/"
        case .firefoxAddon(let id): return "firefox:\(id)"
        case .none: return "none"
        case .unrecognized(let text): return "unrecognized:\(text)"
        }
    }
}
