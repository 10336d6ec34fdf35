/// The server's side of WhatsApp's Noise XX handshake (docs/protocol/lower.md §2.3), as the simulator plays it:
/// ClientHello → ServerHello (static key + certificate chain) → ClientFinish (client static key + ClientPayload).
///
/// Pure, like ``WAHandshakeInitiator``: the caller gives keys and the serialized `CertChain`
/// (``WACertificateChain/build(intermediate:intermediateSignerPrivateKey:leaf:leafSignerPrivateKey:random:)``).
public struct WAHandshakeResponder: Sendable {
    private enum State: Sendable {
        /// Waiting for the ClientHello.
        case awaitingClientHello(NoiseHandshakeState)
        /// ServerHello sent; waiting for the ClientFinish.
        case awaitingClientFinish(NoiseHandshakeState)
        /// Finished, or a step failed.
        case done
    }

    /// What the responder learns from the ClientFinish.
    public struct Completion: Sendable {
        /// The client's static noise key.
        public var clientStaticKey: [UInt8]
        /// The decrypted, still serialized `ClientPayload`.
        public var clientPayload: [UInt8]
        /// Server-side transport: sends with the server→client key, receives with the client→server key.
        public var transport: NoiseTransport
    }

    private var state: State
    private let certificateChain: [UInt8]

    /// - Parameters:
    ///   - staticKey: the server static key (the leaf certificate's key).
    ///   - ephemeralKey: a fresh key pair for this connection.
    ///   - certificateChain: the serialized `CertChain` sent as the ServerHello payload.
    ///   - prologue: the connection header the client sent (`57 41 06 03`).
    public init(
        staticKey: NoiseKeyPair, ephemeralKey: NoiseKeyPair, certificateChain: [UInt8],
        prologue: [UInt8] = WAConnectionHeader.bytes
    ) {
        self.certificateChain = certificateChain
        state = .awaitingClientHello(NoiseHandshakeState.whatsApp(
            role: .responder, prologue: prologue, staticKey: staticKey, ephemeralKey: ephemeralKey))
    }

    /// Reads the ClientHello and answers with the ServerHello (`e, ee, s, es` + the certificate chain).
    public mutating func receivedClientHello(_ hello: WAClientHello) throws(WAHandshakeError) -> WAServerHello {
        guard case .awaitingClientHello(var noise) = state else { throw .outOfOrder }
        state = .done
        let ephemeral = try WAHandshakeField.clientHelloEphemeral.require(hello.ephemeral, length: NoiseKeyPair.keyLength)
        let reply: [UInt8]
        do throws(NoiseError) {
            _ = try noise.readMessage(ephemeral)
            reply = try noise.writeMessage(payload: certificateChain)
        } catch {
            throw .noise(error)
        }
        state = .awaitingClientFinish(noise)
        let keyLength = NoiseKeyPair.keyLength
        let staticEnd = 2 * keyLength + NoiseCipherState.tagLength
        return WAServerHello(
            ephemeral: Array(reply[..<keyLength]), encryptedStatic: Array(reply[keyLength..<staticEnd]),
            payload: Array(reply[staticEnd...]))
    }

    /// Reads the ClientFinish (`s, se` + the ClientPayload) and splits.
    public mutating func receivedClientFinish(_ finish: WAClientFinish) throws(WAHandshakeError) -> Completion {
        guard case .awaitingClientFinish(var noise) = state else { throw .outOfOrder }
        state = .done
        let encryptedStatic = try WAHandshakeField.clientFinishStatic.require(
            finish.encryptedStatic, length: NoiseKeyPair.keyLength + NoiseCipherState.tagLength)
        guard let payload = finish.payload else { throw .missingField(.clientFinishPayload) }
        do throws(NoiseError) {
            let clientPayload = try noise.readMessage(encryptedStatic + payload)
            guard let clientStaticKey = noise.remoteStaticPublicKey else { throw NoiseError.handshakeNotFinished }
            return Completion(clientStaticKey: clientStaticKey, clientPayload: clientPayload, transport: try noise.split())
        } catch {
            throw .noise(error)
        }
    }
}
