/// Noise §5.3 HandshakeState for the XX pattern (Noise §7.5), with fixed keys as inputs.
///
/// ```
/// XX:
///   -> e
///   <- e, ee, s, es
///   -> s, se
/// ```
/// Both roles are supported. Keys (including the ephemeral one) are given at initialisation so that test
/// vectors can run and so that no randomness is read here.
public struct NoiseHandshakeState: Sendable {
    /// Which side of the handshake this state plays.
    public enum Role: Sendable, Equatable {
        /// Sends the first message.
        case initiator
        /// Receives the first message.
        case responder
    }

    /// Noise §7.1 message tokens.
    public enum Token: Sendable, Equatable {
        case e, s, ee, es, se, ss
    }

    /// XX's message patterns, in order (Noise §7.5).
    public static let xxPattern: [[Token]] = [[.e], [.e, .ee, .s, .es], [.s, .se]]
    /// The protocol name this implementation provides (Noise §8).
    public static let protocolName = Array("Noise_XX_25519_AESGCM_SHA256".utf8)

    public let role: Role
    public private(set) var symmetricState: NoiseSymmetricState
    private let localStatic: NoiseKeyPair
    private let localEphemeral: NoiseKeyPair
    /// `rs`, once received.
    public private(set) var remoteStaticPublicKey: [UInt8]?
    /// `re`, once received.
    public private(set) var remoteEphemeralPublicKey: [UInt8]?
    private var messageIndex = 0

    /// Noise §5.3 `Initialize(handshake_pattern, initiator, prologue, s, e)` for XX (no pre-messages).
    ///
    /// - Parameters:
    ///   - protocolName: the name hashed into `h`; defaults to ``protocolName``.
    ///   - rules: ``NoiseRules/standard`` for the spec, ``NoiseRules/whatsApp`` for WhatsApp.
    public init(
        role: Role, prologue: [UInt8], localStatic: NoiseKeyPair, localEphemeral: NoiseKeyPair,
        protocolName: [UInt8] = NoiseHandshakeState.protocolName, rules: NoiseRules = .standard
    ) {
        self.role = role
        self.localStatic = localStatic
        self.localEphemeral = localEphemeral
        symmetricState = NoiseSymmetricState(protocolName: protocolName, rules: rules)
        symmetricState.mixHash(prologue)
    }

    /// `h`, the handshake hash (Noise §11.2 channel binding).
    public var handshakeHash: [UInt8] { symmetricState.handshakeHash }

    /// True once all three XX messages have been written or read.
    public var isFinished: Bool { messageIndex >= Self.xxPattern.count }

    /// True if the next message is ours to write.
    public var isOurTurn: Bool {
        guard !isFinished else { return false }
        return (messageIndex % 2 == 0) == (role == .initiator)
    }

    /// Noise §5.3 `WriteMessage(payload, message_buffer)`.
    public mutating func writeMessage(payload: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard isOurTurn else { throw .outOfTurn }
        var message: [UInt8] = []
        for token in Self.xxPattern[messageIndex] {
            switch token {
            case .e:
                message += localEphemeral.publicKey
                symmetricState.mixHash(localEphemeral.publicKey)
            case .s:
                message += try symmetricState.encryptAndHash(localStatic.publicKey)
            case .ee, .es, .se, .ss:
                try mixDH(token)
            }
        }
        message += try symmetricState.encryptAndHash(payload)
        let maximum = symmetricState.rules.maximumMessageLength
        guard message.count <= maximum else { throw .messageTooLong(length: message.count, maximum: maximum) }
        messageIndex += 1
        return message
    }

    /// Noise §5.3 `ReadMessage(message, payload_buffer)`: returns the payload.
    ///
    /// On a thrown error the handshake must be abandoned (Noise §5.3: the state is not defined afterwards).
    public mutating func readMessage(_ message: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard !isFinished, !isOurTurn else { throw .outOfTurn }
        let maximum = symmetricState.rules.maximumMessageLength
        guard message.count <= maximum else { throw .messageTooLong(length: message.count, maximum: maximum) }
        var offset = 0
        for token in Self.xxPattern[messageIndex] {
            switch token {
            case .e:
                let re = try Self.take(NoiseKeyPair.keyLength, from: message, at: &offset)
                remoteEphemeralPublicKey = re
                symmetricState.mixHash(re)
            case .s:
                let length = NoiseKeyPair.keyLength + (symmetricState.cipherState.hasKey ? NoiseCipherState.tagLength : 0)
                let encrypted = try Self.take(length, from: message, at: &offset)
                remoteStaticPublicKey = try symmetricState.decryptAndHash(encrypted)
            case .ee, .es, .se, .ss:
                try mixDH(token)
            }
        }
        let payload = try symmetricState.decryptAndHash(Array(message[offset...]))
        messageIndex += 1
        return payload
    }

    /// Noise §5.2 `Split()` after the last message: the transport, oriented for this role.
    public func split() throws(NoiseError) -> NoiseTransport {
        guard isFinished else { throw .handshakeNotFinished }
        let (initiatorToResponder, responderToInitiator) = symmetricState.split()
        switch role {
        case .initiator: return NoiseTransport(sender: initiatorToResponder, receiver: responderToInitiator)
        case .responder: return NoiseTransport(sender: responderToInitiator, receiver: initiatorToResponder)
        }
    }

    /// Noise §5.3: `ee` = DH(e, re), `es` = DH(e, rs) for the initiator / DH(s, re) for the responder,
    /// `se` = DH(s, re) for the initiator / DH(e, rs) for the responder, `ss` = DH(s, rs); then MixKey.
    private mutating func mixDH(_ token: Token) throws(NoiseError) {
        let initiator = role == .initiator
        let local: NoiseKeyPair
        let remote: [UInt8]?
        switch token {
        case .ee: (local, remote) = (localEphemeral, remoteEphemeralPublicKey)
        case .es: (local, remote) = initiator ? (localEphemeral, remoteStaticPublicKey) : (localStatic, remoteEphemeralPublicKey)
        case .se: (local, remote) = initiator ? (localStatic, remoteEphemeralPublicKey) : (localEphemeral, remoteStaticPublicKey)
        case .ss: (local, remote) = (localStatic, remoteStaticPublicKey)
        case .e, .s: return
        }
        // XX always has the remote key by the time a DH token needs it; a nil here is a pattern bug.
        guard let remote else { preconditionFailure("XX pattern uses a remote key before it is known") }
        symmetricState.mixKey(try local.dh(remote))
    }

    private static func take(_ count: Int, from message: [UInt8], at offset: inout Int) throws(NoiseError) -> [UInt8] {
        let available = message.count - offset
        guard available >= count else { throw .messageTooShort(needed: count, available: available) }
        defer { offset += count }
        return Array(message[offset..<(offset + count)])
    }
}
