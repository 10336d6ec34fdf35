import Foundation
import Testing
@testable import SignalProtocol

/// The hand-written SignalMessage encoder against SwiftProtobuf's (docs/protocol/upper.md §1.8).
@Suite struct SignalMessageEncodingTests {
    @Test func directEncodingEqualsTheProtobufEncoding() throws {
        var random = SeededGenerator(seed: 8)
        let ratchetKey = Curve25519KeyPair(using: &random).publicKey
        let counters: [UInt32] = [0, 1, 127, 128, 300, 16_383, 16_384, 2_000_000, .max]
        for (counter, previous) in zip(counters, counters.reversed()) {
            for length in [0, 16, 112, 127, 128, 4096] {
                let ciphertext = [UInt8](repeating: 0x5A, count: length)
                var proto = Signalwire_SignalMessage()
                proto.ratchetKey = Data(ratchetKey.serialized)
                proto.counter = counter
                proto.previousCounter = previous
                proto.ciphertext = Data(ciphertext)
                let expected = [SignalMessage.versionByte] + (try proto.serializedBytes() as [UInt8])
                #expect(
                    SignalMessage.encodeBody(
                        ratchetKey: ratchetKey, counter: counter, previousCounter: previous, ciphertext: ciphertext)
                        == expected)
            }
        }
    }
}
