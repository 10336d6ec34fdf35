/// Why a WhatsApp Noise handshake failed (docs/protocol/lower.md §2.3–2.5). Each case closes the connection.
public enum WAHandshakeError: Error, Equatable, Sendable {
    /// A Noise-level failure: a tag mismatch (tampering, wrong keys, wrong prologue), a bad public key.
    case noise(NoiseError)
    /// The frame is not a `HandshakeMessage` protobuf, or lacks the expected sub-message.
    case malformedHandshakeMessage
    /// A required field is missing.
    case missingField(WAHandshakeField)
    /// A field has the wrong length (e.g. an ephemeral key that is not 32 bytes).
    case invalidFieldLength(WAHandshakeField, expected: Int, actual: Int)
    /// The server's certificate chain did not verify.
    case certificate(WACertificateError)
    /// The step was called out of order, or after the handshake finished or failed.
    case outOfOrder
}

/// The handshake fields a ``WAHandshakeError`` can point at (docs/protocol/lower.md §2.4).
public enum WAHandshakeField: Sendable, Equatable {
    /// `clientHello.ephemeral`
    case clientHelloEphemeral
    /// `serverHello.ephemeral`
    case serverHelloEphemeral
    /// `serverHello.static`
    case serverHelloStatic
    /// `serverHello.payload`
    case serverHelloPayload
    /// `clientFinish.static`
    case clientFinishStatic
    /// `clientFinish.payload`
    case clientFinishPayload
}
