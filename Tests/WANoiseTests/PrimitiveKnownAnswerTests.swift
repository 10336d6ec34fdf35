import Testing
@testable import WANoise

/// Known-answer tests for the primitives under Noise: HKDF (RFC 5869), X25519 (RFC 7748), AES-256-GCM
/// (McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 14 and 16, as NIST lists them).
@Suite struct PrimitiveKnownAnswerTests {
    struct HKDFCase: Sendable {
        let name: String, ikm: String, salt: String, info: String, length: Int, prk: String, okm: String
    }

    static let hkdfCases = [
        HKDFCase(
            name: "RFC 5869 A.1", ikm: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", salt: "000102030405060708090a0b0c",
            info: "f0f1f2f3f4f5f6f7f8f9", length: 42,
            prk: "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
            okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
        HKDFCase(
            name: "RFC 5869 A.2",
            ikm: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
            salt: "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
            info: "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
            length: 82, prk: "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
            okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"),
        HKDFCase(
            name: "RFC 5869 A.3", ikm: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", salt: "", info: "", length: 42,
            prk: "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
            okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
    ]

    @Test(arguments: hkdfCases) func hkdfMatchesRFC5869(_ testCase: HKDFCase) {
        let prk = NoiseHKDF.extract(salt: [UInt8](hex: testCase.salt), inputKeyMaterial: [UInt8](hex: testCase.ikm))
        #expect(prk.hex == testCase.prk, "\(testCase.name) PRK")
        let okm = NoiseHKDF.expand(pseudoRandomKey: prk, info: [UInt8](hex: testCase.info), outputByteCount: testCase.length)
        #expect(okm.hex == testCase.okm, "\(testCase.name) OKM")
    }

    @Test func noiseHKDFWithZeroChainingKeyEqualsRFC5869EmptySalt() {
        // Noise §4.3 HKDF is RFC 5869 with salt = ck and empty info; a 32-byte zero key is HMAC's empty key.
        let (first, second) = NoiseHKDF.deriveTwo(
            chainingKey: [UInt8](repeating: 0, count: 32), inputKeyMaterial: [UInt8](hex: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"))
        #expect((first + second).prefix(42).elementsEqual([UInt8](hex: Self.hkdfCases[2].okm)))
    }

    @Test func x25519MatchesRFC7748Section6_1() throws {
        let alice = try NoiseKeyPair(privateKey: [UInt8](hex: "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
        let bob = try NoiseKeyPair(privateKey: [UInt8](hex: "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
        #expect(alice.publicKey.hex == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        #expect(bob.publicKey.hex == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
        let shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
        #expect(try alice.dh(bob.publicKey).hex == shared)
        #expect(try bob.dh(alice.publicKey).hex == shared)
    }

    @Test func x25519RejectsLowOrderPublicKey() throws {
        let alice = try NoiseKeyPair(privateKey: [UInt8](hex: "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
        #expect(throws: NoiseError.invalidPublicKey) { try alice.dh([UInt8](repeating: 0, count: 32)) }
        #expect(throws: NoiseError.invalidKeyLength(expected: 32, actual: 31)) { try alice.dh([UInt8](repeating: 9, count: 31)) }
    }

    @Test func aesGCMMatchesGCMSpecTestCase14() throws {
        // K = 0^256, IV = 0^96, P = 0^128: nonce 0 in Noise's layout is the all-zero IV.
        var cipher = NoiseCipherState(key: [UInt8](repeating: 0, count: 32))
        let out = try cipher.encryptWithAd([], plaintext: [UInt8](repeating: 0, count: 16))
        #expect(out.hex == "cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919")
    }

    @Test func aesGCMMatchesGCMSpecTestCase16() throws {
        // The IV here is not of Noise's form, so this checks the AES-GCM primitive the cipher state is built on.
        let key = [UInt8](hex: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
        let plaintext = [UInt8](hex: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
        let ad = [UInt8](hex: "feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let out = try AESGCMPrimitive.seal(key: key, nonce: [UInt8](hex: "cafebabefacedbaddecaf888"), ad: ad, plaintext: plaintext)
        #expect(out.hex == "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b")
    }

    @Test func noiseNonceIsFourZeroBytesThenBigEndianCounter() {
        #expect(NoiseCipherState.nonceBytes(0x0102_0304).hex == "000000000000000001020304")
        // For n < 2^32 this equals WhatsApp's 8 zero bytes ‖ uint32 BE.
        #expect(NoiseCipherState.nonceBytes(1).hex == "000000000000000000000001")
    }
}
