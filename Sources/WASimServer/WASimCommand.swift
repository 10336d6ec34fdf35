import ArgumentParser
import Foundation
import WASim

/// `wa-sim`: the WhatsApp simulator (docs/wa-sim.md).
@main
struct WASimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wa-sim",
        abstract: "A WhatsApp multi-device server simulator for tests, on loopback only.",
        subcommands: [Serve.self, PrintRootKey.self, PrintCA.self],
        defaultSubcommand: Serve.self)
}

/// `HOST:PORT` on loopback.
struct LoopbackAddress: ExpressibleByArgument {
    var host: String
    var port: Int

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard WASimulator.isLoopback(host) else { return nil }
        self.host = host
        self.port = port
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the simulator. Prints one JSON line with the chosen endpoints, then serves until killed.")

    @Option(help: "Plain ws:// chat listener, HOST:PORT on loopback (port 0 = any free port).")
    var listen: LoopbackAddress?

    @Option(name: .customLong("listen-tls"), help: "TLS wss:// chat listener, HOST:PORT on loopback (needs --tls-dir).")
    var listenTLS: LoopbackAddress?

    @Option(help: "Control API (JSON over HTTP), HOST:PORT on loopback.")
    var control: LoopbackAddress?

    @Option(name: .customLong("tls-dir"), help: "Directory of the test CA and server certificate (created if missing).")
    var tlsDirectory: String?

    @Option(name: .customLong("root-key"), help: "Noise root private key file, 64 hex digits (created if missing, 0600).")
    var rootKey: String?

    @Option(name: .customLong("max-seconds"), help: "Exit after this many seconds (0 = never).")
    var maxSeconds: Int = 0

    @Option(
        name: .customLong("phone"),
        help: "Create a simulated phone with this number at start (repeatable); its page is /phones/NUMBER/page.")
    var phones: [String] = []

    func validate() throws {
        if listen == nil && listenTLS == nil {
            throw ValidationError("give --listen and/or --listen-tls")
        }
        if listenTLS != nil && tlsDirectory == nil {
            throw ValidationError("--listen-tls needs --tls-dir")
        }
        let hosts = Set([listen?.host, listenTLS?.host, control?.host].compactMap { $0 })
        if hosts.count > 1 {
            throw ValidationError("all listeners must use the same host")
        }
    }

    func run() async throws {
        let host = listen?.host ?? listenTLS?.host ?? "127.0.0.1"
        let sim = try await WASimulator.start(
            .init(
                host: host, plainPort: listen?.port, tlsPort: listenTLS?.port, controlPort: control?.port,
                tlsDirectory: tlsDirectory, rootKeyFile: rootKey))
        for number in phones {
            do {
                _ = try await sim.world.addPhone(number: number)
            } catch {
                throw ValidationError("--phone \(number): \(error)")
            }
        }
        var line: [String: String] = ["rootPublicKey": sim.identity.rootPublicKey.map { String(format: "%02x", $0) }.joined()]
        line["ws"] = sim.plainPort.map { "\(host):\($0)" }
        line["wss"] = sim.tlsPort.map { "\(host):\($0)" }
        line["control"] = sim.controlPort.map { "\(host):\($0)" }
        line["caFile"] = sim.caFile
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(line) + Data("\n".utf8))
        if maxSeconds > 0 {
            try await Task.sleep(for: .seconds(maxSeconds))
        } else {
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
        await sim.shutdown()
    }
}

struct PrintRootKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print-root-key",
        abstract: "Print the root public key of --root-key FILE (created if missing) as hex, then base64.")

    @Option(name: .customLong("root-key"), help: "Noise root private key file.")
    var rootKey: String

    func run() async throws {
        let identity = try ServerIdentity(rootPrivateKey: try RootKeyFile.loadOrCreate(path: rootKey))
        print(identity.rootPublicKey.map { String(format: "%02x", $0) }.joined())
        print(Data(identity.rootPublicKey).base64EncodedString())
    }
}

struct PrintCA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print-ca", abstract: "Print the test CA certificate (PEM) of --tls-dir DIR (created if missing).")

    @Option(name: .customLong("tls-dir"), help: "Directory of the test CA.")
    var tlsDirectory: String

    func run() async throws {
        print(try TestCertificateAuthority.loadOrCreate(directory: tlsDirectory, now: Date()).caCertificatePEM, terminator: "")
    }
}
