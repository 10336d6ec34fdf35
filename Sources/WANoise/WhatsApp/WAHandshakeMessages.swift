/// The three handshake messages as plain values (the fields of `HandshakeMessage`, docs/protocol/lower.md §2.4).
///
/// Optional fields mirror protobuf presence: a missing field and an empty one are told apart, as whatsmeow does.
/// ``WAHandshakeMessage`` converts them to and from the protobuf bytes carried in frames.

/// `HandshakeMessage.clientHello` (field 2): the client's ephemeral public key.
public struct WAClientHello: Sendable, Equatable {
    /// `ephemeral` (field 1), 32 bytes.
    public var ephemeral: [UInt8]?

    public init(ephemeral: [UInt8]?) {
        self.ephemeral = ephemeral
    }
}

/// `HandshakeMessage.serverHello` (field 3): the server's ephemeral key, encrypted static key and
/// encrypted certificate chain.
public struct WAServerHello: Sendable, Equatable {
    /// `ephemeral` (field 1), 32 bytes.
    public var ephemeral: [UInt8]?
    /// `static` (field 2): the server static key under the `ee` key, 48 bytes.
    public var encryptedStatic: [UInt8]?
    /// `payload` (field 3): the serialized `CertChain` under the `es` key.
    public var payload: [UInt8]?

    public init(ephemeral: [UInt8]?, encryptedStatic: [UInt8]?, payload: [UInt8]?) {
        self.ephemeral = ephemeral
        self.encryptedStatic = encryptedStatic
        self.payload = payload
    }
}

/// `HandshakeMessage.clientFinish` (field 4): the client's encrypted static key and encrypted `ClientPayload`.
public struct WAClientFinish: Sendable, Equatable {
    /// `static` (field 1): the client noise key under the `es` key, 48 bytes.
    public var encryptedStatic: [UInt8]?
    /// `payload` (field 2): the serialized `ClientPayload` under the `se` key.
    public var payload: [UInt8]?

    public init(encryptedStatic: [UInt8]?, payload: [UInt8]?) {
        self.encryptedStatic = encryptedStatic
        self.payload = payload
    }
}
