import Crypto
import Foundation
import SignalProtocol
import Testing
import WABinary
@testable import WAEngine

/// Link with phone number through the machine (docs/protocol/lower.md §5.7), with the primary's side computed here from the spec.
@Suite struct PairingCodeFlowTests {
    static let phone = "15551234567"

    /// Linking by code up to the server's accepted `companion_hello`: returns the harness, the code and the hello.
    static func codeShown(ref: String = "REF1") throws -> (MachineHarness, String, BinaryNode) {
        var harness = MachineHarness()
        _ = harness.feed(.start(keys: nil, account: nil))
        let link = harness.feed(.link(.phoneNumber(phone), keys: harness.keys))
        #expect(link.statuses == [WAClientStatus(state: .linking, method: .phone)])
        let actions = harness.node(ServerNode.pairDevice(id: "pd-1", refs: ["2@a"]))
        #expect(actions.qrCodes.isEmpty)
        #expect(actions.sent.count == 2)
        #expect(actions.sent.first?.string("type") == "result")
        let hello = actions.sent[1]
        let answer = harness.node(
            BinaryNode(
                tag: "iq", attributes: ["from": .jid(JID.serverJID), "type": "result", "id": .string(hello.string("id")!)],
                children: [
                    BinaryNode(
                        tag: "link_code_companion_reg",
                        children: [BinaryNode(tag: "link_code_pairing_ref", bytes: Array(ref.utf8))])
                ]))
        let shown = answer.compactMap { if case .showPairingCode(let code, let expiresAt) = $0 { (code, expiresAt) } else { nil } }
        let (code, expiresAt) = try #require(shown.first)
        #expect(expiresAt == harness.now.addingTimeInterval(195))
        return (harness, code, hello)
    }

    @Test func companionHelloHasTheSpecifiedShapeAndTheCodeShowsOnlyAfterTheServerAcceptsIt() throws {
        let (harness, code, hello) = try Self.codeShown()
        #expect(code.count == 8)
        #expect(code.allSatisfy { PairingCodeCrypto.alphabet.contains($0) })
        #expect(hello.string("xmlns") == "md" && hello.string("type") == "set" && hello.jid("to") == JID.serverJID)
        let reg = try #require(hello.child("link_code_companion_reg"))
        #expect(reg.jid("jid") == JID(user: Self.phone, server: JID.userServer))
        #expect(reg.string("stage") == "companion_hello")
        #expect(reg.string("should_show_push_notification") == "true")
        #expect(reg.children.map(\.tag) == [
            "link_code_pairing_wrapped_companion_ephemeral_pub", "companion_server_auth_key_pub", "companion_platform_id",
            "companion_platform_display", "link_code_pairing_nonce",
        ])
        #expect(reg.child("link_code_pairing_wrapped_companion_ephemeral_pub")?.contentBytes?.count == 80)
        #expect(reg.child("companion_server_auth_key_pub")?.contentBytes == harness.keys.noiseKey.publicKey)
        #expect(reg.child("companion_platform_id")?.contentBytes == Array("9".utf8))
        #expect(reg.child("companion_platform_display")?.contentBytes == Array("Chrome (Linux)".utf8))
        #expect(reg.child("link_code_pairing_nonce")?.contentBytes == [0])
    }

    @Test func primaryHelloGetsCompanionFinishAndTheDerivedADVSecretVerifiesPairSuccess() throws {
        var (harness, code, hello) = try Self.codeShown()
        let primary = FakePrimary()
        var random = SeededRandom(seed: 3)
        let primaryEphemeral = Curve25519PrivateKey(using: &random)
        let wrapped = try PairingCodeCrypto.wrap(
            publicKey: primaryEphemeral.publicKey.rawRepresentation, code: code, salt: Array(repeating: 5, count: 32),
            iv: Array(repeating: 6, count: 16))
        let notification = ServerNode.notification(
            type: "link_code_companion_reg",
            children: [
                BinaryNode(
                    tag: "link_code_companion_reg", attributes: ["stage": "primary_hello"],
                    children: [
                        BinaryNode(tag: "link_code_pairing_ref", bytes: Array("REF1".utf8)),
                        BinaryNode(tag: "primary_identity_pub", bytes: primary.account.publicKey.rawRepresentation),
                        BinaryNode(tag: "link_code_pairing_wrapped_primary_ephemeral_pub", bytes: wrapped),
                    ])
            ])
        let actions = harness.node(notification)
        #expect(actions.sent.first?.tag == "ack")
        let finish = try #require(actions.sent.dropFirst().first?.child("link_code_companion_reg"))
        #expect(finish.string("stage") == "companion_finish")
        #expect(finish.children.map(\.tag) == [
            "link_code_pairing_wrapped_key_bundle", "companion_identity_public", "link_code_pairing_ref",
        ])
        #expect(finish.child("link_code_pairing_ref")?.contentBytes == Array("REF1".utf8))
        #expect(finish.child("companion_identity_public")?.contentBytes == harness.keys.identity.publicKey.rawRepresentation)

        // The primary's side (docs/protocol/lower.md §5.7 step 3, reversed): open the bundle, derive the same ADV secret.
        let companionEphemeral = try PairingCodeCrypto.unwrap(
            try #require(hello.child(path: "link_code_companion_reg", "link_code_pairing_wrapped_companion_ephemeral_pub")?.contentBytes),
            code: code)
        let ephemeralShared = try primaryEphemeral.sharedSecret(with: try Curve25519PublicKey(rawRepresentation: companionEphemeral))
        let bundle = try #require(finish.child("link_code_pairing_wrapped_key_bundle")?.contentBytes)
        #expect(bundle.count == 156)
        let bundleKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: ephemeralShared), salt: Array(bundle[0..<32]),
            info: Array("link_code_pairing_key_bundle_encryption_key".utf8), outputByteCount: 32)
        let box = try AES.GCM.SealedBox(
            nonce: try AES.GCM.Nonce(data: Array(bundle[32..<44])), ciphertext: Array(bundle[44..<140]),
            tag: Array(bundle[140..<156]))
        let plaintext = Array(try AES.GCM.open(box, using: bundleKey))
        #expect(Array(plaintext[0..<32]) == harness.keys.identity.publicKey.rawRepresentation)
        #expect(Array(plaintext[32..<64]) == primary.account.publicKey.rawRepresentation)
        let identityShared = try primary.account.privateKey.sharedSecret(with: harness.keys.identity.publicKey)
        let advSecret = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: ephemeralShared + identityShared + Array(plaintext[64..<96])),
            info: Array("adv_secret".utf8), outputByteCount: 32
        ).withUnsafeBytes { Array($0) }
        #expect(harness.machine.keys?.advSecret == advSecret)

        let success = harness.node(
            ServerNode.pairSuccess(
                id: "ps-1",
                deviceIdentity: try primary.deviceIdentity(
                    companionIdentity: harness.keys.identity.publicKey.rawRepresentation, advSecret: advSecret)))
        #expect(success.contains { if case .saveLink = $0 { true } else { false } })
        #expect(success.sent.first?.child("pair-device-sign") != nil)
        // Then the unified_session telemetry (docs/protocol/lower.md §6.1): (now_ms + 3 days) mod 7 days, server offset 0 here.
        let unified = try #require(success.sent.dropFirst().first?.child("unified_session"))
        let nowMs = Int64(harness.now.timeIntervalSince1970 * 1000)
        #expect(unified.string("id") == String((nowMs - (nowMs - 1_790_000_000_000) + 259_200_000) % 604_800_000))
        #expect(success.contains(.cancel(.pairingCodeRefresh)))
    }

    @Test func codeRegeneratesAutomaticallyAtMostFiveTimesThenStops() throws {
        var (harness, first, _) = try Self.codeShown()
        var codes = [first]
        for round in 1...5 {
            harness.advance(195)
            let renewed = harness.feed(.timer(.pairingCodeRefresh))
            let hello = try #require(renewed.sent.first, "round \(round)")
            #expect(hello.child("link_code_companion_reg")?.string("stage") == "companion_hello")
            let shown = harness.node(
                BinaryNode(
                    tag: "iq", attributes: ["from": .jid(JID.serverJID), "type": "result", "id": .string(hello.string("id")!)],
                    children: [
                        BinaryNode(
                            tag: "link_code_companion_reg",
                            children: [BinaryNode(tag: "link_code_pairing_ref", bytes: Array("REF\(round + 1)".utf8))])
                    ]))
            for case .showPairingCode(let code, _) in shown { codes.append(code) }
        }
        #expect(codes.count == 6)
        #expect(Set(codes).count == 6)
        harness.advance(195)
        let stopped = harness.feed(.timer(.pairingCodeRefresh))
        #expect(stopped.statuses == [WAClientStatus(state: .unlinked, reason: .pairingCodeFailed)])
        #expect(stopped.contains(.disconnect))
    }

    static func primaryHello(code: String, ref: String = "REF1") throws -> BinaryNode {
        var random = SeededRandom(seed: 3)
        let primaryEphemeral = Curve25519PrivateKey(using: &random)
        return ServerNode.notification(
            type: "link_code_companion_reg",
            children: [
                BinaryNode(
                    tag: "link_code_companion_reg", attributes: ["stage": "primary_hello"],
                    children: [
                        BinaryNode(tag: "link_code_pairing_ref", bytes: Array(ref.utf8)),
                        BinaryNode(tag: "primary_identity_pub", bytes: FakePrimary().account.publicKey.rawRepresentation),
                        BinaryNode(
                            tag: "link_code_pairing_wrapped_primary_ephemeral_pub",
                            bytes: try PairingCodeCrypto.wrap(
                                publicKey: primaryEphemeral.publicKey.rawRepresentation, code: code,
                                salt: Array(repeating: 5, count: 32), iv: Array(repeating: 6, count: 16))),
                    ])
            ])
    }

    @Test func primaryHelloIsAcceptedWithin180SecondsAndAtMostThreeTimes() throws {
        var (late, lateCode, _) = try Self.codeShown()
        late.advance(181)
        #expect(late.node(try Self.primaryHello(code: lateCode)).sent.map(\.tag) == ["ack"])

        var (harness, code, _) = try Self.codeShown()
        for _ in 1...3 {
            let actions = harness.node(try Self.primaryHello(code: code))
            #expect(actions.sent.map(\.tag) == ["ack", "iq"])
            // docs/protocol/lower.md §5.7: no pair-success within a minute of primary_hello → a new code.
            #expect(actions.scheduled[.pairingCodeRefresh] == 60)
        }
        #expect(harness.node(try Self.primaryHello(code: code)).sent.map(\.tag) == ["ack"])
    }

    @Test func primaryHelloWithAnotherRefIsOnlyAcked() throws {
        var (harness, _, _) = try Self.codeShown()
        let actions = harness.node(
            ServerNode.notification(
                type: "link_code_companion_reg",
                children: [
                    BinaryNode(
                        tag: "link_code_companion_reg", attributes: ["stage": "primary_hello"],
                        children: [BinaryNode(tag: "link_code_pairing_ref", bytes: Array("OTHER".utf8))])
                ]))
        #expect(actions.sent.map(\.tag) == ["ack"])
        #expect(actions.statuses.isEmpty)
    }

    @Test func refreshCodeStartsANewCodeFlowAndForcedManualRefreshStops() throws {
        var (harness, _, _) = try Self.codeShown()
        func refresh(force: Bool) -> BinaryNode {
            ServerNode.notification(
                type: "link_code_companion_reg",
                children: [
                    BinaryNode(
                        tag: "link_code_companion_reg",
                        attributes: ["stage": "refresh_code", "force_manual_refresh": force ? "true" : "false"],
                        children: [BinaryNode(tag: "link_code_pairing_ref", bytes: Array("REF1".utf8))])
                ])
        }
        let renewed = harness.node(refresh(force: false))
        #expect(renewed.sent.map(\.tag) == ["ack", "iq"])
        #expect(renewed.sent.last?.child("link_code_companion_reg")?.string("stage") == "companion_hello")

        var (forced, _, _) = try Self.codeShown()
        let stopped = forced.node(refresh(force: true))
        #expect(stopped.statuses == [WAClientStatus(state: .unlinked, reason: .pairingCodeFailed)])
    }

    @Test func rejectedCompanionHelloEndsWithPairingCodeFailed() throws {
        var harness = MachineHarness()
        _ = harness.feed(.start(keys: nil, account: nil))
        _ = harness.feed(.link(.phoneNumber(Self.phone), keys: harness.keys))
        let hello = harness.node(ServerNode.pairDevice(id: "pd-1", refs: ["2@a"])).sent[1]
        let actions = harness.node(
            BinaryNode(
                tag: "iq", attributes: ["from": .jid(JID.serverJID), "type": "error", "id": .string(hello.string("id")!)],
                children: [BinaryNode(tag: "error", attributes: ["code": "400", "text": "bad-request"])]))
        #expect(actions.statuses == [WAClientStatus(state: .unlinked, reason: .pairingCodeFailed)])
        #expect(actions.contains(.disconnect))
    }
}
