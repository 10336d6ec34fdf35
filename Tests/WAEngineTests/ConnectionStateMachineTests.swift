import Foundation
import Testing
import WABinary
import WANoise
@testable import WAEngine

/// The server half of a handshake, driven in-process with WANoise's responder (no sockets).
struct InProcessServer {
    let root = NoiseKeyPair.generate()
    let staticKey = NoiseKeyPair.generate()
    var decoder = WAFrameDecoder(role: .server)
    var encoder = WAFrameEncoder(role: .server)
    var responder: WAHandshakeResponder
    var transport: NoiseTransport?
    var clientPayload: [UInt8]?
    static let now: UInt64 = 1_790_000_000

    init() throws {
        var random = SystemRandomNumberGenerator()
        let chain = try WACertificateChain.build(
            rootPrivateKey: root.privateKey, intermediateKey: .generate(), serverStaticKey: staticKey.publicKey,
            validity: (Self.now - 3600)...(Self.now + 3600), random: &random)
        responder = WAHandshakeResponder(staticKey: staticKey, ephemeralKey: .generate(), certificateChain: chain)
    }

    /// Reads the intro + ClientHello, returns the ServerHello message.
    mutating func answerClientHello(_ message: [UInt8]) throws -> [UInt8] {
        decoder.append(message)
        let frame = try #require(try decoder.nextFrame())
        let hello = try WAHandshakeMessage.parseClientHello(frame)
        return try encoder.encode(WAHandshakeMessage.serialize(try responder.receivedClientHello(hello)))
    }

    mutating func readClientFinish(_ message: [UInt8]) throws {
        decoder.append(message)
        let frame = try #require(try decoder.nextFrame())
        let done = try responder.receivedClientFinish(try WAHandshakeMessage.parseClientFinish(frame))
        transport = done.transport
        clientPayload = done.clientPayload
    }

    mutating func frame(_ node: BinaryNode) throws -> [UInt8] {
        var transport = try #require(self.transport)
        let ciphertext = try transport.encrypt(try BinaryFrame.encode(node))
        self.transport = transport
        return try encoder.encode(ciphertext)
    }

    mutating func readNode(_ message: [UInt8]) throws -> BinaryNode {
        decoder.append(message)
        let frame = try #require(try decoder.nextFrame())
        var transport = try #require(self.transport)
        let node = try BinaryFrame.decode(try transport.decrypt(frame))
        self.transport = transport
        return node
    }
}

@Suite struct ConnectionStateMachineTests {
    let payload: [UInt8] = Array("client payload".utf8)

    func handshake(_ server: inout InProcessServer, splitServerHello: Bool = false) throws -> ConnectionStateMachine {
        var client = ConnectionStateMachine(
            staticKey: .generate(), ephemeralKey: .generate(), rootPublicKey: server.root.publicKey,
            clientPayload: payload)
        guard case .send(let hello)? = client.connectionOpened().first else {
            Issue.record("no ClientHello")
            return client
        }
        #expect(Array(hello.prefix(4)) == [0x57, 0x41, 0x06, 0x03])
        let serverHello = try server.answerClientHello(hello)
        var actions: [ConnectionStateMachine.Action] = []
        if splitServerHello {
            for byte in serverHello { actions += client.received([byte], now: InProcessServer.now) }
        } else {
            actions = client.received(serverHello, now: InProcessServer.now)
        }
        guard actions.count == 2, case .send(let finish) = actions[0], actions[1] == .deliver(.handshakeCompleted) else {
            Issue.record("unexpected actions \(actions)")
            return client
        }
        try server.readClientFinish(finish)
        #expect(server.clientPayload == payload)
        #expect(client.isEstablished)
        return client
    }

    @Test func handshakeCompletesAgainstTheResponder() throws {
        var server = try InProcessServer()
        _ = try handshake(&server)
    }

    @Test func serverHelloSplitAcrossEveryByteStillCompletes() throws {
        var server = try InProcessServer()
        _ = try handshake(&server, splitServerHello: true)
    }

    @Test func linkLayerPassesPairDeviceUpWithoutAnsweringIt() throws {
        var server = try InProcessServer()
        var client = try handshake(&server)
        let pairDevice = BinaryNode(
            tag: "iq", attributes: ["from": .jid(JID.serverJID), "type": "set", "id": "pd-1", "xmlns": "md"],
            children: [BinaryNode(tag: "pair-device", children: [
                BinaryNode(tag: "ref", bytes: Array("2@one".utf8)), BinaryNode(tag: "ref", bytes: Array("2@two".utf8)),
            ])])
        #expect(client.received(try server.frame(pairDevice), now: InProcessServer.now) == [.deliver(.node(pairDevice))])
    }

    @Test func successFailureAndStreamErrorGoUpAsNodes() throws {
        var server = try InProcessServer()
        var client = try handshake(&server)
        let now = InProcessServer.now
        let success = BinaryNode(tag: "success", attributes: ["t": "1790000000", "lid": "1@lid"])
        #expect(client.received(try server.frame(success), now: now) == [.deliver(.node(success))])
        let streamError = BinaryNode(
            tag: "stream:error", children: [BinaryNode(tag: "conflict", attributes: ["type": "replaced"])])
        #expect(client.received(try server.frame(streamError), now: now) == [.deliver(.node(streamError))])
        #expect(client.received(try server.frame(BinaryNode(tag: "xmlstreamend")), now: now) == [.deliver(.streamEnd)])
    }

    @Test func nodeThatDecryptsButDoesNotDecodeIsSkippedNotAClose() throws {
        var server = try InProcessServer()
        var client = try handshake(&server)
        // A good ciphertext of bytes that are not a binary node (an unknown tag byte), then a good node.
        var transport = try #require(server.transport)
        let garbage = try server.encoder.encode(try transport.encrypt([0x00, 0xFF, 0xFF, 0xFF]))
        server.transport = transport
        let next = BinaryNode(tag: "success")
        let actions = client.received(garbage + (try server.frame(next)), now: InProcessServer.now)
        #expect(actions == [.deliver(.node(next))])
        #expect(client.isEstablished)
        #expect(client.skippedNodes == 1)
    }

    @Test func tamperedTransportFrameClosesWithDecryptionFailed() throws {
        var server = try InProcessServer()
        var client = try handshake(&server)
        var message = try server.frame(BinaryNode(tag: "success"))
        message[message.count - 1] ^= 0x01
        #expect(
            client.received(message, now: InProcessServer.now)
                == [.close(.decryptionFailed), .deliver(.disconnected(.protocolError(.decryptionFailed)))])
        #expect(!client.isEstablished)
        #expect(client.received(try server.frame(BinaryNode(tag: "success")), now: InProcessServer.now) == [])
    }

    @Test func wrongPinnedRootIsRefusedWithACertificateError() throws {
        var server = try InProcessServer()
        var client = ConnectionStateMachine(
            staticKey: .generate(), ephemeralKey: .generate(), rootPublicKey: NoiseKeyPair.generate().publicKey,
            clientPayload: payload)
        guard case .send(let hello)? = client.connectionOpened().first else { return }
        let actions = client.received(try server.answerClientHello(hello), now: InProcessServer.now)
        guard case .close(.handshake(.certificate))? = actions.first else {
            Issue.record("expected a certificate error, got \(actions)")
            return
        }
        #expect(!actions.contains { if case .send = $0 { true } else { false } })
    }

    @Test func expiredChainIsRefused() throws {
        var server = try InProcessServer()
        var client = ConnectionStateMachine(
            staticKey: .generate(), ephemeralKey: .generate(), rootPublicKey: server.root.publicKey,
            clientPayload: payload)
        guard case .send(let hello)? = client.connectionOpened().first else { return }
        let actions = client.received(try server.answerClientHello(hello), now: InProcessServer.now + 7200)
        guard case .close(.handshake(.certificate))? = actions.first else {
            Issue.record("expected a certificate error, got \(actions)")
            return
        }
    }

    @Test func garbageInsteadOfServerHelloCloses() {
        var client = ConnectionStateMachine(
            staticKey: .generate(), ephemeralKey: .generate(), rootPublicKey: NoiseKeyPair.generate().publicKey,
            clientPayload: payload)
        _ = client.connectionOpened()
        let actions = client.received([0x00, 0x00, 0x03, 0xFF, 0xFF, 0xFF], now: InProcessServer.now)
        guard case .close(.handshake)? = actions.first else {
            Issue.record("expected a handshake error, got \(actions)")
            return
        }
    }

    @Test func oversizedFrameLengthIsRejectedWithoutBuffering() {
        var client = ConnectionStateMachine(
            staticKey: .generate(), ephemeralKey: .generate(), rootPublicKey: NoiseKeyPair.generate().publicKey,
            clientPayload: payload)
        _ = client.connectionOpened()
        // A full 3-byte length with nothing behind it: still refused only if above the maximum; the
        // maximum equals the 3-byte ceiling, so an incomplete frame simply waits.
        #expect(client.received([0xFF, 0xFF, 0xFF], now: InProcessServer.now) == [])
    }

    @Test func transportClosedDuringHandshakeIsReported() {
        var client = ConnectionStateMachine(
            staticKey: .generate(), ephemeralKey: .generate(), rootPublicKey: NoiseKeyPair.generate().publicKey,
            clientPayload: payload)
        _ = client.connectionOpened()
        #expect(client.transportClosed(code: nil) == [.deliver(.disconnected(.protocolError(.closedDuringHandshake)))])
        #expect(client.transportClosed(code: nil) == [])
    }

    @Test func encodingBeforeTheHandshakeIsRefused() {
        var client = ConnectionStateMachine(
            staticKey: .generate(), ephemeralKey: .generate(), rootPublicKey: NoiseKeyPair.generate().publicKey,
            clientPayload: payload)
        #expect(throws: ConnectionError.notConnected) { try client.encode(BinaryNode(tag: "presence")) }
    }

    @Test func timeoutOnlyMattersBeforeTheHandshakeEnds() throws {
        var server = try InProcessServer()
        var client = try handshake(&server)
        #expect(client.handshakeTimedOut() == [])
        var waiting = ConnectionStateMachine(
            staticKey: .generate(), ephemeralKey: .generate(), rootPublicKey: server.root.publicKey,
            clientPayload: payload)
        _ = waiting.connectionOpened()
        #expect(
            waiting.handshakeTimedOut()
                == [.close(.handshakeTimedOut), .deliver(.disconnected(.protocolError(.handshakeTimedOut)))])
    }
}
