/// A message-oriented, bidirectional byte pipe to the chat server: one WebSocket in production.
///
/// The connection logic only sees this protocol, so it can be driven over loopback against `wa-sim`
/// or over an in-memory pair in tests. A transport carries whole binary WebSocket messages; the
/// 3-byte WA frame layer (docs/protocol/lower.md §1.3) sits above it.
public protocol Transport: Sendable {
    /// Sends one binary message.
    /// - Throws: ``TransportError/closed`` once the transport has closed.
    func send(_ message: [UInt8]) async throws(TransportError)
    /// Inbound binary messages, then exactly one ``TransportEvent/closed(_:)``, then the end of the stream.
    var inbound: AsyncStream<TransportEvent> { get }
    /// Closes the transport. Idempotent.
    func close() async
}

/// Something that opens ``Transport``s to one server.
public protocol TransportConnector: Sendable {
    /// Opens a new transport, or throws why it could not.
    func connect() async throws(TransportError) -> any Transport
}

/// What a ``Transport`` delivers.
public enum TransportEvent: Sendable, Equatable {
    /// One binary WebSocket message.
    case message([UInt8])
    /// The transport closed; nothing follows.
    case closed(TransportCloseReason)
}

/// Why a transport closed.
public enum TransportCloseReason: Sendable, Equatable {
    /// We closed it.
    case local
    /// The peer sent a WebSocket close frame with this code (RFC 6455 §7.4), or closed the TCP connection
    /// (`nil`).
    case remote(code: Int?)
}

/// Why a transport could not be opened or used.
public enum TransportError: Error, Sendable, Equatable {
    /// The URL's scheme is not `ws`/`wss`, or it has no host.
    case invalidURL
    /// The extra trust-root file could not be loaded.
    case trustRootsUnreadable
    /// TCP connection refused, unreachable host, or timeout.
    case connectionFailed
    /// The TLS handshake failed (untrusted certificate, wrong name, protocol error).
    case tlsHandshakeFailed
    /// The server answered the HTTP upgrade with something other than `101 Switching Protocols`.
    case upgradeRejected
    /// The transport is closed.
    case closed
}
