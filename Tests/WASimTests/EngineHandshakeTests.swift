import Foundation
import Testing
import WABinary
import WAEngine
import WANoise
@testable import WASim

/// The engine's connection (WAConnection over WebSocketTransport) against wa-sim over loopback.
@Suite(.serialized) struct EngineHandshakeTests {
    @Test(arguments: [false, true])
    func registrationHandshakeGetsPairDeviceAndAcksIt(overTLS: Bool) async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let companion = try CompanionFixture()
        let url = try #require(overTLS ? sim.tlsURL : sim.plainURL)
        let connection = companion.connection(to: url, sim: sim, payload: companion.registrationPayload)
        try await connection.connect()
        let event = await firstEvent(connection) { if case .node(let node) = $0 { node.child("pair-device") != nil } else { false } }
        guard case .node(let pairDevice) = event, let id = pairDevice.string("id") else {
            Issue.record("no pair-device node, got \(String(describing: event))")
            return
        }
        let refs = pairDevice.child("pair-device")!.children("ref").map { String(decoding: $0.contentBytes ?? [], as: UTF8.self) }
        // The link layer passes the IQ up; the client machine acks it (here the test plays that part).
        try await connection.send(BinaryNode(tag: "iq", attributes: ["to": .jid(JID.serverJID), "id": .string(id), "type": "result"]))
        #expect(refs.count == 6)
        #expect(refs.allSatisfy { $0.hasPrefix("2@") })
        #expect(await eventually { await sim.world.allConnections().first?.events.contains("pair-device acked") == true })
        let record = try #require(await sim.world.allConnections().first)
        #expect(record.tls == overTLS)
        #expect(record.state == .established)
        #expect(record.payload?.kind == "registration")
        #expect(record.payload?.platform == "web")
        #expect(record.payload?.appVersion == WAAppVersion.shipped.description)
        #expect(record.events.contains("sent pair-device with 6 refs; first ref \(refs[0])"))
        await connection.close()
    }

    @Test(arguments: [false, true])
    func loginForAnUnknownDeviceGetsFailure401(overTLS: Bool) async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let companion = try CompanionFixture()
        let url = try #require(overTLS ? sim.tlsURL : sim.plainURL)
        let connection = companion.connection(to: url, sim: sim, payload: companion.loginPayload)
        try await connection.connect()
        let events = await collectEvents(connection)
        #expect(events.first == .handshakeCompleted)
        #expect(events.contains { if case .node(let node) = $0 { node.tag == "failure" && node.int("reason") == 401 && node.string("location") == "sim" } else { false } })
        guard case .disconnected(.closedByServer) = events.last else {
            Issue.record("expected the server to close after <failure>, got \(events)")
            return
        }
        let record = try #require(await sim.world.allConnections().first)
        #expect(record.payload?.kind == "login")
        #expect(record.payload?.username == 15_551_234_567)
        #expect(record.payload?.device == 3)
        #expect(record.payload?.passive == true)
    }

    @Test func wrongRootKeyIsRefusedByTheClient() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let companion = try CompanionFixture()
        // Pinning WhatsApp's real root against the simulator: the intermediate's signature cannot verify.
        let connection = companion.connection(
            to: try #require(sim.plainURL), sim: sim, payload: companion.registrationPayload,
            rootPublicKey: WAEngineConfiguration.whatsAppRootPublicKey)
        do {
            try await connection.connect()
            Issue.record("the handshake succeeded against an unpinned root")
        } catch let error {
            guard case .handshake(.certificate) = error else {
                Issue.record("expected a certificate error, got \(error)")
                return
            }
        }
        // The server never saw a ClientFinish: the client stopped before sending its keys.
        #expect(await eventually { await sim.world.allConnections().first?.state == .closed })
        #expect(await sim.world.allConnections().first?.payload == nil)
    }

    @Test func dropAtHandshakeSurfacesAsServerClose() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        try await sim.world.addFault(FaultRule(kind: .drop, stage: .handshake))
        let companion = try CompanionFixture()
        let connection = companion.connection(to: try #require(sim.plainURL), sim: sim, payload: companion.loginPayload)
        try await connection.connect()
        let events = await collectEvents(connection)
        #expect(events.first == .handshakeCompleted)
        guard case .disconnected(.closedByServer) = events.last else {
            Issue.record("expected a server close, got \(events)")
            return
        }
    }

    @Test func dropAtClientHelloFailsTheHandshake() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        try await sim.world.addFault(FaultRule(kind: .drop, stage: .clientHello))
        let companion = try CompanionFixture()
        let connection = companion.connection(to: try #require(sim.plainURL), sim: sim, payload: companion.loginPayload)
        await #expect(throws: ConnectionError.closedDuringHandshake) { try await connection.connect() }
    }

    @Test func delayBeyondTheHandshakeTimeoutTimesOut() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        try await sim.world.addFault(FaultRule(kind: .delay, stage: .clientHello, delayMs: 3000))
        let companion = try CompanionFixture()
        let connection = companion.connection(
            to: try #require(sim.plainURL), sim: sim, payload: companion.loginPayload,
            handshakeTimeout: .milliseconds(300))
        await #expect(throws: ConnectionError.handshakeTimedOut) { try await connection.connect() }
    }

    @Test(arguments: [
        (515, nil as String?),
        (401, "device_removed" as String?),
    ])
    func streamErrorFaultSurfacesAsTypedEvent(code: Int, conflict: String?) async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        try await sim.world.addFault(FaultRule(kind: .streamError, code: code, conflict: conflict))
        let companion = try CompanionFixture()
        let connection = companion.connection(
            to: try #require(sim.tlsURL), sim: sim, payload: companion.registrationPayload)
        try await connection.connect()
        let events = await collectEvents(connection)
        let received = events.compactMap { if case .node(let node) = $0, node.tag == "stream:error" { node } else { nil } }
        let expected = StreamError(code: code, conflict: conflict)
        #expect(received.map { StreamError(code: $0.int("code"), conflict: $0.child("conflict")?.string("type")) } == [expected])
        #expect(events.contains(.streamEnd))
        #expect(expected.isRestartRequired == (code == 515))
        #expect(expected.isDeviceRemoved == (conflict == "device_removed"))
        guard case .disconnected(.closedByServer) = events.last else {
            Issue.record("expected a server close after the stream error, got \(events)")
            return
        }
    }

    @Test func keepAlivePingIsAnswered() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let companion = try CompanionFixture()
        let connection = companion.connection(
            to: try #require(sim.plainURL), sim: sim, payload: companion.registrationPayload)
        try await connection.connect()
        _ = await firstEvent(connection) { if case .node(let node) = $0 { node.child("pair-device") != nil } else { false } }
        // docs/protocol/lower.md §6.2, whatsmeow's shape: no <ping/> child.
        try await connection.send(
            BinaryNode(tag: "iq", attributes: ["id": "1.2-3", "xmlns": "w:p", "type": "get", "to": .jid(JID.serverJID)]))
        let reply = await firstEvent(connection) { if case .node = $0 { true } else { false } }
        guard case .node(let node) = reply else {
            Issue.record("no reply to the keep-alive, got \(String(describing: reply))")
            return
        }
        #expect(node.tag == "iq")
        #expect(node.string("type") == "result")
        #expect(node.string("id") == "1.2-3")
        #expect(node.jid("from") == JID.serverJID)
        await connection.close()
    }

    @Test func sendingBeforeTheHandshakeIsRefused() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let companion = try CompanionFixture()
        let connection = companion.connection(to: try #require(sim.plainURL), sim: sim, payload: companion.loginPayload)
        await #expect(throws: ConnectionError.notConnected) {
            try await connection.send(BinaryNode(tag: "presence"))
        }
    }
}
