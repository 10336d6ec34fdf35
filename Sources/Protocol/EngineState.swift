/// The state of the WhatsApp engine as the extension sees it (`engine.state`, `host.hello`, PROTOCOL.md).
public enum EngineState: String, Sendable, JSONEncodable {
    /// No engine in this host build, or its configuration or store is unusable (see `reason`).
    case unavailable
    /// No WhatsApp account is linked.
    case unlinked
    /// A link (QR or phone code) is in progress.
    case linking
    /// Linked; connecting to WhatsApp.
    case connecting
    /// Linked and connected.
    case connected
    /// Linked, connection lost; the engine retries at `retryAt`.
    case disconnected
    /// Linked, and the engine will not retry until the user acts (`replaced`, `banned`, ...).
    case stopped
    /// The phone removed this device, or `engine.logout` succeeded; the keys were wiped.
    case loggedOut

    public func encode(to writer: inout JSONWriter) { writer.string(rawValue) }
}
