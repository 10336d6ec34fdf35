import Foundation
import Testing
import WABinary
import WANoise
@testable import WAEngine

/// A transport whose `send` suspends a random number of times before the message "reaches the wire", with
/// the server half of the handshake run in-process. It records what arrived, in arrival order.
final class YieldingTransport: Transport, @unchecked Sendable {
    let inbound: AsyncStream<TransportEvent>
    private let continuation: AsyncStream<TransportEvent>.Continuation
    private let lock = NSLock()
    private var responder: WAHandshakeResponder
    private var decoder = WAFrameDecoder(role: .server)
    private var encoder = WAFrameEncoder(role: .server)
    private var serverTransport: NoiseTransport?
    private var arrived: [[UInt8]] = []
    let rootPublicKey: [UInt8]

    init() throws {
        let root = NoiseKeyPair.generate()
        let staticKey = NoiseKeyPair.generate()
        let now = UInt64(Date().timeIntervalSince1970)
        var random = SystemRandomNumberGenerator()
        let chain = try WACertificateChain.build(
            rootPrivateKey: root.privateKey, intermediateKey: .generate(), serverStaticKey: staticKey.publicKey,
            validity: (now - 3600)...(now + 3600), random: &random)
        responder = WAHandshakeResponder(staticKey: staticKey, ephemeralKey: .generate(), certificateChain: chain)
        rootPublicKey = root.publicKey
        (inbound, continuation) = AsyncStream<TransportEvent>.makeStream()
    }

    func send(_ message: [UInt8]) async throws(TransportError) {
        for _ in 0..<Int.random(in: 0...4) { await Task.yield() }
        let reply: [UInt8]? = lock.withLock {
            if serverTransport != nil {
                arrived.append(message)
                return nil
            }
            decoder.append(message)
            guard let frame = try? decoder.nextFrame() else { return nil }
            if let hello = try? WAHandshakeMessage.parseClientHello(frame),
                let serverHello = try? responder.receivedClientHello(hello)
            {
                return try? encoder.encode(WAHandshakeMessage.serialize(serverHello))
            }
            if let finish = try? WAHandshakeMessage.parseClientFinish(frame),
                let done = try? responder.receivedClientFinish(finish)
            {
                serverTransport = done.transport
            }
            return nil
        }
        if let reply { continuation.yield(.message(reply)) }
    }

    func close() async {
        continuation.yield(.closed(.local))
        continuation.finish()
    }

    /// Decrypts what arrived after the handshake, in arrival order; throws at the first frame out of order.
    func decryptArrivals() throws -> [BinaryNode] {
        try lock.withLock {
            var transport = try #require(serverTransport)
            var frames = WAFrameDecoder(role: .client)
            var nodes: [BinaryNode] = []
            for message in arrived {
                frames.append(message)
                while let frame = try frames.nextFrame() {
                    nodes.append(try BinaryFrame.decode(try transport.decrypt(frame)))
                }
            }
            return nodes
        }
    }
}

struct SingleTransportConnector: TransportConnector {
    let transport: YieldingTransport
    func connect() async throws(TransportError) -> any Transport { transport }
}

@Suite struct WAConnectionOrderingTests {
    @Test func concurrentSendsReachTheWireInNoiseCounterOrder() async throws {
        let transport = try YieldingTransport()
        let connection = WAConnection(
            connector: SingleTransportConnector(transport: transport), staticKey: .generate(),
            rootPublicKey: transport.rootPublicKey, clientPayload: Array("payload".utf8))
        try await connection.connect()
        let count = 20_000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await connection.send(BinaryNode(tag: "iq", attributes: ["id": .string(String(index))]))
                }
            }
            try await group.waitForAll()
        }
        let nodes = try transport.decryptArrivals()
        #expect(nodes.count == count)
        #expect(Set(nodes.compactMap { $0.string("id") }).count == count)
        await connection.close()
    }

    @Test func sendAfterCloseIsRefused() async throws {
        let transport = try YieldingTransport()
        let connection = WAConnection(
            connector: SingleTransportConnector(transport: transport), staticKey: .generate(),
            rootPublicKey: transport.rootPublicKey, clientPayload: [])
        try await connection.connect()
        await connection.close()
        await #expect(throws: ConnectionError.self) {
            try await connection.send(BinaryNode(tag: "iq"))
        }
    }
}

@Suite struct WAConnectionRedactionTests {
    @Test func dumpingAConnectionRevealsNoNoiseKey() async throws {
        let transport = try YieldingTransport()
        let staticKey = NoiseKeyPair.generate()
        let connection = WAConnection(
            connector: SingleTransportConnector(transport: transport), staticKey: staticKey,
            rootPublicKey: transport.rootPublicKey, clientPayload: [])
        try await connection.connect()
        var dumped = ""
        dump(connection, to: &dumped)
        let hex = staticKey.privateKey.map { String(format: "%02x", $0) }.joined()
        for text in [dumped, String(describing: connection), String(reflecting: connection)] {
            #expect(!text.contains(hex))
            #expect(!text.contains(staticKey.privateKey.prefix(4).map(String.init).joined(separator: "\n")))
        }
        await connection.close()
    }
}
