import Testing
import WAProto
@testable import WANoise

/// WhatsApp's handshake, initiator ↔ responder in process (docs/protocol/lower.md §2.3).
@Suite struct WAHandshakeTests {
    let fixture = WAHandshakeFixture()

    /// Runs a whole handshake through protobuf bytes and frames, as the wire carries it.
    func handshake(clientPayload: [UInt8]) throws -> (WAHandshakeInitiator.Completion, WAHandshakeResponder.Completion) {
        var client = fixture.initiator()
        var server = try fixture.responder()
        var clientFrames = WAFrameEncoder(role: .client(routingInfo: nil))
        var serverFrames = WAFrameEncoder(role: .server)
        var serverReader = WAFrameDecoder(role: .server)
        var clientReader = WAFrameDecoder(role: .client)

        serverReader.append(try clientFrames.encode(WAHandshakeMessage.serialize(try client.clientHello())))
        let hello = try WAHandshakeMessage.parseClientHello(try #require(try serverReader.nextFrame()))
        clientReader.append(try serverFrames.encode(WAHandshakeMessage.serialize(try server.receivedClientHello(hello))))
        let serverHello = try WAHandshakeMessage.parseServerHello(try #require(try clientReader.nextFrame()))
        let clientDone = try client.receivedServerHello(serverHello, clientPayload: clientPayload, now: WAHandshakeFixture.now)
        serverReader.append(try clientFrames.encode(WAHandshakeMessage.serialize(clientDone.clientFinish)))
        let finish = try WAHandshakeMessage.parseClientFinish(try #require(try serverReader.nextFrame()))
        let serverDone = try server.receivedClientFinish(finish)
        return (clientDone, serverDone)
    }

    @Test func clientHelloFrameMatchesSpecVector() throws {
        var client = fixture.initiator()
        var frames = WAFrameEncoder(role: .client(routingInfo: nil))
        let wire = try frames.encode(WAHandshakeMessage.serialize(try client.clientHello()))
        #expect(wire == [0x57, 0x41, 0x06, 0x03, 0x00, 0x00, 0x24, 0x12, 0x22, 0x0a, 0x20] + fixture.clientEphemeral.publicKey)
    }

    @Test func loginHandshakeCompletesAndTransportWorksBothWays() throws {
        let payload = try WAClientPayload.login(username: 15_551_234_567, device: 3).serializedBytes() as [UInt8]
        var (client, server) = try handshake(clientPayload: payload)
        #expect(server.clientPayload == payload)
        #expect(server.clientStaticKey == fixture.clientStatic.publicKey)
        #expect(client.serverStaticKey == fixture.serverStatic.publicKey)
        #expect(client.certificateChain.leaf.key == fixture.serverStatic.publicKey)
        let decoded = try WAWebProtobufsWa6_ClientPayload(serializedBytes: server.clientPayload)
        #expect(decoded.username == 15_551_234_567 && decoded.device == 3 && decoded.passive)
        for round in 0..<3 {
            let up = try client.transport.encrypt([0x00, UInt8(round)])
            #expect(try server.transport.decrypt(up) == [0x00, UInt8(round)])
            let down = try server.transport.encrypt([0x02, UInt8(round)])
            #expect(try client.transport.decrypt(down) == [0x02, UInt8(round)])
        }
    }

    @Test func registrationHandshakeDeliversPairingData() throws {
        let registration = WAClientPayload.Registration(
            registrationID: 0x0102_0304, identityKey: keyPair(0x30).publicKey, signedPreKeyID: 1,
            signedPreKey: keyPair(0x31).publicKey, signedPreKeySignature: [UInt8](repeating: 0x55, count: 64))
        let payload = try WAClientPayload.registration(registration: registration).serializedBytes() as [UInt8]
        let (_, server) = try handshake(clientPayload: payload)
        let decoded = try WAWebProtobufsWa6_ClientPayload(serializedBytes: server.clientPayload)
        #expect(decoded.hasDevicePairingData && !decoded.passive && !decoded.hasUsername)
        #expect(Array(decoded.devicePairingData.eRegid) == [1, 2, 3, 4])
    }

    @Test func ephemeralOfClientHelloIsTheOnlyFirstMessageContent() throws {
        var client = fixture.initiator()
        #expect(try client.clientHello().ephemeral == fixture.clientEphemeral.publicKey)
        #expect(throws: WAHandshakeError.outOfOrder) { try client.clientHello() }
    }

    @Test func standardNoiseResponderFailsBecauseWASkipsTheEmptyPayloadHash() throws {
        // Keep the WA deviation: a spec responder hashes the empty first payload, so its ServerHello's
        // static key no longer decrypts on the WA client (docs/test-oracles.md §4).
        var client = fixture.initiator()
        var spec = NoiseHandshakeState(
            role: .responder, prologue: WAConnectionHeader.bytes, localStatic: fixture.serverStatic,
            localEphemeral: fixture.serverEphemeral, protocolName: WAHandshakeConfiguration.protocolName, rules: .standard)
        _ = try spec.readMessage(try #require(try client.clientHello().ephemeral))
        let reply = try spec.writeMessage(payload: try fixture.chain())
        let hello = WAServerHello(ephemeral: Array(reply[..<32]), encryptedStatic: Array(reply[32..<80]), payload: Array(reply[80...]))
        #expect(throws: WAHandshakeError.noise(.decryptionFailed)) {
            try client.receivedServerHello(hello, clientPayload: [], now: WAHandshakeFixture.now)
        }
    }

    /// Each ServerHello field, one bit flipped: the client fails with a typed error.
    @Test(arguments: [0, 1, 2])
    func tamperedServerHelloIsRejected(_ field: Int) throws {
        var client = fixture.initiator()
        var server = try fixture.responder()
        var hello = try server.receivedClientHello(try client.clientHello())
        switch field {
        case 0: hello.ephemeral?[5] ^= 1
        case 1: hello.encryptedStatic?[5] ^= 1
        default: hello.payload?[5] ^= 1
        }
        #expect(throws: WAHandshakeError.noise(.decryptionFailed)) {
            try client.receivedServerHello(hello, clientPayload: [], now: WAHandshakeFixture.now)
        }
    }

    @Test(arguments: [0, 1])
    func tamperedClientFinishIsRejected(_ field: Int) throws {
        var client = fixture.initiator()
        var server = try fixture.responder()
        let hello = try server.receivedClientHello(try client.clientHello())
        var finish = try client.receivedServerHello(hello, clientPayload: [1, 2, 3], now: WAHandshakeFixture.now).clientFinish
        if field == 0 { finish.encryptedStatic?[0] ^= 1 } else { finish.payload?[0] ^= 1 }
        #expect(throws: WAHandshakeError.noise(.decryptionFailed)) { try server.receivedClientFinish(finish) }
    }

    @Test func wrongPrologueOnServerIsRejected() throws {
        var client = fixture.initiator()
        var server = WAHandshakeResponder(
            staticKey: fixture.serverStatic, ephemeralKey: fixture.serverEphemeral, certificateChain: try fixture.chain(),
            prologue: [0x57, 0x41, 0x06, 0x02])
        let hello = try server.receivedClientHello(try client.clientHello())
        #expect(throws: WAHandshakeError.noise(.decryptionFailed)) {
            try client.receivedServerHello(hello, clientPayload: [], now: WAHandshakeFixture.now)
        }
    }

    @Test func serverHelloMissingOrMisSizedFieldsAreRejected() throws {
        let e = [UInt8](repeating: 9, count: 32)
        let s = [UInt8](repeating: 9, count: 48)
        let cases: [(WAServerHello, WAHandshakeError)] = [
            (WAServerHello(ephemeral: nil, encryptedStatic: s, payload: []), .missingField(.serverHelloEphemeral)),
            (WAServerHello(ephemeral: [1], encryptedStatic: s, payload: []), .invalidFieldLength(.serverHelloEphemeral, expected: 32, actual: 1)),
            (WAServerHello(ephemeral: e, encryptedStatic: nil, payload: []), .missingField(.serverHelloStatic)),
            (WAServerHello(ephemeral: e, encryptedStatic: [1, 2], payload: []), .invalidFieldLength(.serverHelloStatic, expected: 48, actual: 2)),
            (WAServerHello(ephemeral: e, encryptedStatic: s, payload: nil), .missingField(.serverHelloPayload)),
        ]
        for (hello, error) in cases {
            var client = fixture.initiator()
            _ = try client.clientHello()
            #expect(throws: error) { try client.receivedServerHello(hello, clientPayload: [], now: WAHandshakeFixture.now) }
            // A failed step ends the handshake.
            #expect(throws: WAHandshakeError.outOfOrder) { try client.receivedServerHello(hello, clientPayload: [], now: 0) }
        }
    }

    @Test func clientMessagesMissingOrMisSizedFieldsAreRejected() throws {
        var server = try fixture.responder()
        #expect(throws: WAHandshakeError.missingField(.clientHelloEphemeral)) { try server.receivedClientHello(WAClientHello(ephemeral: nil)) }
        var other = try fixture.responder()
        #expect(throws: WAHandshakeError.invalidFieldLength(.clientHelloEphemeral, expected: 32, actual: 33)) {
            try other.receivedClientHello(WAClientHello(ephemeral: [UInt8](repeating: 1, count: 33)))
        }
        var early = try fixture.responder()
        #expect(throws: WAHandshakeError.outOfOrder) { try early.receivedClientFinish(WAClientFinish(encryptedStatic: nil, payload: nil)) }
        var client = fixture.initiator()
        var third = try fixture.responder()
        _ = try third.receivedClientHello(try client.clientHello())
        #expect(throws: WAHandshakeError.missingField(.clientFinishPayload)) {
            try third.receivedClientFinish(WAClientFinish(encryptedStatic: [UInt8](repeating: 0, count: 48), payload: nil))
        }
    }

    @Test func lowOrderServerEphemeralIsRejected() throws {
        var client = fixture.initiator()
        _ = try client.clientHello()
        let hello = WAServerHello(ephemeral: [UInt8](repeating: 0, count: 32), encryptedStatic: [UInt8](repeating: 0, count: 48), payload: [])
        #expect(throws: WAHandshakeError.noise(.invalidPublicKey)) {
            try client.receivedServerHello(hello, clientPayload: [], now: WAHandshakeFixture.now)
        }
    }

    @Test func certificateForAnotherRootIsRejectedByDefaultPin() throws {
        var client = WAHandshakeInitiator(staticKey: fixture.clientStatic, ephemeralKey: fixture.clientEphemeral)
        var server = try fixture.responder()
        let hello = try server.receivedClientHello(try client.clientHello())
        #expect(throws: WAHandshakeError.certificate(.intermediateSignatureInvalid)) {
            try client.receivedServerHello(hello, clientPayload: [], now: WAHandshakeFixture.now)
        }
    }

    @Test func expiredCertificateFailsTheHandshake() throws {
        var client = fixture.initiator()
        var server = try fixture.responder()
        let hello = try server.receivedClientHello(try client.clientHello())
        #expect(throws: WAHandshakeError.certificate(.intermediateOutsideValidity(now: 2_001, notBefore: 1_000, notAfter: 2_000))) {
            try client.receivedServerHello(hello, clientPayload: [], now: 2_001)
        }
    }

    @Test func chainForAnotherServerKeyFailsTheHandshake() throws {
        var client = fixture.initiator()
        var server = try fixture.responder(chain: try fixture.chain(for: keyPair(0x44).publicKey))
        let hello = try server.receivedClientHello(try client.clientHello())
        #expect(throws: WAHandshakeError.certificate(.leafKeyMismatch)) {
            try client.receivedServerHello(hello, clientPayload: [], now: WAHandshakeFixture.now)
        }
    }

    @Test(arguments: [[UInt8]([0xff, 0xff]), [0x0a, 0x05, 1, 2]])
    func malformedHandshakeFrameIsRejected(_ bytes: [UInt8]) {
        #expect(throws: WAHandshakeError.malformedHandshakeMessage) { try WAHandshakeMessage.parseServerHello(bytes) }
        #expect(throws: WAHandshakeError.malformedHandshakeMessage) { try WAHandshakeMessage.parseClientHello(bytes) }
        #expect(throws: WAHandshakeError.malformedHandshakeMessage) { try WAHandshakeMessage.parseClientFinish(bytes) }
    }
}
