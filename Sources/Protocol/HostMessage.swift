/// The shape of every host message: one type binds the wire name to its payload and result
/// (the LSP libraries' `RequestType`/`NotificationType`), so a handler or an event can only be
/// registered or sent with the types its name promises.

/// A request (extension → host); it gets exactly one response.
public protocol HostRequest: Sendable {
    /// The wire name, `"host.ping"`.
    static var type: String { get }
    associatedtype Payload: PayloadDecodable
    associatedtype Result: JSONEncodable & Sendable
}

/// An event (host → extension, unasked).
public protocol HostEvent: Sendable {
    /// The wire name, `"engine.state"`.
    static var type: String { get }
    associatedtype Payload: JSONEncodable & Sendable
    /// True when a newer event of this type makes an older one still waiting to be written pointless
    /// (a state, a QR code): the outbound queue then keeps only the newest.
    static var supersedesQueued: Bool { get }
}

extension HostEvent {
    public static var supersedesQueued: Bool { false }
}

// MARK: Requests

public enum HostHelloRequest: HostRequest {
    public static let type = "host.hello"
    public typealias Payload = HelloPayload
    public typealias Result = HelloResult
}

public enum HostPingRequest: HostRequest {
    public static let type = "host.ping"
    public typealias Payload = PingPayload
    public typealias Result = PingResult
}

public enum HostDiagnosticsRequest: HostRequest {
    public static let type = "host.diagnostics"
    public typealias Payload = EmptyObject
    public typealias Result = DiagnosticsResult
}

public enum EngineStatusRequest: HostRequest {
    public static let type = "engine.status"
    public typealias Payload = EmptyObject
    public typealias Result = EngineStatus
}

public enum LinkStartRequest: HostRequest {
    public static let type = "link.start"
    public typealias Payload = LinkStartPayload
    public typealias Result = EngineStatus
}

public enum LinkCancelRequest: HostRequest {
    public static let type = "link.cancel"
    public typealias Payload = EmptyObject
    public typealias Result = EngineStatus
}

public enum EngineLogoutRequest: HostRequest {
    public static let type = "engine.logout"
    public typealias Payload = EmptyObject
    public typealias Result = EngineStatus
}

public enum MessageSendRequest: HostRequest {
    public static let type = "message.send"
    public typealias Payload = MessageSendPayload
    public typealias Result = MessageSendResult
}

// MARK: Events

public enum EngineStateEvent: HostEvent {
    public static let type = "engine.state"
    public typealias Payload = EngineStatus
    public static var supersedesQueued: Bool { true }
}

public enum LinkQREvent: HostEvent {
    public static let type = "link.qr"
    public typealias Payload = LinkQR
    public static var supersedesQueued: Bool { true }
}

public enum LinkPairingCodeEvent: HostEvent {
    public static let type = "link.pairingCode"
    public typealias Payload = LinkPairingCode
    public static var supersedesQueued: Bool { true }
}

public enum ContactIdentityChangedEvent: HostEvent {
    public static let type = "contact.identityChanged"
    public typealias Payload = ContactIdentityChanged
}

public enum MessageStatusEvent: HostEvent {
    public static let type = "message.status"
    public typealias Payload = MessageStatusUpdate
}

public enum MessageIncomingEvent: HostEvent {
    public static let type = "message.incoming"
    public typealias Payload = IncomingMessage
}

/// Every event of protocol version 1 (PROTOCOL.md documents each; a test checks).
public let hostEvents: [any HostEvent.Type] = [
    EngineStateEvent.self, LinkQREvent.self, LinkPairingCodeEvent.self, ContactIdentityChangedEvent.self,
    MessageStatusEvent.self, MessageIncomingEvent.self,
]
