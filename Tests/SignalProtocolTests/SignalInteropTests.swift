import Testing
@testable import SignalProtocol

/// Interop with python-axolotl 0.2.3 (an independent Signal v3 implementation; docs/test-oracles.md §3).
@Suite(.serialized, .enabled(if: AxolotlPeer.venv != nil, AxolotlPeer.skipReason))
struct SignalInteropTests {
    let pythonAddress = SignalAddress(name: "python", deviceID: 1)

    /// Swift side with a session to python built from python's bundle.
    func swiftInitiates(_ peer: AxolotlPeer, random: inout SeededGenerator, withPreKey: Bool = true) throws -> Party {
        let swift = Party(name: "swift", seed: 1, random: &random)
        let bundle = try peer.call("bundle", ["withPreKey": withPreKey])
        try SessionBuilder.processBundle(
            PreKeyBundle(
                registrationID: bundle.uint32("registrationId"), deviceID: 1,
                preKeyID: withPreKey ? bundle.uint32("preKeyId") : nil,
                preKey: withPreKey ? try Curve25519PublicKey(serialized: bundle.bytes("preKey")) : nil,
                signedPreKeyID: bundle.uint32("signedPreKeyId"),
                signedPreKey: try Curve25519PublicKey(serialized: bundle.bytes("signedPreKey")),
                signedPreKeySignature: bundle.bytes("signedPreKeySignature"),
                identityKey: try Curve25519PublicKey(serialized: bundle.bytes("identityKey"))),
            for: pythonAddress, store: swift.store, using: &random)
        return swift
    }

    func sendToPython(_ ciphertext: CiphertextMessage, _ peer: AxolotlPeer) throws -> [UInt8] {
        let type: String
        switch ciphertext {
        case .signal: type = "msg"
        case .preKeySignal: type = "pkmsg"
        }
        return try peer.call("decrypt", ["type": type, "body": hexString(ciphertext.serialized)]).bytes("plaintext")
    }

    func receiveFromPython(
        _ reply: [String: Any], _ cipher: SessionCipher<InMemorySignalStore>, random: inout SeededGenerator
    ) throws -> [UInt8] {
        if reply["type"] as? String == "pkmsg" {
            return try cipher.decrypt(PreKeySignalMessage(serialized: reply.bytes("body")), using: &random).plaintext
        }
        return try cipher.decrypt(SignalMessage(serialized: reply.bytes("body")), using: &random).plaintext
    }

    @Test(arguments: [true, false]) func swiftStartsAndPythonAnswers(withPreKey: Bool) throws {
        let peer = try AxolotlPeer()
        var random = SeededGenerator(seed: 100)
        let swift = try swiftInitiates(peer, random: &random, withPreKey: withPreKey)
        let cipher = SessionCipher(store: swift.store, address: pythonAddress)
        for round in 0..<20 {
            for index in 0..<(1 + round % 3) {
                let text = Array("swift \(round).\(index)".utf8)
                #expect(try sendToPython(try cipher.encrypt(text), peer) == text)
            }
            for index in 0..<(1 + round % 2) {
                let text = Array("python \(round).\(index)".utf8)
                let reply = try peer.call("encrypt", ["plaintext": hexString(text)])
                #expect(try receiveFromPython(reply, cipher, random: &random) == text)
            }
        }
    }

    @Test func pythonStartsAndSwiftAnswers() throws {
        let peer = try AxolotlPeer()
        var random = SeededGenerator(seed: 101)
        let swift = Party(name: "swift", seed: 1, random: &random)
        let bundle = swift.bundle(preKeyIndex: 3)
        try peer.call("process_bundle", [
            "registrationId": Int(bundle.registrationID), "preKeyId": Int(bundle.preKeyID ?? 0),
            "preKey": hexString(bundle.preKey?.serialized ?? []), "signedPreKeyId": Int(bundle.signedPreKeyID),
            "signedPreKey": hexString(bundle.signedPreKey.serialized),
            "signedPreKeySignature": hexString(bundle.signedPreKeySignature),
            "identityKey": hexString(bundle.identityKey.serialized),
        ])
        let cipher = SessionCipher(store: swift.store, address: pythonAddress)
        for round in 0..<20 {
            for index in 0..<(1 + round % 2) {
                let text = Array("python \(round).\(index)".utf8)
                let reply = try peer.call("encrypt", ["plaintext": hexString(text)])
                #expect((reply["type"] as? String) == (round == 0 ? "pkmsg" : "msg"))
                #expect(try receiveFromPython(reply, cipher, random: &random) == text)
            }
            let text = Array("swift \(round)".utf8)
            #expect(try sendToPython(try cipher.encrypt(text), peer) == text)
        }
        #expect(swift.store.loadPreKey(id: swift.preKeys[3].id) == nil)
    }

    @Test func outOfOrderDeliveryAcrossTheBoundary() throws {
        let peer = try AxolotlPeer()
        var random = SeededGenerator(seed: 102)
        let swift = try swiftInitiates(peer, random: &random)
        let cipher = SessionCipher(store: swift.store, address: pythonAddress)
        #expect(try sendToPython(try cipher.encrypt([0]), peer) == [0])
        // Python sends 8, Swift answers once (python ratchets on receipt), python sends 8 more.
        var fromPython: [([String: Any], [UInt8])] = []
        for index in 0..<8 { fromPython.append((try peer.call("encrypt", ["plaintext": hexString([1, UInt8(index)])]), [1, UInt8(index)])) }
        var toPython: [(CiphertextMessage, [UInt8])] = []
        for index in 0..<8 { toPython.append((try cipher.encrypt([2, UInt8(index)]), [2, UInt8(index)])) }
        toPython.shuffle(using: &random)
        for (ciphertext, text) in toPython { #expect(try sendToPython(ciphertext, peer) == text) }
        for index in 0..<8 { fromPython.append((try peer.call("encrypt", ["plaintext": hexString([3, UInt8(index)])]), [3, UInt8(index)])) }
        fromPython.shuffle(using: &random)
        for (reply, text) in fromPython { #expect(try receiveFromPython(reply, cipher, random: &random) == text) }
    }

    @Test func duplicateFromPythonIsRejected() throws {
        let peer = try AxolotlPeer()
        var random = SeededGenerator(seed: 103)
        let swift = try swiftInitiates(peer, random: &random)
        let cipher = SessionCipher(store: swift.store, address: pythonAddress)
        _ = try sendToPython(try cipher.encrypt([0]), peer)
        let reply = try peer.call("encrypt", ["plaintext": "01"])
        #expect(try receiveFromPython(reply, cipher, random: &random) == [1])
        #expect(throws: SignalError.self) { try receiveFromPython(reply, cipher, random: &random) }
        // And python rejects a Swift message replayed to it.
        let message = try cipher.encrypt([2])
        #expect(try sendToPython(message, peer) == [2])
        #expect(throws: AxolotlPeer.Failure.self) { try sendToPython(message, peer) }
    }

    @Test func senderKeyGroupMessagesBothWays() throws {
        let peer = try AxolotlPeer()
        var random = SeededGenerator(seed: 104)
        let swift = Party(name: "swift", seed: 1, random: &random)
        let group = "120363000000000001@g.us"
        // Python → Swift.
        let pythonName = SenderKeyName(groupID: group, sender: pythonAddress)
        let pythonSKDM = try peer.call("group_create", ["group": group, "sender": "python"])
        let receiving = GroupCipher(store: swift.store, name: pythonName)
        try receiving.process(SenderKeyDistributionMessage(serialized: pythonSKDM.bytes("body")))
        var fromPython: [([UInt8], [UInt8])] = []
        for index in 0..<10 {
            let text = Array("py group \(index)".utf8)
            fromPython.append((try peer.call("group_encrypt", ["group": group, "sender": "python", "plaintext": hexString(text)]).bytes("body"), text))
        }
        fromPython.swapAt(2, 7)
        for (body, text) in fromPython { #expect(try receiving.decrypt(SenderKeyMessage(serialized: body)) == text) }
        // Swift → Python.
        let swiftName = SenderKeyName(groupID: group, sender: swift.address)
        let sending = GroupCipher(store: swift.store, name: swiftName)
        let distribution = try sending.distributionMessage(using: &random)
        try peer.call("group_process", ["group": group, "sender": "swift", "body": hexString(distribution.serialized)])
        var toPython: [(SenderKeyMessage, [UInt8])] = []
        for index in 0..<10 {
            let text = Array("swift group \(index)".utf8)
            toPython.append((try sending.encrypt(text, using: &random), text))
        }
        toPython.swapAt(0, 9)
        for (message, text) in toPython {
            let reply = try peer.call("group_decrypt", ["group": group, "sender": "swift", "body": hexString(message.serialized)])
            #expect(reply.bytes("plaintext") == text)
        }
    }

    @Test func signaturesVerifyOnTheOtherSide() throws {
        let peer = try AxolotlPeer()
        var random = SeededGenerator(seed: 105)
        for length in [0, 1, 32, 33, 100, 1000] {
            let pair = Curve25519KeyPair(using: &random)
            let message = random.bytes(length)
            // Same key material on both sides.
            let pythonPublic = try peer.call("public_key", ["privateKey": hexString(pair.privateKey.rawRepresentation)])
            #expect(pythonPublic.bytes("publicKey") == pair.publicKey.rawRepresentation)
            let ours = XEdDSA.sign(message: message, privateKey: pair.privateKey, random: random.bytes(64))
            let verdict = try peer.call("verify", [
                "publicKey": hexString(pair.publicKey.rawRepresentation), "message": hexString(message),
                "signature": hexString(ours),
            ])
            #expect(verdict["valid"] as? Bool == true)
            let theirs = try peer.call("sign", [
                "privateKey": hexString(pair.privateKey.rawRepresentation), "message": hexString(message),
                "random": hexString(random.bytes(64)),
            ]).bytes("signature")
            #expect(XEdDSA.verify(signature: theirs, message: message, publicKey: pair.publicKey))
            var tampered = ours
            tampered[10] ^= 4
            let rejected = try peer.call("verify", [
                "publicKey": hexString(pair.publicKey.rawRepresentation), "message": hexString(message),
                "signature": hexString(tampered),
            ])
            #expect(rejected["valid"] as? Bool == false)
        }
    }

    @Test func agreementMatchesOnBothSides() throws {
        let peer = try AxolotlPeer()
        var random = SeededGenerator(seed: 106)
        for _ in 0..<10 {
            let ours = Curve25519KeyPair(using: &random), theirs = Curve25519KeyPair(using: &random)
            let shared = try peer.call("agreement", [
                "privateKey": hexString(ours.privateKey.rawRepresentation), "publicKey": hexString(theirs.publicKey.rawRepresentation),
            ]).bytes("shared")
            #expect(try ours.privateKey.sharedSecret(with: theirs.publicKey) == shared)
        }
    }
}
