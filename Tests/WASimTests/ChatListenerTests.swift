import Foundation
import NIOCore
import NIOEmbedded
import NIOWebSocket
import WANoise
import Testing
import WAEngine
@testable import WASim

/// The engine's WebSocket transport against the simulator's chat listeners, over loopback.
@Suite(.serialized) struct ChatListenerTests {
    @Test func plainWebSocketUpgradesAndTheOriginIsRecorded() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let url = try #require(sim.plainURL)
        let transport = try await WebSocketTransportConnector(url: url).connect()
        #expect(await eventually { await sim.world.allConnections().count == 1 })
        let record = try #require(await sim.world.allConnections().first)
        #expect(record.origin == "https://web.whatsapp.com")
        #expect(record.path == "/ws/chat")
        #expect(record.tls == false)
        #expect(record.state == .awaitingClientHello)
        await transport.close()
    }

    @Test func tlsWithTheGeneratedCAIsTrusted() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let url = try #require(sim.tlsURL)
        let transport = try await WebSocketTransportConnector(url: url, extraTrustRootsFile: sim.caFile).connect()
        #expect(await eventually { await sim.world.allConnections().first?.tls == true })
        await transport.close()
    }

    @Test func tlsByHostNameSendsTheNameAsSNIAndChecksItAgainstTheCertificate() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let port = try #require(sim.tlsPort)
        let url = try #require(URL(string: "wss://localhost:\(port)/ws/chat"))
        let transport = try await WebSocketTransportConnector(url: url, extraTrustRootsFile: sim.caFile).connect()
        #expect(await eventually { await sim.world.allConnections().first?.tls == true })
        await transport.close()
    }

    @Test func tlsWithoutTheTestCAIsRefusedByTheClient() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let url = try #require(sim.tlsURL)
        await #expect(throws: TransportError.tlsHandshakeFailed) {
            _ = try await WebSocketTransportConnector(url: url).connect()
        }
    }

    @Test func tlsWithAnotherCAIsRefusedByTheClient() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let other = try makeTemporaryDirectory()
        _ = try TestCertificateAuthority.loadOrCreate(directory: other, now: Date())
        let url = try #require(sim.tlsURL)
        await #expect(throws: TransportError.tlsHandshakeFailed) {
            _ = try await WebSocketTransportConnector(url: url, extraTrustRootsFile: other + "/ca.pem").connect()
        }
    }

    @Test func pathOtherThanWsChatIsNotUpgraded() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let port = try #require(sim.plainPort)
        let url = try #require(URL(string: "ws://127.0.0.1:\(port)/ws/other"))
        await #expect(throws: TransportError.upgradeRejected) {
            _ = try await WebSocketTransportConnector(url: url).connect()
        }
    }

    @Test func nothingListeningIsAConnectionFailure() async throws {
        let url = try #require(URL(string: "ws://127.0.0.1:1/ws/chat"))
        await #expect(throws: TransportError.connectionFailed) {
            _ = try await WebSocketTransportConnector(url: url).connect()
        }
    }

    @Test func badIntroIsDroppedByTheServer() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let transport = try await WebSocketTransportConnector(url: try #require(sim.plainURL)).connect()
        try await transport.send([0x57, 0x41, 0x05, 0x03, 0x00, 0x00, 0x00])
        let event = await nextEvent(transport)
        guard case .closed(.remote) = event else {
            Issue.record("expected the server to close, got \(String(describing: event))")
            return
        }
        #expect(await eventually { await sim.world.allConnections().first?.state == .closed })
        let record = try #require(await sim.world.allConnections().first)
        #expect(record.closeReason?.contains("badConnectionHeader") == true)
    }

    @Test func malformedClientHelloIsDroppedWithoutAnAnswer() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let transport = try await WebSocketTransportConnector(url: try #require(sim.plainURL)).connect()
        // A correct intro, then a 3-byte frame that is not a HandshakeMessage.
        try await transport.send([0x57, 0x41, 0x06, 0x03, 0x00, 0x00, 0x03, 0xFF, 0xFF, 0xFF])
        guard case .closed(.remote) = await nextEvent(transport) else {
            Issue.record("the server answered or kept a malformed ClientHello open")
            return
        }
        #expect(await eventually { await sim.world.allConnections().first?.state == .closed })
        let record = try #require(await sim.world.allConnections().first)
        #expect(record.closeReason?.hasPrefix("handshake failed") == true)
        #expect(!record.events.contains("server-hello sent"))
    }

    @Test func routingInfoAboveTheLimitIsRefusedBeforeBuffering() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let transport = try await WebSocketTransportConnector(url: try #require(sim.plainURL)).connect()
        // The ED routing block claims 64 KiB, above the 4096-byte limit: refused on the length alone.
        try await transport.send([0x45, 0x44, 0x00, 0x01, 0x01, 0x00, 0x00])
        guard case .closed(.remote) = await nextEvent(transport) else {
            Issue.record("oversized routing info was not refused")
            return
        }
        #expect(await eventually { await sim.world.allConnections().first?.closeReason?.contains("routingInfoTooLarge") == true })
    }

    @Test func dropFaultAtConnectClosesTheNextConnectionOnly() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        try await sim.world.addFault(FaultRule(kind: .drop, scope: .next, stage: .connect))
        let url = try #require(sim.plainURL)
        // The server drops the socket right after the upgrade: depending on timing the client sees the
        // upgrade fail or the connection close at once; either way it gets nothing else.
        do {
            let first = try await WebSocketTransportConnector(url: url).connect()
            guard case .closed(.remote) = await nextEvent(first) else {
                Issue.record("the dropped connection did not close")
                return
            }
        } catch {
            #expect(error == .connectionFailed)
        }
        let second = try await WebSocketTransportConnector(url: url).connect()
        #expect(await nextEvent(second, timeout: .milliseconds(300)) == nil)
        await second.close()
        #expect(await sim.world.pendingFaults().isEmpty)
    }
}

/// The simulator's frame handling after the upgrade, on an in-memory channel.
@Suite struct ChatFrameHandlerTests {
    private func makeChannel(limit: Int) throws -> (EmbeddedChannel, AsyncStream<SessionInput>) {
        let channel = EmbeddedChannel()
        let (inbound, continuation) = AsyncStream<SessionInput>.makeStream()
        try ChatListener.addFrameHandlers(
            to: channel.pipeline.syncOperations, maximumMessageSize: limit, continuation: continuation)
        return (channel, inbound)
    }

    private func closeCode(_ channel: EmbeddedChannel) throws -> UInt16? {
        while let frame = try channel.readOutbound(as: WebSocketFrame.self) {
            if frame.opcode == .connectionClose {
                var data = frame.data
                return data.readInteger(as: UInt16.self)
            }
        }
        return nil
    }

    @Test func fragmentedMessageAboveTheAccumulatedLimitClosesWith1009() throws {
        let (channel, _) = try makeChannel(limit: 8)
        try channel.writeInbound(WebSocketFrame(fin: false, opcode: .binary, data: ByteBuffer(bytes: [1, 2, 3, 4, 5])))
        _ = try? channel.writeInbound(WebSocketFrame(fin: true, opcode: .continuation, data: ByteBuffer(bytes: [6, 7, 8, 9])))
        #expect(try closeCode(channel) == 1009)
        #expect(!channel.isActive)
    }

    @Test func fragmentedMessageWithinTheLimitReachesTheSessionWhole() async throws {
        let (channel, inbound) = try makeChannel(limit: 8)
        try channel.writeInbound(WebSocketFrame(fin: false, opcode: .binary, data: ByteBuffer(bytes: [1, 2, 3])))
        try channel.writeInbound(WebSocketFrame(fin: true, opcode: .continuation, data: ByteBuffer(bytes: [4, 5])))
        _ = try channel.finish()
        var iterator = inbound.makeAsyncIterator()
        guard case .binary(let bytes) = await iterator.next() else {
            Issue.record("no message")
            return
        }
        #expect(bytes == [1, 2, 3, 4, 5])
        #expect(await iterator.next() == nil)
    }

    @Test func pingIsAnsweredWithAPongCarryingTheSamePayload() throws {
        let (channel, _) = try makeChannel(limit: 8)
        try channel.writeInbound(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer(bytes: [9, 9])))
        let pong = try #require(try channel.readOutbound(as: WebSocketFrame.self))
        #expect(pong.opcode == .pong)
        #expect(Array(pong.data.readableBytesView) == [9, 9])
        #expect(pong.maskKey == nil)
    }

    @Test func closeFrameIsEchoedAndTheConnectionClosed() throws {
        let (channel, _) = try makeChannel(limit: 8)
        try channel.writeInbound(WebSocketFrame(fin: true, opcode: .connectionClose, data: ByteBuffer(bytes: [0x03, 0xE8])))
        #expect(try closeCode(channel) == 1000)
        #expect(!channel.isActive)
    }
}

/// The engine's transport refuses a server message above its configured size limit.
@Suite(.serialized) struct TransportMessageLimitTests {
    @Test func serverMessageAboveTheClientLimitClosesTheTransportWithATypedReason() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let connector = WebSocketTransportConnector(url: try #require(sim.plainURL), messageSizeLimit: 64)
        let transport = try await connector.connect()
        var initiator = WAHandshakeInitiator(
            staticKey: .generate(), ephemeralKey: .generate(),
            configuration: WAHandshakeConfiguration(rootPublicKey: sim.world.serverIdentity.rootPublicKey))
        var frames = WAFrameEncoder(role: .client(routingInfo: nil))
        try await transport.send(try frames.encode(WAHandshakeMessage.serialize(try initiator.clientHello())))
        // The ServerHello (ephemeral, encrypted static key and certificate chain) is far above 64 bytes.
        #expect(await nextEvent(transport) == .closed(.failed(.messageTooLarge(limit: 64))))
        #expect(await eventually { await sim.world.allConnections().first?.state == .closed })
    }
}

/// The version fetcher's HTTPS path trusts the same extra CA as the chat connection.
@Suite(.serialized) struct HTTPFetcherTLSTests {
    @Test func httpsWithTheTestCAReachesTheServer() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let port = try #require(sim.tlsPort)
        let url = try #require(URL(string: "https://127.0.0.1:\(port)/sw.js"))
        // The chat listener answers anything but /ws/chat with 404: the TLS handshake succeeded.
        await #expect(throws: WAHTTPFetchError.status(404)) {
            _ = try await WAHTTPFetcher(extraTrustRootsFile: sim.caFile).get(url)
        }
        await #expect(throws: WAHTTPFetchError.transport(.tlsHandshakeFailed)) {
            _ = try await WAHTTPFetcher().get(url)
        }
    }
}
