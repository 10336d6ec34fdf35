import WACore
import Foundation
import SignalProtocol
import Testing
import WABinary
import WAEngine
import WANoise
import WAProto
@testable import WASim

/// Simulated phones linking companions (docs/protocol/lower.md §5), over real WebSocket connections.
@Suite struct PhonePairingTests {
    @Test func scannedQRLinksTheDeviceAndItsIdentityLogsIn() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let phone = try await sim.world.addPhone(number: "15551234567", pushName: "Ana")
        let companion = LinkingCompanion()
        let registration = try companion.connection(sim, payload: try companion.registrationPayload())
        try await registration.connect()
        let refs = await pairDeviceRefs(registration)
        #expect(refs.count == 6)
        let jidText = try await sim.world.scan(phone: phone.number, qrCode: companion.qrText(ref: try #require(refs.first)))
        let pairSuccess = try #require(await firstNode(registration, "pair-success"))
        #expect(pairSuccess.string("xmlns") == "md")
        #expect(pairSuccess.int("t") != nil)
        let paired = try companion.answer(pairSuccess: pairSuccess)
        #expect(paired.jid.description == jidText)
        #expect(paired.jid.user == "15551234567")
        #expect(paired.lid.server == JID.hiddenUserServer && paired.lid.device == paired.jid.device)
        #expect(paired.platform == "android")
        #expect(paired.accountSignatureKey == (await sim.world.phoneIdentityKey(phone.number)))
        try await registration.send(paired.reply)
        #expect(await firstStreamError(registration) == StreamError(code: 515, conflict: nil))
        await registration.close()

        let linked = try #require(await sim.world.phone(phone.number)?.devices.first)
        #expect(linked.jid == jidText)
        #expect(linked.identityKey == WACore.Hex.encode(companion.identity.publicKey.rawRepresentation))
        #expect(linked.keyIndex == paired.keyIndex)
        #expect(linked.platform == "9")

        let (login, outcome) = try await logIn(sim, companion, as: paired.jid)
        guard case .success(let time, let lid) = outcome else {
            Issue.record("no <success>: \(outcome)")
            return
        }
        #expect(time != nil)
        #expect(lid == paired.lid.description)
        #expect(await eventually { await sim.world.phone(phone.number)?.devices.first?.online == true })
        await login.close()
    }

    @Test func legacyQRTextIsScannedToo() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let phone = try await sim.world.addPhone()
        let companion = LinkingCompanion()
        let registration = try companion.connection(sim, payload: try companion.registrationPayload())
        try await registration.connect()
        let ref = try #require(await pairDeviceRefs(registration).first)
        _ = try await sim.world.scan(phone: phone.number, qrCode: companion.qrText(ref: ref, legacy: true))
        #expect(await firstNode(registration, "pair-success") != nil)
        await registration.close()
    }

    @Test func badDeviceSignatureIsRefusedAndNothingIsLinked() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let phone = try await sim.world.addPhone()
        let companion = LinkingCompanion()
        let registration = try companion.connection(sim, payload: try companion.registrationPayload())
        try await registration.connect()
        let ref = try #require(await pairDeviceRefs(registration).first)
        _ = try await sim.world.scan(phone: phone.number, qrCode: companion.qrText(ref: ref))
        let pairSuccess = try #require(await firstNode(registration, "pair-success"))
        try await registration.send(try companion.answer(pairSuccess: pairSuccess, corruptDeviceSignature: true).reply)
        #expect(await firstStreamError(registration) == StreamError(code: 401, conflict: nil))
        #expect(await sim.world.phone(phone.number)?.devices.isEmpty == true)
        let events = await sim.world.allConnections().flatMap(\.events)
        #expect(events.contains("pair-device-sign refused: device signature does not verify"))
        await registration.close()
    }

    @Test func qrWithSomeoneElsesKeysIsRefused() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let phone = try await sim.world.addPhone()
        let companion = LinkingCompanion()
        let registration = try companion.connection(sim, payload: try companion.registrationPayload())
        try await registration.connect()
        let ref = try #require(await pairDeviceRefs(registration).first)
        let impostor = LinkingCompanion()
        await #expect(throws: PhoneError.keysDoNotMatch) {
            try await sim.world.scan(phone: phone.number, qrCode: impostor.qrText(ref: ref))
        }
        await #expect(throws: PhoneError.unknownRef) {
            try await sim.world.scan(phone: phone.number, qrCode: companion.qrText(ref: "2@nobody"))
        }
        await #expect(throws: PhoneError.expiredRef) {
            try await sim.world.scan(
                phone: phone.number, qrCode: companion.qrText(ref: ref), now: Date().addingTimeInterval(200))
        }
        await registration.close()
    }

    @Test func refsExpireOnTheServersSchedule() async throws {
        // docs/protocol/lower.md §5.4: the first ref is shown 60 s, each later one 20 s more (the sim adds 5 s of grace).
        #expect(SimWorld.refDeadline(index: 0) == 65)
        #expect(SimWorld.refDeadline(index: 5) == 165)
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let phone = try await sim.world.addPhone()
        let companion = LinkingCompanion()
        let registration = try companion.connection(sim, payload: try companion.registrationPayload())
        try await registration.connect()
        let refs = await pairDeviceRefs(registration)
        try #require(refs.count == 6)
        let later = Date().addingTimeInterval(70)
        await #expect(throws: PhoneError.expiredRef) {
            try await sim.world.scan(phone: phone.number, qrCode: companion.qrText(ref: refs[0]), now: later)
        }
        _ = try await sim.world.scan(phone: phone.number, qrCode: companion.qrText(ref: refs[1]), now: later)
        #expect(await firstNode(registration, "pair-success") != nil)
        await #expect(throws: PhoneError.pairingInProgress) {
            try await sim.world.scan(phone: phone.number, qrCode: companion.qrText(ref: refs[2]), now: later)
        }
        await registration.close()
    }

    @Test func loginWithAnotherNoiseKeyGetsFailure401() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let phone = try await sim.world.addPhone()
        let (_, jid) = try await linkByQR(sim, phone: phone.number)
        let stranger = LinkingCompanion()
        let (connection, outcome) = try await logIn(sim, stranger, as: jid)
        #expect(outcome == .failure(reason: 401))
        await connection.close()
    }

    @Test func secondLoginOfTheSameDeviceReplacesTheFirst() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let phone = try await sim.world.addPhone()
        let (companion, jid) = try await linkByQR(sim, phone: phone.number)
        let (first, firstOutcome) = try await logIn(sim, companion, as: jid)
        guard case .success = firstOutcome else {
            Issue.record("first login failed: \(firstOutcome)")
            return
        }
        let (second, secondOutcome) = try await logIn(sim, companion, as: jid)
        guard case .success = secondOutcome else {
            Issue.record("second login failed: \(secondOutcome)")
            return
        }
        #expect(await firstStreamError(first) == StreamError(code: nil, conflict: "replaced"))
        await first.close()
        await second.close()
    }

    @Test func unlinkFromThePhoneRemovesTheDeviceWith401DeviceRemoved() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let phone = try await sim.world.addPhone()
        let (companion, jid) = try await linkByQR(sim, phone: phone.number)
        let (connection, outcome) = try await logIn(sim, companion, as: jid)
        guard case .success = outcome else {
            Issue.record("login failed: \(outcome)")
            return
        }
        try await sim.world.unlink(phone: phone.number, device: jid.device)
        #expect(await firstStreamError(connection) == StreamError(code: 401, conflict: "device_removed"))
        #expect(await sim.world.phone(phone.number)?.devices.isEmpty == true)
        await connection.close()
        let (again, refused) = try await logIn(sim, companion, as: jid)
        #expect(refused == .failure(reason: 401))
        await again.close()
    }

    @Test func phoneNumberCodeLinksTheDevice() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let phone = try await sim.world.addPhone(number: "15557654321")
        var companion = LinkingCompanion()
        let registration = try companion.connection(sim, payload: try companion.registrationPayload())
        try await registration.connect()
        _ = await pairDeviceRefs(registration)

        // Step 1, companion_hello (docs/protocol/lower.md §5.7).
        let code = "ABCD1234"
        var random = SystemRandomNumberGenerator()
        let ephemeral = Curve25519KeyPair(using: &random)
        let wrapped = try LinkCodeCrypto.wrap(
            ephemeral.publicKey.rawRepresentation, code: code, salt: .init(repeating: 7, count: 32),
            iv: .init(repeating: 9, count: 16))
        func child(_ tag: String, _ bytes: [UInt8]) -> BinaryNode { BinaryNode(tag: tag, bytes: bytes) }
        try await registration.send(
            BinaryNode(
                tag: "iq",
                attributes: ["to": .jid(JID.serverJID), "type": "set", "xmlns": "md", "id": "lc-1"],
                children: [
                    BinaryNode(
                        tag: "link_code_companion_reg",
                        attributes: [
                            "jid": .jid(JID(user: phone.number, server: JID.userServer)), "stage": "companion_hello",
                            "should_show_push_notification": "true",
                        ],
                        children: [
                            child("link_code_pairing_wrapped_companion_ephemeral_pub", wrapped),
                            child("companion_server_auth_key_pub", companion.noiseKey.publicKey),
                            child("companion_platform_id", Array("1".utf8)),
                            child("companion_platform_display", Array("Chrome (Linux)".utf8)),
                            child("link_code_pairing_nonce", [0]),
                        ])
                ]))
        let hello = try #require(await firstNode(registration, "link_code_companion_reg"))
        #expect(hello.string("type") == "result")
        let ref = try #require(hello.child(path: "link_code_companion_reg", "link_code_pairing_ref")?.contentBytes)

        // Step 2: the phone's user types the code.
        try await sim.world.enterCode(phone: phone.number, code: "abcd-1234")
        let notification = try #require(await firstNode(registration, "notification"))
        let primary = try #require(notification.child("link_code_companion_reg"))
        #expect(primary.string("stage") == "primary_hello")
        #expect(primary.child("link_code_pairing_ref")?.contentBytes == ref)
        let primaryIdentity = try #require(primary.child("primary_identity_pub")?.contentBytes)
        #expect(primaryIdentity == (await sim.world.phoneIdentityKey(phone.number)))

        // Steps 3 and 4, the companion's half.
        let primaryEphemeral = try LinkCodeCrypto.unwrap(
            try #require(primary.child("link_code_pairing_wrapped_primary_ephemeral_pub")?.contentBytes), code: code)
        let ephemeralShared = try ephemeral.privateKey.sharedSecret(
            with: Curve25519PublicKey(rawRepresentation: primaryEphemeral))
        let advRandom = [UInt8](repeating: 3, count: 32)
        let bundle = try LinkCodeCrypto.sealKeyBundle(
            companionIdentity: companion.identity.publicKey.rawRepresentation, primaryIdentity: primaryIdentity,
            advSecretRandom: advRandom, ephemeralShared: ephemeralShared, salt: .init(repeating: 1, count: 32),
            nonce: .init(repeating: 2, count: 12))
        let identityShared = try companion.identity.privateKey.sharedSecret(
            with: Curve25519PublicKey(rawRepresentation: primaryIdentity))
        companion.advSecret = LinkCodeCrypto.advSecret(
            ephemeralShared: ephemeralShared, identityShared: identityShared, advSecretRandom: advRandom)
        try await registration.send(
            BinaryNode(
                tag: "iq",
                attributes: ["to": .jid(JID.serverJID), "type": "set", "xmlns": "md", "id": "lc-2"],
                children: [
                    BinaryNode(
                        tag: "link_code_companion_reg",
                        attributes: [
                            "jid": .jid(JID(user: phone.number, server: JID.userServer)), "stage": "companion_finish",
                        ],
                        children: [
                            child("link_code_pairing_wrapped_key_bundle", bundle),
                            child("companion_identity_public", companion.identity.publicKey.rawRepresentation),
                            child("link_code_pairing_ref", ref),
                        ])
                ]))
        let pairSuccess = try #require(await firstNode(registration, "pair-success"))
        let paired = try companion.answer(pairSuccess: pairSuccess)
        try await registration.send(paired.reply)
        #expect(await firstStreamError(registration) == StreamError(code: 515, conflict: nil))
        #expect(await sim.world.phone(phone.number)?.devices.first?.jid == paired.jid.description)
        await registration.close()
    }

    @Test func companionHelloWithoutBrowserAndOSIsABadRequest() {
        #expect(SimWorld.isBrowserAndOS("Chrome (Linux)"))
        #expect(!SimWorld.isBrowserAndOS("Chrome"))
        #expect(!SimWorld.isBrowserAndOS("(Linux)"))
        #expect(!SimWorld.isBrowserAndOS("Chrome ()"))
    }

    @Test func qrTextParsesInBothFormsAndRefusesMalformedText() throws {
        let companion = LinkingCompanion()
        let current = try PairingQRCode(parsing: companion.qrText(ref: "2@abc"))
        #expect(current.ref == "2@abc" && current.platformID == "9")
        #expect(current.identityKey == companion.identity.publicKey.rawRepresentation)
        let legacy = try PairingQRCode(parsing: companion.qrText(ref: "2@abc", legacy: true))
        #expect(legacy.platformID == nil && legacy.advSecret == companion.advSecret)
        #expect(throws: PairingQRCode.ParseError.wrongFieldCount(3)) { try PairingQRCode(parsing: "a,b,c") }
        #expect(throws: PairingQRCode.ParseError.badKey("noise key")) {
            try PairingQRCode(parsing: PairingQRCode.prefix + "ref,AAAA,b,c,9")
        }
        #expect(throws: PairingQRCode.ParseError.tooLong) { try PairingQRCode(parsing: String(repeating: "a", count: 2000)) }
    }

    @Test func pairDeviceAckIsRecognisedByItsFullShape() {
        let server = BinaryNode.AttributeValue.jid(JID.serverJID)
        #expect(SimSession.isPairDeviceAck(BinaryNode(tag: "iq", attributes: ["id": "pd-1", "to": server, "type": "result"]), id: "pd-1"))
        #expect(!SimSession.isPairDeviceAck(BinaryNode(tag: "iq", attributes: ["id": "pd-1", "type": "result"]), id: "pd-1"))
        #expect(!SimSession.isPairDeviceAck(BinaryNode(tag: "iq", attributes: ["id": "pd-1", "to": server, "type": "error"]), id: "pd-1"))
        #expect(!SimSession.isPairDeviceAck(BinaryNode(tag: "iq", attributes: ["id": "pd-2", "to": server, "type": "result"]), id: "pd-1"))
        #expect(
            !SimSession.isPairDeviceAck(
                BinaryNode(tag: "iq", attributes: ["id": "pd-1", "to": server, "type": "result"], children: [BinaryNode(tag: "x")]),
                id: "pd-1"))
    }
}
