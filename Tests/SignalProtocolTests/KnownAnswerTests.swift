import Testing
@testable import SignalProtocol

/// Signal v3 known-answer vectors (docs/protocol/upper.md §11.1, from libsignal-protocol-java's tests).
@Suite struct KnownAnswerTests {
    @Test func chainKeyDerivationMatchesV3Vector() {
        let chainKey = ChainKey(key: hex("8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f"), index: 0)
        let keys = chainKey.messageKeys()
        #expect(hexString(keys.cipherKey) == "bf51e9d75e0e31031051f82a2491ffc084fa298b7793bd9db620056febf45217")
        #expect(hexString(keys.macKey) == "c6c77d6a73a354337a56435e34607dfe48e3ace14e77314dc6abc172e7a7030b")
        #expect(hexString(keys.iv) == "afa8207986b692a116d4b40bbff72d6c")
        #expect(keys.counter == 0)
        let next = chainKey.next()
        #expect(next.map { hexString($0.key) } == "28e8f8fee54b801eef7c5cfb2f17f32c7b334485bbb70fac6ec10342a246d15d")
        #expect(next?.index == 1)
    }

    @Test func responderX3DHMatchesBobVector() throws {
        let (rootKey, chainKey) = try X3DH.responderSecrets(
            ourIdentity: Curve25519PrivateKey(rawRepresentation: hex("4875cc69ddf8ea0719ec947d61081135868d5fd801f02c0225e516df2156605e")),
            ourSignedPreKey: Curve25519PrivateKey(rawRepresentation: hex("583900131fb727998b7803fe6ac22cc591f342e4e42a8c8d5d78194209b8d253")),
            ourOneTimePreKey: nil,
            theirIdentity: Curve25519PublicKey(serialized: hex("05b4a8455660ada65b401007f615e654041746432e3339c6875149bceefcb42b4a")),
            theirBaseKey: Curve25519PublicKey(serialized: hex("05472d1fb1a9862c3af6beaca8920277e2b26f4a79213ec7c906aeb35e03cf8950")))
        #expect(hexString(chainKey.key) == "9797caca53c989bbe229a40ca7727010eb2604fc14945d77958a0aeda088b44d")
        #expect(hexString(rootKey.key) == "3e6130d0a8c8e5b8ad65eb8b7d95fa3ab84710d48d92f34dcda43f9909261bca")
    }

    @Test func initiatorX3DHMatchesAliceVectorWithClampedKeys() throws {
        let (_, chainKey) = try X3DH.initiatorSecrets(
            ourIdentity: Curve25519PrivateKey(rawRepresentation: hex("9040f0d4e09cf38f6dc7c13779c908c015a1da4fa78737a080eb0a6f4f5f8f58")),
            ourBaseKey: Curve25519PrivateKey(rawRepresentation: hex("11ae7c64d1e61cd596b76a0db5012673391cae66edbfcf073b4da80516a47449")),
            theirIdentity: Curve25519PublicKey(serialized: hex("05f1f43874f6966956c2dd473f8fa15adeb71d1cb991b2341692324cefb1c5e626")),
            theirSignedPreKey: Curve25519PublicKey(serialized: hex("05ac248a8f263be6863576eb0362e28c828f0107a3379d34bab1586bf8c770cd67")),
            theirOneTimePreKey: nil)
        #expect(hexString(chainKey.key) == "ab9be50e5cb22a925446ab90ee5670545f4fd32902459ec274b6ad0ae5d6031a")
    }

    @Test func bothSidesOfX3DHAgreeWithAndWithoutOneTimePreKey() throws {
        var random = SeededGenerator(seed: 50)
        for useOneTime in [false, true] {
            let aliceIdentity = Curve25519KeyPair(using: &random), aliceBase = Curve25519KeyPair(using: &random)
            let bobIdentity = Curve25519KeyPair(using: &random), bobSigned = Curve25519KeyPair(using: &random)
            let bobOneTime = Curve25519KeyPair(using: &random)
            let alice = try X3DH.initiatorSecrets(
                ourIdentity: aliceIdentity.privateKey, ourBaseKey: aliceBase.privateKey,
                theirIdentity: bobIdentity.publicKey, theirSignedPreKey: bobSigned.publicKey,
                theirOneTimePreKey: useOneTime ? bobOneTime.publicKey : nil)
            let bob = try X3DH.responderSecrets(
                ourIdentity: bobIdentity.privateKey, ourSignedPreKey: bobSigned.privateKey,
                ourOneTimePreKey: useOneTime ? bobOneTime.privateKey : nil, theirIdentity: aliceIdentity.publicKey,
                theirBaseKey: aliceBase.publicKey)
            #expect(alice.0 == bob.0 && alice.1 == bob.1)
        }
    }

    @Test func signalMessageIsCanonicallyEncodedWithCountersAlwaysPresent() throws {
        var random = SeededGenerator(seed: 51)
        let ratchet = Curve25519KeyPair(using: &random)
        let message = SignalMessage(
            macKey: [UInt8](repeating: 1, count: 32), ratchetKey: ratchet.publicKey, counter: 0, previousCounter: 0,
            ciphertext: [UInt8](repeating: 0xAB, count: 16), senderIdentity: ratchet.publicKey,
            receiverIdentity: ratchet.publicKey)
        // 0x33 | 0a 21 <33 key> | 10 00 | 18 00 | 22 10 <16> | MAC(8)
        let bytes = message.serialized
        #expect(bytes.count == 1 + 35 + 2 + 2 + 18 + 8)
        #expect(bytes[0] == 0x33)
        #expect(Array(bytes[1...2]) == [0x0A, 0x21])
        #expect(Array(bytes[36...39]) == [0x10, 0x00, 0x18, 0x00])
        #expect(Array(bytes[40...41]) == [0x22, 0x10])
        let parsed = try SignalMessage(serialized: bytes)
        #expect(parsed == message)
        #expect(parsed.verifyMAC(senderIdentity: ratchet.publicKey, receiverIdentity: ratchet.publicKey, macKey: [UInt8](repeating: 1, count: 32)))
    }
}
