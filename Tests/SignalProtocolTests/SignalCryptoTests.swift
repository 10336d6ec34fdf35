import Testing
@testable import SignalProtocol

/// The symmetric primitives under the ratchet: our keyed HMAC, HKDF over it, and the PKCS#7 padding around
/// AES-256-CBC (docs/protocol/upper.md §1.6–§1.8).
@Suite struct SignalCryptoTests {
    @Test func hmacMatchesRFC4231ForShortAndLongerThanBlockKeys() {
        // RFC 4231 test case 2 (key shorter than a block) and 6 (131-byte key, hashed first).
        #expect(
            hexString(SignalCrypto.hmacSHA256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            hexString(
                SignalCrypto.hmacSHA256(
                    key: [UInt8](repeating: 0xAA, count: 131),
                    data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func oneKeyedHMACGivesTheSameCodesAsFreshOnes() {
        let key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        let mac = HMACSHA256(key: key)
        for input: [UInt8] in [[0x01], [0x02], [], [UInt8](repeating: 7, count: 200)] {
            #expect(mac.code(input) == SignalCrypto.hmacSHA256(key: key, data: input))
        }
        #expect(SignalCrypto.hmacSHA256(key: key, parts: [[1, 2], [], [3]]) == mac.code([1, 2, 3]))
    }

    @Test func singleUseCodeEqualsTheKeyedCode() {
        var random = SeededGenerator(seed: 12)
        for keyLength in [0, 20, 32, 64] {
            let key = random.bytes(keyLength)
            for dataLength in [0, 1, 66, 200] {
                let data = random.bytes(dataLength)
                var code = [UInt8](repeating: 0, count: 32)
                key.withUnsafeBytes { key in
                    code.withUnsafeMutableBytes { output in
                        HMACSHA256.code(
                            key: key, count: data.count, filledBy: { fill in data.withUnsafeBytes { fill.copyMemory(from: $0) } },
                            into: output)
                    }
                }
                #expect(code == HMACSHA256(key: key).code(data))
            }
        }
    }

    @Test func hkdfMatchesRFC5869() {
        // Test case 1 (two and a half blocks of output) and test case 3 (empty salt and info).
        let ikm = [UInt8](repeating: 0x0B, count: 22)
        #expect(
            hexString(
                SignalCrypto.hkdf(
                    inputKeyMaterial: ikm, salt: hex("000102030405060708090a0b0c"), info: hex("f0f1f2f3f4f5f6f7f8f9"),
                    outputByteCount: 42))
                == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
        #expect(
            hexString(SignalCrypto.hkdf(inputKeyMaterial: ikm, salt: [], info: [], outputByteCount: 42))
                == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }

    @Test func precomputedZeroSaltEqualsThirtyTwoZeroBytes() {
        let ikm = hex("8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f")
        let info = Array("WhisperMessageKeys".utf8)
        #expect(
            SignalCrypto.hkdf(inputKeyMaterial: ikm, salt: SignalCrypto.zeroSalt, info: info, outputByteCount: 80)
                == SignalCrypto.hkdf(
                    inputKeyMaterial: ikm, salt: [UInt8](repeating: 0, count: 32), info: info, outputByteCount: 80))
    }

    @Test func cbcRoundTripsEveryLengthAroundTheBlockSize() throws {
        let key = [UInt8](repeating: 0x42, count: 32), iv = [UInt8](repeating: 0x24, count: 16)
        for length in 0...33 {
            let plaintext = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37) }
            let ciphertext = try SignalCrypto.aesCBCEncrypt(plaintext, key: key, iv: iv)
            #expect(ciphertext.count == (length / 16 + 1) * 16)
            #expect(try SignalCrypto.aesCBCDecrypt(ciphertext, key: key, iv: iv) == plaintext)
        }
    }

    @Test func malformedPKCS7PaddingIsRejected() {
        func unpad(_ lastBlock: [UInt8]) -> [UInt8]? {
            var bytes = [UInt8](repeating: 9, count: 16) + lastBlock
            return SignalCrypto.removePKCS7Padding(&bytes) == nil ? nil : bytes
        }
        #expect(unpad([UInt8](repeating: 0, count: 16)) == nil)  // padding 0
        #expect(unpad([UInt8](repeating: 17, count: 16)) == nil)  // longer than a block
        #expect(unpad([UInt8](repeating: 1, count: 13) + [2, 3, 3]) == nil)  // a padding byte differs
        #expect(unpad([UInt8](repeating: 5, count: 13) + [3, 3, 3]) == [UInt8](repeating: 9, count: 16) + [UInt8](repeating: 5, count: 13))
        #expect(unpad([UInt8](repeating: 16, count: 16)) == [UInt8](repeating: 9, count: 16))
        var short: [UInt8] = [1]
        #expect(SignalCrypto.removePKCS7Padding(&short) == nil)
    }
}
