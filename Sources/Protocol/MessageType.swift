/// Every message type of protocol version 1 (PROTOCOL.md §Messages).
///
/// Requests go extension → host and get exactly one response; events go host → extension unasked.
public enum MessageType: String, CaseIterable, Sendable {
    // Requests served by the host shell.
    case hostHello = "host.hello"
    case hostPing = "host.ping"
    case hostDiagnostics = "host.diagnostics"
    // Requests specified for the engine (answered `engineUnavailable` until it lands).
    case engineStatus = "engine.status"
    case linkStart = "link.start"
    case linkCancel = "link.cancel"
    case engineLogout = "engine.logout"
    case messageSend = "message.send"
    // Events.
    case engineState = "engine.state"
    case linkQR = "link.qr"
    case linkPairingCode = "link.pairingCode"
    case messageStatus = "message.status"
    case messageIncoming = "message.incoming"

    /// True for the types the extension may send as requests.
    public var isRequest: Bool {
        switch self {
        case .hostHello, .hostPing, .hostDiagnostics, .engineStatus, .linkStart, .linkCancel, .engineLogout,
            .messageSend:
            return true
        case .engineState, .linkQR, .linkPairingCode, .messageStatus, .messageIncoming:
            return false
        }
    }
}

/// The state of the WhatsApp engine as the extension sees it (`engine.state`, `host.hello`).
public enum EngineState: String, Codable, Sendable {
    /// This host build has no engine (protocol 1 shell).
    case unavailable
    /// No WhatsApp account is linked.
    case unlinked
    /// A link (QR or phone code) is in progress.
    case linking
    /// Linked; connecting to WhatsApp.
    case connecting
    /// Linked and connected.
    case connected
    /// Linked, connection lost; the engine retries.
    case disconnected
    /// The phone removed this device, or `engine.logout` succeeded; the store was wiped.
    case loggedOut
}
