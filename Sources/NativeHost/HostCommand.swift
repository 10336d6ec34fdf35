import ArgumentParser
import HostProtocol

/// `crm-whatsapp-host`: the native-messaging host Chrome starts, plus `doctor` for humans.
///
/// Launched by the browser, the arguments are whatever it passes: Chrome on Linux/macOS gives the caller
/// origin `chrome-extension://<id>/`, Chrome on Windows adds `--parent-window=<HWND>`, Firefox gives the
/// manifest path and the add-on id (docs/native-messaging.md §1.1). All of them select ``Serve``.
@main
struct HostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm-whatsapp-host",
        abstract: "Links the CRM's browser extension to the user's WhatsApp account (native messaging host).",
        version: HostProtocolVersion.hostVersion,
        subcommands: [Serve.self, Doctor.self],
        defaultSubcommand: Serve.self)
}

/// Speaks native messaging on stdin/stdout until the browser closes the port.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Speak native messaging on stdin/stdout (what the browser runs).")

    @Option(name: .customLong("parent-window"), help: "Passed by Chrome on Windows; ignored.")
    var parentWindow: String?

    @Argument(
        parsing: .allUnrecognized,
        help: "What the browser passes: the caller origin (Chrome) or the manifest path and add-on id (Firefox).")
    var callerArguments: [String] = []

    func run() throws {
        let origin = CallerOrigin(arguments: callerArguments.filter { !$0.hasPrefix("--") })
        let status = NativeMessagingSession.run(origin: origin)
        if status != 0 { throw ExitCode(status) }
    }
}
