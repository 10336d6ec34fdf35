import Foundation
import Testing
import WABinary
import WAEngine
@testable import WASim

/// Our engine (WAClient), linked to a simulated phone, meets what the server does after login
/// (docs/protocol/lower.md §6.3, §6.4): a restart, an unlink from the phone, another session taking over,
/// an outdated client, a temporary ban. The expected states are the linking contract's.
@Suite(.serialized) struct EngineAfterLoginEndToEndTests {
    /// A simulator with a phone and an engine linked to it and connected.
    func connectedEngine() async throws -> (WASimulator, WAClient, String, JID) {
        let (sim, dir) = try await startSimulator()
        let phone = try await sim.world.addPhone()
        let client = try WAClientLinkingTests.client(sim, dataDirectory: dir + "/engine")
        await client.start()
        _ = try await client.link(.qr)
        let event = await WAClientLinkingTests.next(client) { if case .qr = $0 { true } else { false } }
        guard case .qr(let qr)? = event else { throw Failed.noQR }
        let device = try JID(parsing: try await sim.world.scan(phone: phone.number, qrCode: qr.code))
        guard await eventually(timeout: .seconds(30), { await client.status.state == .connected }) else {
            throw Failed.notConnected
        }
        return (sim, client, phone.number, device)
    }

    enum Failed: Error { case noQR, notConnected }

    /// The connection the engine is logged in on.
    func loginConnection(_ sim: WASimulator) async -> Int? {
        await sim.world.allConnections().last { $0.payload?.kind == "login" && $0.state != .closed }?.id
    }

    @Test func restartFromTheServerReconnects() async throws {
        let (sim, client, _, _) = try await connectedEngine()
        defer { Task { await sim.shutdown() } }
        let first = try #require(await loginConnection(sim))
        try await sim.world.sendStreamError(first, code: 515, conflict: nil)
        #expect(await eventually(timeout: .seconds(20)) { (await loginConnection(sim) ?? 0) > first })
        #expect(await eventually(timeout: .seconds(20)) { await client.status.state == .connected })
        await client.stop()
    }

    @Test func unlinkFromThePhoneLogsTheEngineOut() async throws {
        let (sim, client, number, device) = try await connectedEngine()
        defer { Task { await sim.shutdown() } }
        try await sim.world.unlink(phone: number, device: device.device)
        #expect(await eventually(timeout: .seconds(20)) { await client.status.state == .loggedOut })
        #expect(await client.status.reason == .loggedOutByPhone)
        await client.stop()
    }

    @Test func anotherSessionTakingOverStopsTheEngine() async throws {
        let (sim, client, _, _) = try await connectedEngine()
        defer { Task { await sim.shutdown() } }
        let connection = try #require(await loginConnection(sim))
        try await sim.world.sendStreamError(connection, code: nil, conflict: "replaced")
        #expect(await eventually(timeout: .seconds(20)) { await client.status.state == .stopped })
        #expect(await client.status.reason == .replaced)
        await client.stop()
    }

    @Test func outdatedClientStopsWith405() async throws {
        let (sim, client, _, _) = try await connectedEngine()
        defer { Task { await sim.shutdown() } }
        try await sim.world.addFault(FaultRule(kind: .failure, reason: 405))
        let connection = try #require(await loginConnection(sim))
        try await sim.world.sendStreamError(connection, code: 515, conflict: nil)
        #expect(await eventually(timeout: .seconds(20)) { await client.status.state == .stopped })
        #expect(await client.status.reason == .clientOutdated)
        #expect(await client.status.code == 405)
        await client.stop()
    }

    @Test func temporaryBanStopsWithItsEnd() async throws {
        let (sim, client, _, _) = try await connectedEngine()
        defer { Task { await sim.shutdown() } }
        try await sim.world.addFault(FaultRule(kind: .failure, code: 101, reason: 402, expire: 3600))
        let connection = try #require(await loginConnection(sim))
        let sent = Date()
        try await sim.world.sendStreamError(connection, code: 515, conflict: nil)
        #expect(await eventually(timeout: .seconds(20)) { await client.status.state == .stopped })
        let status = await client.status
        #expect(status.reason == .banned)
        let until = try #require(status.until)
        #expect(abs(until.timeIntervalSince(sent) - 3600) < 60)
        await client.stop()
    }

    @Test func logoutFromTheEngineRemovesTheDeviceFromThePhone() async throws {
        let (sim, client, number, _) = try await connectedEngine()
        defer { Task { await sim.shutdown() } }
        let status = try await client.logout()
        #expect(status.state == .loggedOut)
        #expect(await eventually(timeout: .seconds(10)) { await sim.world.phone(number)?.devices.isEmpty == true })
        await client.stop()
    }

    @Test func preKeysRunningLowAreRefilled() async throws {
        let (sim, client, number, _) = try await connectedEngine()
        defer { Task { await sim.shutdown() } }
        #expect(await eventually(timeout: .seconds(10)) { (await sim.world.phone(number)?.devices.first?.preKeyCount ?? 0) > 0 })
        let before = await sim.world.phone(number)?.devices.first?.preKeyCount ?? 0
        let connection = try #require(await loginConnection(sim))
        try await sim.world.sendPreKeyLow(connection, count: 3)
        #expect(await eventually(timeout: .seconds(20)) { (await sim.world.phone(number)?.devices.first?.preKeyCount ?? 0) > before })
        await client.stop()
    }
}
