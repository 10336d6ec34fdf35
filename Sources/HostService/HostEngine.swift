import HostProtocol

/// What the host needs from the WhatsApp engine: the shape of WAEngine's `WAClient` in host-side types.
///
/// The session calls `start()` on the first `host.hello`, serves `engine.status`, `link.start`,
/// `link.cancel` and `engine.logout` from it, forwards ``events`` to the extension through its single
/// writer, and calls `stop()` when the browser closes the port. An adapter from `WAClient` to this
/// protocol is all the executable needs once the engine lands; until then it runs ``NoEngine``.
public protocol HostEngine: Sendable {
    /// The engine's events. Bounded by the engine (the oldest status or QR dropped first); the session
    /// reads it from the first `host.hello` until the session ends.
    var events: AsyncStream<HostEngineEvent> { get }
    /// The current status (never fails; `unavailable` with a reason when the engine cannot run).
    var status: EngineStatus { get async }
    /// Opens the store, connects when an account is linked, takes the account lock.
    func start() async
    /// Starts linking (restarting a link in progress with the new method).
    func link(_ method: HostLinkMethod) async throws(HostEngineError) -> EngineStatus
    /// Stops a link in progress.
    func cancelLink() async -> EngineStatus
    /// Removes this device from the account and wipes the keys.
    func logout() async throws(HostEngineError) -> EngineStatus
    /// Closes the connection, flushes and closes the store, releases the account lock.
    func stop() async
}

/// How the user links this host as a companion device.
public enum HostLinkMethod: Equatable, Sendable {
    /// Scan a QR code with the phone.
    case qr
    /// Type a pairing code on the phone whose number is given (digits only, E.164 without `+`).
    case phoneNumber(String)
}

/// What the engine reports unasked; each becomes one host event.
public enum HostEngineEvent: Equatable, Sendable {
    /// The status changed: `engine.state`.
    case status(EngineStatus)
    /// A QR code to show: `link.qr` (the PNG is sent base64).
    case qr(code: String, png: [UInt8], expiresAt: Int64, index: Int)
    /// The pairing code to type on the phone: `link.pairingCode`.
    case pairingCode(code: String, expiresAt: Int64)
    /// A contact's new identity key was accepted: `contact.identityChanged`.
    case identityChanged(jid: String)
}

/// Why the engine refused a request; each maps to one wire error code.
public enum HostEngineError: Error, Equatable, Sendable {
    /// The request needs a linked account (21).
    case notLinked
    /// `link.start` while linked (22).
    case alreadyLinked
    /// The settings are invalid (24).
    case configuration(field: String, reason: String)
    /// Another host process owns the account (25).
    case busy
    /// No engine, or its store cannot be opened (20).
    case unavailable
    /// The engine failed through its own fault (7).
    case internalFailure
    /// A member of the request's payload is not acceptable to the engine (4), e.g. a phone number
    /// WhatsApp cannot link.
    case invalidPayload(field: String)

    /// The wire error.
    public var hostError: HostError {
        switch self {
        case .notLinked: return .notLinked
        case .alreadyLinked: return .alreadyLinked
        case .configuration(let field, let reason): return .engineConfiguration(field: field, reason: reason)
        case .busy: return .engineBusy
        case .unavailable: return .engineUnavailable
        case .internalFailure: return .internalFailure
        case .invalidPayload(let field): return .invalidPayload(PayloadError(field: field, reason: .invalidValue))
        }
    }
}

/// The engine of a host built without one, or whose settings are invalid: always `unavailable`.
///
/// With valid settings the status is `{state: "unavailable"}` and requests get `engineUnavailable` (20);
/// with invalid settings it is `{state: "unavailable", reason: "configuration", message}` and requests
/// get `engineConfiguration` (24) with `data: {field, reason}`.
public struct NoEngine: HostEngine {
    public let configurationProblem: HostSettingsError?
    public let events: AsyncStream<HostEngineEvent>

    public init(configurationProblem: HostSettingsError? = nil) {
        self.configurationProblem = configurationProblem
        events = AsyncStream { $0.finish() }
    }

    public var status: EngineStatus {
        get async {
            guard let configurationProblem else { return EngineStatus(state: .unavailable) }
            return EngineStatus(state: .unavailable, reason: "configuration", message: configurationProblem.description)
        }
    }

    public func start() async {}

    public func link(_ method: HostLinkMethod) async throws(HostEngineError) -> EngineStatus { throw refusal }

    public func cancelLink() async -> EngineStatus { await status }

    public func logout() async throws(HostEngineError) -> EngineStatus { throw refusal }

    public func stop() async {}

    /// The error every engine request gets.
    public var refusal: HostEngineError {
        guard let configurationProblem else { return .unavailable }
        return .configuration(field: configurationProblem.field, reason: configurationProblem.reason)
    }
}
