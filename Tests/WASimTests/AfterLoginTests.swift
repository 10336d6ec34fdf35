import Foundation
import SignalProtocol
import Testing
import WABinary
import WAEngine
@testable import WASim

/// What the simulated server does after `<success>` (docs/protocol/lower.md §6), and the control calls
/// that drive stream errors, failures and notifications.
@Suite struct AfterLoginTests {
    /// A linked, logged-in companion.
    func loggedIn() async throws -> (WASimulator, LinkingCompanion, JID, WAConnection, String) {
        let (sim, _) = try await startSimulator()
        let phone = try await sim.world.addPhone()
        let (companion, jid) = try await linkByQR(sim, phone: phone.number)
        let (connection, outcome) = try await logIn(sim, companion, as: jid)
        guard case .success = outcome else {
            throw LoginFailed()
        }
        return (sim, companion, jid, connection, phone.number)
    }

    struct LoginFailed: Error {}

    func iq(_ id: String, _ type: String, xmlns: String, _ children: [BinaryNode]) -> BinaryNode {
        BinaryNode(
            tag: "iq", attributes: ["id": .string(id), "type": .string(type), "xmlns": .string(xmlns), "to": .jid(JID.serverJID)],
            children: children)
    }

    func upload(_ companion: LinkingCompanion, keys: Int, corruptSignature: Bool = false) -> BinaryNode {
        var random = SystemRandomNumberGenerator()
        let list = (1...keys).map { id in
            BinaryNode(
                tag: "key",
                children: [
                    BinaryNode(tag: "id", bytes: [0, 0, UInt8(id)]),
                    BinaryNode(tag: "value", bytes: Curve25519KeyPair(using: &random).publicKey.rawRepresentation),
                ])
        }
        var signature = companion.signedPreKey.signature
        if corruptSignature { signature[3] ^= 1 }
        return iq(
            "up-1", "set", xmlns: "encrypt",
            [
                BinaryNode(tag: "registration", bytes: [0, 0, 0, 7]),
                BinaryNode(tag: "type", bytes: [5]),
                BinaryNode(tag: "identity", bytes: companion.identity.publicKey.rawRepresentation),
                BinaryNode(tag: "list", children: list),
                BinaryNode(
                    tag: "skey",
                    children: [
                        BinaryNode(tag: "id", bytes: [0, 0, 1]),
                        BinaryNode(tag: "value", bytes: companion.signedPreKey.keyPair.publicKey.rawRepresentation),
                        BinaryNode(tag: "signature", bytes: signature),
                    ]),
            ])
    }

    @Test func preKeyUploadIsCheckedStoredAndCounted() async throws {
        let (sim, companion, _, connection, number) = try await loggedIn()
        defer { Task { await sim.shutdown() } }
        try await connection.send(iq("c-1", "get", xmlns: "encrypt", [BinaryNode(tag: "count")]))
        let zero = try #require(await firstNode(connection, "count"))
        #expect(zero.child("count")?.string("value") == "0")
        try await connection.send(upload(companion, keys: 30, corruptSignature: true))
        let refused = try #require(await firstNode(connection, "iq"))
        #expect(refused.string("type") == "error" && refused.child("error")?.string("code") == "400")
        try await connection.send(upload(companion, keys: 30))
        let stored = try #require(await firstNode(connection, "iq"))
        #expect(stored.string("type") == "result")
        try await connection.send(iq("c-2", "get", xmlns: "encrypt", [BinaryNode(tag: "count")]))
        let thirty = try #require(await firstNode(connection, "count"))
        #expect(thirty.child("count")?.string("value") == "30")
        #expect(await sim.world.phone(number)?.devices.first?.preKeyCount == 30)
        await connection.close()
    }

    @Test func passiveActiveAndKeepAliveAreAnswered() async throws {
        let (sim, _, _, connection, _) = try await loggedIn()
        defer { Task { await sim.shutdown() } }
        try await connection.send(iq("p-1", "set", xmlns: "passive", [BinaryNode(tag: "active")]))
        let active = try #require(await firstNode(connection, "iq"))
        #expect(active.string("id") == "p-1" && active.string("type") == "result")
        try await connection.send(
            BinaryNode(tag: "iq", attributes: ["id": "k-1", "type": "get", "xmlns": "w:p", "to": .jid(JID.serverJID)]))
        let pong = try #require(await firstNode(connection, "iq"))
        #expect(pong.string("id") == "k-1" && pong.string("type") == "result")
        await connection.close()
    }

    @Test(arguments: [
        (515, nil), (503, nil), (401, "device_removed"), (nil, "replaced"),
    ] as [(Int?, String?)])
    func streamErrorOnRequestReachesTheClient(code: Int?, conflict: String?) async throws {
        let (sim, _, _, connection, _) = try await loggedIn()
        defer { Task { await sim.shutdown() } }
        let id = try #require(await sim.world.allConnections().last?.id)
        try await sim.world.sendStreamError(id, code: code, conflict: conflict)
        let received = await firstStreamError(connection)
        #expect(received == StreamError(code: code, conflict: conflict))
        await connection.close()
    }

    @Test func preKeyLowNotificationOnRequest() async throws {
        let (sim, _, _, connection, _) = try await loggedIn()
        defer { Task { await sim.shutdown() } }
        let id = try #require(await sim.world.allConnections().last?.id)
        try await sim.world.sendPreKeyLow(id, count: 3)
        let notification = try #require(await firstNode(connection, "notification"))
        #expect(notification.string("type") == "encrypt")
        #expect(notification.child("count")?.string("value") == "3")
        #expect(notification.jid("from") == JID.serverJID)
        await connection.close()
    }

    @Test func companionRegRefreshOnRequestReachesAWaitingCompanion() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let companion = LinkingCompanion()
        let connection = try companion.connection(sim, payload: try companion.registrationPayload())
        try await connection.connect()
        _ = await pairDeviceRefs(connection)
        let id = try #require(await sim.world.allConnections().last?.id)
        try await sim.world.sendCompanionRegRefresh(id)
        let notification = try #require(await firstNode(connection, "notification"))
        #expect(notification.string("type") == "companion_reg_refresh")
        #expect(notification.child("companion_reg_refresh") != nil)
        await connection.close()
    }

    @Test(arguments: [(402, 101, 3600), (403, nil, nil), (405, nil, nil), (503, nil, nil)] as [(Int, Int?, Int?)])
    func failureFaultAnswersTheLogin(reason: Int, code: Int?, expire: Int?) async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let phone = try await sim.world.addPhone()
        let (companion, jid) = try await linkByQR(sim, phone: phone.number)
        try await sim.world.addFault(FaultRule(kind: .failure, code: code, reason: reason, expire: expire))
        let (connection, outcome) = try await logIn(sim, companion, as: jid)
        #expect(outcome == .failure(reason: reason))
        #expect(await eventually { await sim.world.allConnections().last?.events.contains("fault: sent failure reason=\(reason)") == true })
        await connection.close()
    }

    @Test func stanzaShapesAreRecordedWithoutTheirBytes() async throws {
        let (sim, _, _, connection, _) = try await loggedIn()
        defer { Task { await sim.shutdown() } }
        try await connection.send(iq("c-1", "get", xmlns: "encrypt", [BinaryNode(tag: "count")]))
        _ = await firstNode(connection, "count")
        let registrationID = try #require(await sim.world.allConnections().first?.id)
        let shapes = try #require(await sim.world.receivedStanzas(registrationID))
        let sign = try #require(shapes.first { $0.children?.first?.tag == "pair-device-sign" })
        #expect(sign.attributes["type"] == "result")
        #expect(sign.children?.first?.children?.first?.content?.hasPrefix("bytes:") == true)
        let loginID = try #require(await sim.world.allConnections().last?.id)
        let count = try #require(await sim.world.receivedStanzas(loginID)?.first)
        #expect(count.tag == "iq" && count.attributes["xmlns"] == "encrypt" && count.children?.first?.tag == "count")
        await connection.close()
    }

    @Test func failureFaultNeedsAReason() {
        #expect(throws: FaultRule.ValidationError.failureNeedsReason) { try FaultRule(kind: .failure).validate() }
        #expect(throws: FaultRule.ValidationError.streamErrorOnlyAtHandshake) {
            try FaultRule(kind: .failure, stage: .connect, reason: 403).validate()
        }
    }
}
