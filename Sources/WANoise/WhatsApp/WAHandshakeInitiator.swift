/// The client's side of WhatsApp's Noise XX handshake (docs/protocol/lower.md §2.3): ClientHello →
/// ServerHello (verify the certificate chain) → ClientFinish, then the transport.
///
/// A pure state machine: keys and the current time come in, message values come out. The connection
/// driver frames them (``WAHandshakeMessage``, ``WAFrameEncoder``) and owns the socket.
///
/// ```swift
/// var handshake = WAHandshakeInitiator(staticKey: noiseKey, ephemeralKey: .generate())
/// send(try handshake.clientHello())
/// let done = try handshake.receivedServerHello(serverHello, clientPayload: payload, now: unixSeconds)
/// send(done.clientFinish); transport = done.transport
/// ```
public struct WAHandshakeInitiator: Sendable {
    private enum State: Sendable {
        /// Before the ClientHello.
        case initial(NoiseHandshakeState)
        /// ClientHello sent; waiting for the ServerHello.
        case awaitingServerHello(NoiseHandshakeState)
        /// ClientFinish produced, or a step failed: nothing more to do.
        case done
    }

    /// What the initiator produces once the ServerHello checks out.
    public struct Completion: Sendable {
        /// The message to send (the last of the handshake).
        public var clientFinish: WAClientFinish
        /// Client-side transport: sends with the client→server key, receives with the server→client key.
        public var transport: NoiseTransport
        /// The server's static key `rs`, equal to the verified leaf certificate's key.
        public var serverStaticKey: [UInt8]
        /// The verified certificate chain.
        public var certificateChain: WACertificateChain
    }

    private var state: State
    public let configuration: WAHandshakeConfiguration

    /// - Parameters:
    ///   - staticKey: the device's long-term noise key `s`.
    ///   - ephemeralKey: a fresh key pair for this connection only, `e`.
    ///   - configuration: the pinned root key and the prologue.
    public init(staticKey: NoiseKeyPair, ephemeralKey: NoiseKeyPair, configuration: WAHandshakeConfiguration = .init()) {
        self.configuration = configuration
        state = .initial(NoiseHandshakeState.whatsApp(
            role: .initiator, prologue: configuration.prologue, staticKey: staticKey, ephemeralKey: ephemeralKey))
    }

    /// Steps 0–1: `MixHash(e.pub)`; the ClientHello carrying `e.pub`. No payload is hashed (WA rule).
    public mutating func clientHello() throws(WAHandshakeError) -> WAClientHello {
        guard case .initial(var noise) = state else { throw .outOfOrder }
        state = .done
        let message: [UInt8]
        do throws(NoiseError) { message = try noise.writeMessage(payload: []) } catch { throw .noise(error) }
        state = .awaitingServerHello(noise)
        return WAClientHello(ephemeral: message)
    }

    /// Steps 2–12: reads the ServerHello, verifies the certificate chain at `now`, encrypts the static key
    /// and `clientPayload` (a serialized `ClientPayload`), and splits.
    ///
    /// - Parameter now: the current time in Unix seconds, for the certificates' validity windows.
    public mutating func receivedServerHello(
        _ hello: WAServerHello, clientPayload: [UInt8], now: UInt64
    ) throws(WAHandshakeError) -> Completion {
        guard case .awaitingServerHello(var noise) = state else { throw .outOfOrder }
        state = .done
        let ephemeral = try WAHandshakeField.serverHelloEphemeral.require(hello.ephemeral, length: NoiseKeyPair.keyLength)
        let encryptedStatic = try WAHandshakeField.serverHelloStatic.require(
            hello.encryptedStatic, length: NoiseKeyPair.keyLength + NoiseCipherState.tagLength)
        guard let payload = hello.payload else { throw .missingField(.serverHelloPayload) }

        let certificateBytes: [UInt8]
        do throws(NoiseError) { certificateBytes = try noise.readMessage(ephemeral + encryptedStatic + payload) } catch { throw .noise(error) }
        guard let serverStaticKey = noise.remoteStaticPublicKey else { throw .missingField(.serverHelloStatic) }

        let chain: WACertificateChain
        do throws(WACertificateError) {
            chain = try WACertificateChain.verify(
                serialized: certificateBytes, rootPublicKey: configuration.rootPublicKey,
                serverStaticKey: serverStaticKey, now: now)
        } catch {
            throw .certificate(error)
        }

        let finish: [UInt8]
        let transport: NoiseTransport
        do throws(NoiseError) {
            finish = try noise.writeMessage(payload: clientPayload)
            transport = try noise.split()
        } catch {
            throw .noise(error)
        }
        let staticLength = NoiseKeyPair.keyLength + NoiseCipherState.tagLength
        return Completion(
            clientFinish: WAClientFinish(
                encryptedStatic: Array(finish[..<staticLength]), payload: Array(finish[staticLength...])),
            transport: transport, serverStaticKey: serverStaticKey, certificateChain: chain)
    }
}

extension WAHandshakeField {
    /// The field's bytes if present and exactly `length` long.
    func require(_ value: [UInt8]?, length: Int) throws(WAHandshakeError) -> [UInt8] {
        guard let value else { throw .missingField(self) }
        guard value.count == length else { throw .invalidFieldLength(self, expected: length, actual: value.count) }
        return value
    }
}

extension NoiseHandshakeState {
    /// XX under WhatsApp's rules: the 32-byte name `Noise_XX_25519_AESGCM_SHA256\0\0\0\0` as `h` and `ck`,
    /// the connection header as prologue, no MixHash of payloads before the first key.
    static func whatsApp(role: Role, prologue: [UInt8], staticKey: NoiseKeyPair, ephemeralKey: NoiseKeyPair) -> Self {
        NoiseHandshakeState(
            role: role, prologue: prologue, localStatic: staticKey, localEphemeral: ephemeralKey,
            protocolName: WAHandshakeConfiguration.protocolName, rules: .whatsApp)
    }
}
