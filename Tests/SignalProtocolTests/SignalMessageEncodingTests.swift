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

    /// The direct reader of the canonical layout and SwiftProtobuf (every other layout) agree on every field.
    @Test func parsedFieldsEqualSwiftProtobufsForCanonicalAndOtherLayouts() throws {
        var random = SeededGenerator(seed: 9)
        let key = Curve25519KeyPair(using: &random).publicKey
        func field(_ number: UInt8, varint value: [UInt8]) -> [UInt8] { [number << 3] + value }
        func field(_ number: UInt8, bytes: [UInt8]) -> [UInt8] { [number << 3 | 2, UInt8(bytes.count)] + bytes }
        let ciphertext = [UInt8](repeating: 0x5A, count: 32)
        let layouts: [[UInt8]] = [
            SignalMessage.encodeBody(ratchetKey: key, counter: 300, previousCounter: 7, ciphertext: ciphertext).dropFirst().map { $0 },
            // Ciphertext first, counters reversed.
            field(4, bytes: ciphertext) + field(3, varint: [7]) + field(2, varint: [0xAC, 0x02]) + field(1, bytes: key.serialized),
            // A counter repeated (the last one counts) and an unknown field.
            field(1, bytes: key.serialized) + field(2, varint: [1]) + field(3, varint: [7]) + field(4, bytes: ciphertext)
                + field(2, varint: [0xAC, 0x02]) + field(9, varint: [1]),
            // Overlong varints (10 bytes; the value truncated to 32 bits) and no previous counter.
            field(1, bytes: key.serialized) + field(2, varint: [0xAC, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
                + field(4, bytes: ciphertext),
            // A canonical-looking body whose counter needs more than 32 bits.
            field(1, bytes: key.serialized) + field(2, varint: [0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) + field(3, varint: [0])
                + field(4, bytes: ciphertext),
        ]
        for body in layouts {
            let proto = try Signalwire_SignalMessage(serializedBytes: body)
            let message = try SignalMessage(serialized: [SignalMessage.versionByte] + body + [UInt8](repeating: 0, count: 8))
            #expect(message.ratchetKey.serialized == [UInt8](proto.ratchetKey))
            #expect(message.counter == proto.counter)
            #expect(message.previousCounter == proto.previousCounter)
            #expect(message.ciphertext == [UInt8](proto.ciphertext))
        }
    }

    /// The MAC is `HMAC(macKey, 0x05 ‖ sender ‖ 0x05 ‖ receiver ‖ body)[0:8]` for small bodies (hashed in one
    /// piece) and large ones (hashed in two) alike.
    @Test func macCoversIdentitiesAndBodyForSmallAndLargeBodies() throws {
        var random = SeededGenerator(seed: 10)
        let sender = Curve25519KeyPair(using: &random).publicKey, receiver = Curve25519KeyPair(using: &random).publicKey
        let macKey = random.bytes(32)
        for length in [0, 16, 944, 960, 976, 4096] {
            let message = SignalMessage(
                macKey: macKey, ratchetKey: sender, counter: 3, previousCounter: 1, ciphertext: random.bytes(length),
                senderIdentity: sender, receiverIdentity: receiver)
            let body = Array(message.serialized.dropLast(8))
            let expected = SignalCrypto.hmacSHA256(key: macKey, parts: [sender.serialized, receiver.serialized, body])
            #expect(Array(message.serialized.suffix(8)) == Array(expected.prefix(8)))
            let parsed = try SignalMessage(serialized: message.serialized)
            #expect(parsed.verifyMAC(senderIdentity: sender, receiverIdentity: receiver, macKey: macKey))
            #expect(!parsed.verifyMAC(senderIdentity: receiver, receiverIdentity: sender, macKey: macKey))
        }
    }
}
