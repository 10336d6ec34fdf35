import Foundation
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
