import Foundation
import Testing
import WABinary
import WAEngine
@testable import WASim

/// Our engine (WAClient) links to a simulated phone through wa-sim and logs in again after a restart:
/// both sides' checks of linking (docs/protocol/lower.md §5) meet over loopback.
@Suite(.serialized) struct EngineLinkingEndToEndTests {
    @Test func engineLinksToASimulatedPhoneByQRAndLogsInAgainAfterARestart() async throws {
        let (sim, dir) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let phone = try await sim.world.addPhone(number: "15551234567", pushName: "Ana")
        let client = try WAClientLinkingTests.client(sim, dataDirectory: dir + "/engine")
        await client.start()
        _ = try await client.link(.qr)
        let event = await WAClientLinkingTests.next(client) { if case .qr = $0 { true } else { false } }
        guard case .qr(let qr) = event else {
            Issue.record("no QR event, got \(String(describing: event))")
            await client.stop()
            return
        }
        let device = try await sim.world.scan(phone: phone.number, qrCode: qr.code)
        let connected = await WAClientLinkingTests.next(client, timeout: .seconds(30)) {
            if case .status(let status) = $0 { status.state == .connected } else { false }
        }
        guard case .status(let status)? = connected else {
            Issue.record("the engine did not connect after pairing; status \(await client.status)")
            await client.stop()
            return
        }
        #expect(status.account?.jid == device)
        #expect(status.account?.phone == phone.number)
        let linked = try #require(await sim.world.phone(phone.number)?.devices.first)
        #expect(linked.jid == device)
        #expect(status.account?.lid == linked.lid)
        try await expectWhatsmeowsStanzaShapes(sim)
        await client.stop()

        let again = try WAClientLinkingTests.client(sim, dataDirectory: dir + "/engine")
        await again.start()
        #expect(await eventually(timeout: .seconds(30)) { await again.status.state == .connected })
        #expect(await again.status.account?.jid == device)
        let logins = await sim.world.allConnections().filter { $0.payload?.kind == "login" }
        #expect(logins.count >= 2)
        #expect(logins.allSatisfy { $0.events.contains("sent success") })
        await again.stop()
    }

    @Test func engineLinksByPhoneNumberWhenThePhonesUserTypesTheCode() async throws {
        let (sim, dir) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let phone = try await sim.world.addPhone(number: "15557654321")
        let client = try WAClientLinkingTests.client(sim, dataDirectory: dir + "/engine")
        await client.start()
        _ = try await client.link(.phoneNumber(phone.number))
        let event = await WAClientLinkingTests.next(client, timeout: .seconds(20)) {
            if case .pairingCode = $0 { true } else { false }
        }
        guard case .pairingCode(let code, _)? = event else {
            Issue.record("no pairing code, got \(String(describing: event)); status \(await client.status)")
            await client.stop()
            return
        }
        try await sim.world.enterCode(phone: phone.number, code: code)
        #expect(await eventually(timeout: .seconds(30)) { await client.status.state == .connected })
        #expect(await client.status.account?.phone == phone.number)
        #expect(await sim.world.phone(phone.number)?.devices.count == 1)
        let registration = try #require(await sim.world.allConnections().first { $0.payload?.kind == "registration" })
        let ours = Set((await sim.world.receivedStanzas(registration.id) ?? []).map(WhatsmeowStanzas.signature))
        for shape in try WhatsmeowStanzas.load().code.map(WhatsmeowStanzas.signature) {
            #expect(ours.contains(shape), "our engine sent no stanza shaped like whatsmeow's \(shape); ours: \(ours.sorted())")
        }
        await client.stop()
    }

    /// Every pairing and login stanza whatsmeow sends has the same shape in what our engine sent.
    func expectWhatsmeowsStanzaShapes(_ sim: WASimulator) async throws {
        let whatsmeow = try WhatsmeowStanzas.load()
        let connections = await sim.world.allConnections()
        let registration = try #require(connections.first { $0.payload?.kind == "registration" })
        let login = try #require(connections.first { $0.payload?.kind == "login" })
        #expect(await eventually { (await sim.world.receivedStanzas(login.id)?.count ?? 0) >= whatsmeow.login.count })
        for (theirs, id) in [(whatsmeow.registration, registration.id), (whatsmeow.login, login.id)] {
            let ours = Set((await sim.world.receivedStanzas(id) ?? []).map(WhatsmeowStanzas.signature))
            for shape in theirs.map(WhatsmeowStanzas.signature) {
                #expect(ours.contains(shape), "our engine sent no stanza shaped like whatsmeow's \(shape); ours: \(ours.sorted())")
            }
        }
    }
}
