import CSodium
import Testing
@testable import SignalProtocol
@testable import WACore

/// The only hand-written field arithmetic: shown correct against libsodium's independent Ed → Mont map.
@Suite struct FieldElement25519Tests {
    @Test func inverseTimesElementIsOne() {
        var generator = SeededGenerator(seed: 6)
        for _ in 0..<100 {
            let element = FieldElement25519(bytes: generator.bytes(32))
            guard element.bytes != FieldElement25519.zero.bytes else { continue }
            #expect((element * element.inverse).bytes == FieldElement25519.one.bytes)
        }
    }

    @Test func inverseOfSmallValuesMatchesKnownAnswers() {
        // 2^-1 mod p = (p + 1) / 2 = 2^254 − 9.
        var two = [UInt8](repeating: 0, count: 32)
        two[0] = 2
        var half = [UInt8](repeating: 0xFF, count: 32)
        half[0] = 0xF7
        half[31] = 0x3F
        #expect(FieldElement25519(bytes: two).inverse.bytes == half)
        #expect(FieldElement25519.one.inverse.bytes == FieldElement25519.one.bytes)
        #expect(FieldElement25519.zero.inverse.bytes == FieldElement25519.zero.bytes)
    }

    @Test func encodingIsCanonicalForValuesAtOrAboveP() {
        // p = 2^255 − 19 encodes as zero; p + 1 as one.
        var p = [UInt8](repeating: 0xFF, count: 32)
        p[0] = 0xED
        p[31] = 0x7F
        #expect(FieldElement25519(bytes: p).bytes == FieldElement25519.zero.bytes)
        p[0] = 0xEE
        #expect(FieldElement25519(bytes: p).bytes == FieldElement25519.one.bytes)
    }

    @Test func largestElementsMultiplyWithoutLosingCarries() {
        // (p − 1)² = 1, (p − 1)·2 = p − 2, and (2^255 − 1) reads as 18 (non-canonical input).
        var minusOne = [UInt8](repeating: 0xFF, count: 32)
        minusOne[0] = 0xEC
        minusOne[31] = 0x7F
        let element = FieldElement25519(bytes: minusOne)
        #expect((element * element).bytes == FieldElement25519.one.bytes)
        var minusTwo = minusOne
        minusTwo[0] = 0xEB
        #expect((element + element).bytes == minusTwo)
        #expect((FieldElement25519.zero - FieldElement25519.one).bytes == minusOne)
        var top = [UInt8](repeating: 0xFF, count: 32)
        top[31] = 0x7F
        var eighteen = [UInt8](repeating: 0, count: 32)
        eighteen[0] = 18
        #expect(FieldElement25519(bytes: top).bytes == eighteen)
    }

    @Test func montgomeryToEdwardsInvertsLibsodiumEdwardsToMontgomery() {
        #expect(sodium_init() >= 0)
        for _ in 0..<200 {
            var edwards = [UInt8](repeating: 0, count: 32)
            var secret = [UInt8](repeating: 0, count: 64)
            _ = crypto_sign_keypair(&edwards, &secret)
            var montgomery = [UInt8](repeating: 0, count: 32)
            #expect(crypto_sign_ed25519_pk_to_curve25519(&montgomery, edwards) == 0)
            var expectedY = edwards
            expectedY[31] &= 0x7F
            #expect(FieldElement25519.edwardsY(fromMontgomeryU: montgomery) == expectedY)
        }
    }
}
