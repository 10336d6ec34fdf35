import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// The WhatsApp simulator: chat listeners (`ws://` and/or `wss://`) and the control API, all on loopback.
///
/// ```swift
/// let sim = try await WASimulator.start(.init(plainPort: 0, tlsPort: 0, controlPort: 0, tlsDirectory: dir))
/// // sim.plainURL, sim.tlsURL, sim.controlURL, sim.identity.rootPublicKey
/// await sim.shutdown()
/// ```
public final class WASimulator: Sendable {
    /// What to start.
    public struct Configuration: Sendable {
        public var host: String
        /// Port for `ws://` (0 = pick a free one), or nil for none.
        public var plainPort: Int?
        /// Port for `wss://` (0 = pick a free one), or nil for none. Needs `tlsDirectory`.
        public var tlsPort: Int?
        /// Port for the control API (0 = pick), or nil for none.
        public var controlPort: Int?
        /// Where the TLS test CA and server certificate are kept (created if missing).
        public var tlsDirectory: String?
        /// The root key file (created if missing); nil = a fresh root key in memory.
        public var rootKeyFile: String?

        public init(
            host: String = "127.0.0.1", plainPort: Int? = 0, tlsPort: Int? = nil, controlPort: Int? = 0,
            tlsDirectory: String? = nil, rootKeyFile: String? = nil
        ) {
            self.host = host
            self.plainPort = plainPort
            self.tlsPort = tlsPort
            self.controlPort = controlPort
            self.tlsDirectory = tlsDirectory
            self.rootKeyFile = rootKeyFile
        }
    }

    /// Why the simulator refuses to start.
    public enum StartError: Error, Equatable {
        /// Test traffic stays on loopback: only 127.0.0.0/8, ::1 and `localhost` are accepted.
        case notLoopback(String)
        /// `tlsPort` needs `tlsDirectory`.
        case tlsNeedsDirectory
        /// Neither a `ws://` nor a `wss://` port was asked for.
        case noChatListener
    }

    public let world: SimWorld
    public let identity: ServerIdentity
    private let plain: ChatListener?
    private let secure: ChatListener?
    private let control: ControlServer?
    private let host: String

    public var plainURL: URL? { plain.flatMap { URL(string: "ws://\(hostForURL):\($0.localPort)/ws/chat") } }
    public var tlsURL: URL? { secure.flatMap { URL(string: "wss://\(hostForURL):\($0.localPort)/ws/chat") } }
    public var controlURL: URL? { control.flatMap { URL(string: "http://\(hostForURL):\($0.localPort)") } }
    public var plainPort: Int? { plain?.localPort }
    public var tlsPort: Int? { secure?.localPort }
    public var controlPort: Int? { control?.localPort }
    /// `<tlsDirectory>/ca.pem`, when TLS is on.
    public let caFile: String?

    private var hostForURL: String { host.contains(":") ? "[\(host)]" : host }

    private init(
        world: SimWorld, identity: ServerIdentity, plain: ChatListener?, secure: ChatListener?,
        control: ControlServer?, host: String, caFile: String?
    ) {
        self.world = world
        self.identity = identity
        self.plain = plain
        self.secure = secure
        self.control = control
        self.host = host
        self.caFile = caFile
    }

    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public static func start(_ configuration: Configuration) async throws -> WASimulator {
        guard isLoopback(configuration.host) else { throw StartError.notLoopback(configuration.host) }
        guard configuration.plainPort != nil || configuration.tlsPort != nil else { throw StartError.noChatListener }
        var tls: TestCertificateAuthority?
        var sslContext: NIOSSLContext?
        if let directory = configuration.tlsDirectory {
            tls = try TestCertificateAuthority.loadOrCreate(directory: directory, now: Date())
        }
        if configuration.tlsPort != nil {
            guard let tls else { throw StartError.tlsNeedsDirectory }
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(tls.serverChainPEM.utf8))
            let key = try NIOSSLPrivateKey(bytes: Array(tls.serverKeyPEM.utf8), format: .pem)
            let server = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            sslContext = try NIOSSLContext(configuration: server)
        }
        let rootPrivateKey =
            try configuration.rootKeyFile.map { try RootKeyFile.loadOrCreate(path: $0) }
            ?? ServerIdentity.makeRootPrivateKey()
        let identity = try ServerIdentity(rootPrivateKey: rootPrivateKey, tls: tls)
        let world = SimWorld(serverIdentity: identity)
        let handlers = IQHandlerRegistry.standard
        let plain = try await configuration.plainPort.asyncMap {
            try await ChatListener.start(
                host: configuration.host, port: $0, tls: nil, world: world, handlers: handlers)
        }
        let secure = try await configuration.tlsPort.asyncMap {
            try await ChatListener.start(
                host: configuration.host, port: $0, tls: sslContext, world: world, handlers: handlers)
        }
        let caFile = configuration.tlsDirectory.map { $0 + "/ca.pem" }
        let hostForURL = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let endpoints = Locked(
            ControlAPI.Endpoints(
                ws: plain.map { "\(hostForURL):\($0.localPort)" },
                wss: secure.map { "\(hostForURL):\($0.localPort)" },
                control: nil, caFile: tls == nil ? nil : caFile))
        let control = try await configuration.controlPort.asyncMap { port in
            try await ControlServer.start(
                host: configuration.host, port: port, api: ControlAPI(world: world, endpoints: { endpoints.value }))
        }
        if let control {
            endpoints.withValue { $0.control = "\(hostForURL):\(control.localPort)" }
        }
        return WASimulator(
            world: world, identity: identity, plain: plain, secure: secure, control: control,
            host: configuration.host, caFile: tls == nil ? nil : caFile)
    }

    /// Stops listening. Open chat connections are closed with their channels' event loops.
    public func shutdown() async {
        await plain?.close()
        await secure?.close()
        await control?.close()
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}

/// A value behind a lock, for the few bits of state NIO callbacks and tasks share.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: Value

    init(_ value: Value) { _value = value }

    var value: Value { lock.withLock { _value } }

    func withValue<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&_value) } }
}
