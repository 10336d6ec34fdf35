import Testing
@testable import WANoise

/// The transport phase after split (Noise §5.1–5.2; docs/protocol/lower.md §2.6).
@Suite struct NoiseTransportTests {
    static let key = [UInt8](repeating: 0x42, count: 32)

    @Test func countersAdvancePerDirectionIndependently() throws {
        var alice = NoiseTransport(
            sender: NoiseCipherState(key: Self.key, maximumNonce: NoiseRules.whatsApp.maximumNonce),
            receiver: NoiseCipherState(key: [UInt8](repeating: 7, count: 32), maximumNonce: NoiseRules.whatsApp.maximumNonce))
        var bob = NoiseTransport(
            sender: NoiseCipherState(key: [UInt8](repeating: 7, count: 32), maximumNonce: NoiseRules.whatsApp.maximumNonce),
            receiver: NoiseCipherState(key: Self.key, maximumNonce: NoiseRules.whatsApp.maximumNonce))
        for index in 0..<5 {
            #expect(try bob.decrypt(try alice.encrypt([UInt8(index)])) == [UInt8(index)])
        }
        #expect(try alice.decrypt(try bob.encrypt([9])) == [9])
        #expect(alice.sender.nonce == 5)
        #expect(alice.receiver.nonce == 1)
    }

    @Test func frameUsesEmptyADAndNonceOfItsCounter() throws {
        var transport = NoiseTransport(
            sender: NoiseCipherState(key: Self.key, maximumNonce: NoiseRules.whatsApp.maximumNonce),
            receiver: NoiseCipherState(key: Self.key, maximumNonce: NoiseRules.whatsApp.maximumNonce))
        _ = try transport.encrypt([1])
        let second = try transport.encrypt([2, 3])
        // IV(1) = 8 zero bytes ‖ 00 00 00 01, AD empty.
        let expected = try AESGCMPrimitive.seal(key: Self.key, nonce: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], ad: [], plaintext: [2, 3])
        #expect(second == expected)
    }

    @Test func counterThatWouldWrapClosesWithNonceExhausted() throws {
        let last = UInt64(UInt32.max)
        var sender = NoiseCipherState(key: Self.key, nonce: last, maximumNonce: last)
        var receiver = NoiseCipherState(key: Self.key, nonce: last, maximumNonce: last)
        let ciphertext = try sender.encryptWithAd([], plaintext: [1])
        #expect(try receiver.decryptWithAd([], ciphertext: ciphertext) == [1])
        #expect(throws: NoiseError.nonceExhausted) { try sender.encryptWithAd([], plaintext: [1]) }
        #expect(throws: NoiseError.nonceExhausted) { try receiver.decryptWithAd([], ciphertext: ciphertext) }
    }

    @Test func tamperedFrameFailsAndLeavesCounterUnchanged() throws {
        var sender = NoiseCipherState(key: Self.key)
        var receiver = NoiseCipherState(key: Self.key)
        var ciphertext = try sender.encryptWithAd([], plaintext: [1, 2, 3])
        ciphertext[0] ^= 0x80
        #expect(throws: NoiseError.decryptionFailed) { try receiver.decryptWithAd([], ciphertext: ciphertext) }
        #expect(receiver.nonce == 0)
        ciphertext[0] ^= 0x80
        #expect(try receiver.decryptWithAd([], ciphertext: ciphertext) == [1, 2, 3])
    }

    @Test(arguments: [0, 1, 15])
    func frameShorterThanTagIsRejected(_ length: Int) {
        var receiver = NoiseCipherState(key: Self.key)
        #expect(throws: NoiseError.decryptionFailed) { try receiver.decryptWithAd([], ciphertext: [UInt8](repeating: 0, count: length)) }
    }

    @Test func replayedFrameIsRejected() throws {
        var sender = NoiseCipherState(key: Self.key)
        var receiver = NoiseCipherState(key: Self.key)
        let first = try sender.encryptWithAd([], plaintext: [1])
        _ = try receiver.decryptWithAd([], ciphertext: first)
        #expect(throws: NoiseError.decryptionFailed) { try receiver.decryptWithAd([], ciphertext: first) }
    }
}
