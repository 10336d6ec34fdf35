import Testing
@testable import SignalProtocol

@Suite struct KeyHelperTests {
    @Test func signedPreKeySignatureCoversSerializedPublicKey() {
        var random = SeededGenerator(seed: 80)
        let identity = KeyHelper.generateIdentityKeyPair(using: &random)
        let signed = KeyHelper.generateSignedPreKey(identityKeyPair: identity, id: 1, timestamp: 0, using: &random)
        #expect(XEdDSA.verify(signature: signed.signature, message: signed.keyPair.publicKey.serialized, publicKey: identity.publicKey))
        #expect(!XEdDSA.verify(signature: signed.signature, message: signed.keyPair.publicKey.rawRepresentation, publicKey: identity.publicKey))
    }

    @Test func preKeyIDsAreConsecutiveAndNeverZero() {
        var random = SeededGenerator(seed: 81)
        let batch = KeyHelper.generatePreKeys(start: 1, count: 812, using: &random)
        #expect(batch.map(\.id) == Array(1...812))
        let wrapped = KeyHelper.generatePreKeys(start: 0xFF_FFFE, count: 4, using: &random)
        #expect(wrapped.map(\.id) == [0xFF_FFFE, 0xFF_FFFF, 1, 2])
        #expect(KeyHelper.generatePreKeys(start: 0, count: 1, using: &random).first?.id == 1)
        #expect(Set(batch.map(\.keyPair.publicKey)).count == 812)
    }

    @Test func registrationIDsStayInFourteenBitsAndAreNeverZero() {
        var random = SeededGenerator(seed: 82)
        for _ in 0..<1000 {
            let id = KeyHelper.generateRegistrationID(using: &random)
            #expect((1...16380).contains(id))
        }
    }
}
