#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HostProtocol
import HostService
import EngineBridge
import Logging

/// `crm-whatsapp-host`: the native-messaging host Chrome starts, plus `doctor` for humans.
///
/// Launched by the browser, the arguments are whatever it passes: Chrome on Linux/macOS gives the caller
/// origin `chrome-extension://<id>/`, Chrome on Windows adds `--parent-window=<HWND>`, Firefox gives the
/// manifest path and the add-on id (docs/native-messaging.md §1.1). All of them select ``Serve``.
///
/// Arguments are parsed by hand: swift-argument-parser links FoundationEssentials, about 2 MiB of the
/// host's resident memory for three commands (issue 12, "peak RSS after hello").
@main
enum HostCommand {
    static let usage = """
        crm-whatsapp-host: links the CRM's browser extension to the user's WhatsApp account (native messaging host).

        Usage:
          crm-whatsapp-host [serve] [<origin> | <manifest> <add-on id>] [--parent-window=<HWND>]
              Speak native messaging on stdin/stdout (what the browser runs).
          crm-whatsapp-host doctor
              Check the installation (browser manifests, binary, store, logs, settings).
          crm-whatsapp-host --version | --help
        """

    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "--version":
            print(HostProtocolVersion.hostVersion)
        case "--help", "-h", "help":
            print(usage)
        case "doctor":
            exit(Doctor().run())
        default:
            if arguments.first == "serve" { arguments.removeFirst() }
            exit(await Serve(arguments: arguments).run())
        }
    }
}

/// Speaks native messaging on stdin/stdout until the browser closes the port.
struct Serve {
    /// The positional arguments the browser passed: the caller origin (Chrome) or the manifest path and
    /// add-on id (Firefox). Flags (`--parent-window=<HWND>` from Chrome on Windows) are ignored.
    let callerArguments: [String]

    init(arguments: [String]) {
        var positional: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
            } else if argument == "--parent-window" {
                skipNext = true
            } else if !argument.hasPrefix("--") {
                positional.append(argument)
            }
        }
        callerArguments = positional
    }

    /// Serves until the browser closes the port; returns the exit status.
    func run() async -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        // A launcher may hand us a blocked signal mask; Firefox stops hosts with SIGTERM, so unblock all.
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)

        let origin = CallerOrigin(arguments: callerArguments)
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
        var engine: any HostEngine = NoEngine()
        if let paths {
            do {
                let settings = try HostSettings.load(paths: paths, environment: environment)
                engine = try WAClientHostEngine(settings: settings, dataDirectory: storePath)
            } catch let error as HostSettingsError {
                settingsProblem = error
                engine = NoEngine(configurationProblem: error)
                logger.error("invalid settings: the engine stays unavailable", metadata: ["problem": "\(error)"])
            } catch {
                let problem = HostSettingsError(field: "settings", reason: "\(error)")
                settingsProblem = problem
                engine = NoEngine(configurationProblem: problem)
                logger.error("invalid settings: the engine stays unavailable", metadata: ["problem": "\(error)"])
            }
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
            engine: engine,
            source: FileDescriptor.standardInput, sink: FileDescriptor.standardOutput, logger: logger)
        let status = await session.run()
        logger.info("stopped", metadata: ["status": "\(status)"])
        return status
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
