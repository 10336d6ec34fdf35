import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import WAEngine
@testable import WASim

@Suite(.serialized) struct ControlAPITests {
    func api() throws -> (ControlAPI, SimWorld) {
        let world = SimWorld(serverIdentity: try ServerIdentity(rootPrivateKey: ServerIdentity.makeRootPrivateKey()))
        return (ControlAPI(world: world, endpoints: { .init(ws: "127.0.0.1:1") }), world)
    }

    func json(_ response: ControlResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(response.body))
    }

    @Test func rootKeyIsServedAsHexAndBase64() async throws {
        let (api, world) = try api()
        let response = await api.handle(ControlRequest(method: "GET", uri: "/root-key", body: []))
        #expect(response.status == 200)
        let body = try #require(try json(response) as? [String: String])
        #expect(body["hex"] == Hex.encode(world.serverIdentity.rootPublicKey))
        #expect(body["base64"] == Data(world.serverIdentity.rootPublicKey).base64EncodedString())
    }

    @Test func faultsAreValidatedQueuedAndCleared() async throws {
        let (api, world) = try api()
        let bad = await api.handle(
            ControlRequest(method: "POST", uri: "/faults", body: Array(#"{"kind":"delay"}"#.utf8)))
        #expect(bad.status == 400)
        let wrongStage = await api.handle(
            ControlRequest(
                method: "POST", uri: "/faults", body: Array(#"{"kind":"stream-error","stage":"connect"}"#.utf8)))
        #expect(wrongStage.status == 400)
        let ok = await api.handle(
            ControlRequest(
                method: "POST", uri: "/faults", body: Array(#"{"kind":"stream-error","code":515,"scope":"all"}"#.utf8)))
        #expect(ok.status == 201)
        #expect(await world.pendingFaults() == [FaultRule(kind: .streamError, scope: .all, code: 515)])
        let cleared = await api.handle(ControlRequest(method: "DELETE", uri: "/faults", body: []))
        #expect(cleared.status == 200)
        #expect(await world.pendingFaults().isEmpty)
    }

    @Test func allFaultsStayAndNextFaultsAreUsedUp() async throws {
        let world = SimWorld(serverIdentity: try ServerIdentity(rootPrivateKey: ServerIdentity.makeRootPrivateKey()))
        try await world.addFault(FaultRule(kind: .drop, scope: .next, stage: .handshake))
        try await world.addFault(FaultRule(kind: .delay, scope: .all, stage: .clientHello, delayMs: 10))
        let first = await world.openConnection(tls: false, remote: "r", path: "/ws/chat", origin: nil, userAgentHeader: nil)
        #expect(first.faults.rules.count == 2)
        let second = await world.openConnection(tls: false, remote: "r", path: "/ws/chat", origin: nil, userAgentHeader: nil)
        #expect(second.faults.rules == [FaultRule(kind: .delay, scope: .all, stage: .clientHello, delayMs: 10)])
    }

    @Test func caIsServedOnlyWithTLS() async throws {
        let (api, _) = try api()
        let response = await api.handle(ControlRequest(method: "GET", uri: "/ca.pem", body: []))
        #expect(response.status == 404)
    }

    @Test func plannedCallsAnswerNotImplemented() async throws {
        let (api, _) = try api()
        #expect(await api.handle(ControlRequest(method: "POST", uri: "/send", body: [])).status == 501)
        #expect(await api.handle(ControlRequest(method: "GET", uri: "/nope", body: [])).status == 404)
    }

    @Test func controlServerAnswersOverHTTP() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let base = try #require(sim.controlURL)
        let (data, response) = try await URLSession.shared.data(from: base.appendingPathComponent("status"))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let status = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(status["rootPublicKey"] as? String == Hex.encode(sim.identity.rootPublicKey))
        let endpoints = try #require(status["endpoints"] as? [String: Any])
        #expect(endpoints["control"] as? String == "127.0.0.1:\(sim.controlPort ?? -1)")
        let (pem, _) = try await URLSession.shared.data(from: base.appendingPathComponent("ca.pem"))
        #expect(String(decoding: pem, as: UTF8.self).hasPrefix("-----BEGIN CERTIFICATE-----"))
    }
}
