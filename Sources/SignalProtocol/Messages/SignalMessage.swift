import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftProtobuf

/// A Signal "msg": `version ‖ protobuf(SignalMessage) ‖ MAC(8)` (docs/protocol/upper.md §1.8).
///
/// ```
/// +---------+-------------------------------------------+----------+
/// | 0x33    | SignalMessage{1 ratchetKey, 2 counter,    | HMAC[0:8]|
/// | 1 byte  |   3 previousCounter, 4 ciphertext}        | 8 bytes  |
/// +---------+-------------------------------------------+----------+
/// ```
/// The MAC is `HMAC-SHA256(macKey, senderIdentity33 ‖ receiverIdentity33 ‖ version ‖ protobuf)[0:8]`.
/// We emit the canonical encoding (fields 1–4 in order, both counters always present) because go-libsignal
/// re-encodes before checking the MAC; we verify over the exact received bytes.
public struct SignalMessage: Sendable, Equatable {
    /// Protocol version 3: version byte `(3 << 4) | 3`.
    public static let currentVersion: UInt8 = 3
    static let versionByte: UInt8 = (currentVersion << 4) | currentVersion
    /// Length of the truncated MAC.
    public static let macLength = 8
    /// Largest serialized message accepted (a WhatsApp message is far smaller).
    public static let maximumLength = 1 << 20

    /// The message version (high nibble of the version byte).
    public let messageVersion: UInt8
    /// The sender's current ratchet public key.
    public let ratchetKey: Curve25519PublicKey
    /// Index of the chain key that encrypted this message.
    public let counter: UInt32
    /// Length of the sender's previous sending chain (see docs/protocol/upper.md §1.7).
    public let previousCounter: UInt32
    /// AES-256-CBC ciphertext.
    public let ciphertext: [UInt8]
    /// The full serialized message, including the MAC.
    public let serialized: [UInt8]

    /// Builds and MACs an outgoing message.
    init(
        macKey: [UInt8], ratchetKey: Curve25519PublicKey, counter: UInt32, previousCounter: UInt32,
        ciphertext: [UInt8], senderIdentity: Curve25519PublicKey, receiverIdentity: Curve25519PublicKey
    ) {
        var serialized = Self.encodeBody(
            ratchetKey: ratchetKey, counter: counter, previousCounter: previousCounter, ciphertext: ciphertext)
        let mac = serialized.withUnsafeBytes { body in
            Self.mac(key: macKey, senderIdentity: senderIdentity, receiverIdentity: receiverIdentity, body: body)
        }
        serialized.append(contentsOf: mac)
        self.messageVersion = Self.currentVersion
        self.ratchetKey = ratchetKey
        self.counter = counter
        self.previousCounter = previousCounter
        self.ciphertext = ciphertext
        self.serialized = serialized
    }

    /// `version ‖ protobuf(SignalMessage)`, encoded directly (with room for the MAC): fields 1–4 in order,
    /// both counters always present, the canonical encoding SwiftProtobuf also produces for these values.
    static func encodeBody(
        ratchetKey: Curve25519PublicKey, counter: UInt32, previousCounter: UInt32, ciphertext: [UInt8]
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 + 35 + 12 + 6 + ciphertext.count + macLength)
        bytes.append(versionByte)
        bytes.append(0x0A)  // field 1, length-delimited
        bytes.append(33)
        bytes.append(Curve25519PublicKey.djbType)
        bytes.append(contentsOf: ratchetKey.rawRepresentation)
        bytes.append(0x10)  // field 2, varint
        appendVarint(UInt64(counter), to: &bytes)
        bytes.append(0x18)  // field 3, varint
        appendVarint(UInt64(previousCounter), to: &bytes)
        bytes.append(0x22)  // field 4, length-delimited
        appendVarint(UInt64(ciphertext.count), to: &bytes)
        bytes.append(contentsOf: ciphertext)
        return bytes
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Parses a received message without checking its MAC (that needs the message keys).
    ///
    /// - Throws: `.malformedMessage` for short, oversized or unparsable input or missing fields,
    ///   `.unsupportedVersion` unless the version is 3, `.badKeyType`/`.invalidKeyLength` for a bad ratchet key.
    public init(serialized: [UInt8]) throws(SignalError) {
        let (version, proto) = try VersionedMessageBody.parse(
            serialized, as: Signalwire_SignalMessage.self, trailerLength: Self.macLength)
        guard proto.hasRatchetKey else { throw .malformedMessage(.missingField("ratchetKey")) }
        guard proto.hasCounter else { throw .malformedMessage(.missingField("counter")) }
        guard proto.hasCiphertext else { throw .malformedMessage(.missingField("ciphertext")) }
        self.messageVersion = version
        self.ratchetKey = try Curve25519PublicKey(serialized: [UInt8](proto.ratchetKey))
        self.counter = proto.counter
        self.previousCounter = proto.previousCounter
        self.ciphertext = [UInt8](proto.ciphertext)
        self.serialized = serialized
    }

    /// Checks the truncated MAC over the exact received bytes, in constant time.
    func verifyMAC(senderIdentity: Curve25519PublicKey, receiverIdentity: Curve25519PublicKey, macKey: [UInt8]) -> Bool {
        let bodyLength = serialized.count - Self.macLength
        let expected = serialized.withUnsafeBytes { bytes in
            Self.mac(
                key: macKey, senderIdentity: senderIdentity, receiverIdentity: receiverIdentity,
                body: UnsafeRawBufferPointer(rebasing: bytes[0..<bodyLength]))
        }
        // Constant time, as `ConstantTime.equals`, against the received bytes in place.
        var difference: UInt8 = 0
        for (offset, byte) in expected.enumerated() { difference |= byte ^ serialized[bodyLength + offset] }
        return difference == 0
    }

    /// `HMAC-SHA256(key, 0x05 ‖ sender ‖ 0x05 ‖ receiver ‖ body)[0:8]`, hashed in place.
    private static func mac(
        key: [UInt8], senderIdentity: Curve25519PublicKey, receiverIdentity: Curve25519PublicKey,
        body: UnsafeRawBufferPointer
    ) -> [UInt8] {
        // The 66 identity bytes in one (stack) buffer: one hash update for them, one for the body.
        let full = HMACSHA256(key: key).code { hash in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 66) { identities in
                identities[0] = Curve25519PublicKey.djbType
                for (index, byte) in senderIdentity.rawRepresentation.prefix(32).enumerated() { identities[1 + index] = byte }
                identities[33] = Curve25519PublicKey.djbType
                for (index, byte) in receiverIdentity.rawRepresentation.prefix(32).enumerated() {
                    identities[34 + index] = byte
                }
                hash.update(bufferPointer: UnsafeRawBufferPointer(identities))
            }
            hash.update(bufferPointer: body)
        }
        return Array(full.prefix(macLength))
    }
}
