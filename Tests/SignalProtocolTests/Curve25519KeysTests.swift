import Testing
@testable import SignalProtocol

@Suite struct Curve25519KeysTests {
    // docs/protocol/upper.md §11.1, Curve25519Test.testAgreement.
    let alicePrivate = hex("c806439dc9d2c476ffed8f2580c0888d58ab406bf7ae3698879021b96bb4bf59")
    let alicePublic = hex("051bb75966f2e93a3691dfff942bb2a466a1c08b8d78ca3f4d6df8b8bfa2e4ee28")
    let bobPrivate = hex("b03b34c33a1c44f225b662d2bf4859b8135411fa7b0386d45fb75dc5b91b4466")
    let bobPublic = hex("05653614993d2b15ee9e5fd3d86ce719ef4ec1daae1886a87b3f5fa9565a27a22f")
    let shared = hex("325f239328941ced6e673b86ba41017448e99b649a9c3806c1dd7ca4c477e629")

    @Test func publicKeyMatchesKnownAnswer() throws {
        #expect(try Curve25519PrivateKey(rawRepresentation: alicePrivate).publicKey.serialized == alicePublic)
        #expect(try Curve25519PrivateKey(rawRepresentation: bobPrivate).publicKey.serialized == bobPublic)
    }

    @Test func agreementMatchesKnownAnswerFromBothSides() throws {
        let alice = try Curve25519PrivateKey(rawRepresentation: alicePrivate)
        let bob = try Curve25519PrivateKey(rawRepresentation: bobPrivate)
        #expect(try alice.sharedSecret(with: Curve25519PublicKey(serialized: bobPublic)) == shared)
        #expect(try bob.sharedSecret(with: Curve25519PublicKey(serialized: alicePublic)) == shared)
    }

    @Test func privateKeyIsClamped() throws {
        let key = try Curve25519PrivateKey(rawRepresentation: [UInt8](repeating: 0xFF, count: 32))
        #expect(key.rawRepresentation[0] == 0xF8)
        #expect(key.rawRepresentation[31] == 0x7F)
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<50 {
            let raw = Curve25519PrivateKey(using: &generator).rawRepresentation
            #expect(raw[0] & 7 == 0 && raw[31] & 0x80 == 0 && raw[31] & 0x40 != 0)
        }
    }

    @Test func serializedKeyWithoutDJBTypeIsRejected() {
        var bytes = alicePublic
        bytes[0] = 0x06
        #expect(throws: SignalError.badKeyType(0x06)) { try Curve25519PublicKey(serialized: bytes) }
    }

    @Test func keysOfWrongLengthAreRejected() {
        #expect(throws: SignalError.invalidKeyLength(expected: 33, actual: 32)) {
            try Curve25519PublicKey(serialized: [UInt8](repeating: 5, count: 32))
        }
        #expect(throws: SignalError.invalidKeyLength(expected: 33, actual: 0)) {
            try Curve25519PublicKey(serialized: [])
        }
        #expect(throws: SignalError.invalidKeyLength(expected: 32, actual: 31)) {
            try Curve25519PublicKey(rawRepresentation: [UInt8](repeating: 5, count: 31))
        }
        #expect(throws: SignalError.invalidKeyLength(expected: 32, actual: 33)) {
            try Curve25519PrivateKey(rawRepresentation: [UInt8](repeating: 5, count: 33))
        }
    }

    @Test func agreementWithSmallOrderPointIsRejected() throws {
        let alice = try Curve25519PrivateKey(rawRepresentation: alicePrivate)
        let zeroPoint = try Curve25519PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32))
        #expect(throws: SignalError.invalidAgreement) { try alice.sharedSecret(with: zeroPoint) }
    }

    @Test func serializationRoundTrips() throws {
        var generator = SeededGenerator(seed: 2)
        for _ in 0..<20 {
            let pair = Curve25519KeyPair(using: &generator)
            #expect(try Curve25519PublicKey(serialized: pair.publicKey.serialized) == pair.publicKey)
            #expect(pair.publicKey.serialized.count == 33 && pair.publicKey.serialized[0] == 0x05)
        }
    }
}
