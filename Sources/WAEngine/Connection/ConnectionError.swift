import WANoise

/// Why a connection failed, as specific as the layer that saw it.
public enum ConnectionError: Error, Sendable, Equatable {
    /// The transport could not be opened or broke.
    case transport(TransportError)
    /// A frame was malformed or too large (docs/protocol/lower.md §1.3).
    case frame(WAFrameError)
    /// The handshake failed: bad message, bad certificate chain, wrong root key (docs/protocol/lower.md §2).
    case handshake(WAHandshakeError)
    /// A handshake frame was not a `HandshakeMessage` with the expected part.
    case malformedHandshakeMessage
    /// A transport frame failed to decrypt (wrong key or counter, tampering).
    case decryptionFailed
    /// A decrypted frame was not a valid binary node.
    case malformedNode
    /// The server sent nothing within the handshake timeout (docs/protocol/lower.md §1.1: 20 s).
    case handshakeTimedOut
    /// The server closed the transport during the handshake.
    case closedDuringHandshake
    /// `send` was called before the handshake finished or after the connection closed.
    case notConnected
}
