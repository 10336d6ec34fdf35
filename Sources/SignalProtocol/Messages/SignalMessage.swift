import Foundation
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
        var proto = Signalwire_SignalMessage()
        proto.ratchetKey = Data(ratchetKey.serialized)
        proto.counter = counter
        proto.previousCounter = previousCounter
        proto.ciphertext = Data(ciphertext)
        // Serializing a message with only known, set fields cannot fail.
        let body = [Self.versionByte] + ((try? proto.serializedBytes()) ?? [])
        let mac = Self.mac(
            key: macKey, senderIdentity: senderIdentity, receiverIdentity: receiverIdentity, body: body)
        self.messageVersion = Self.currentVersion
        self.ratchetKey = ratchetKey
        self.counter = counter
        self.previousCounter = previousCounter
        self.ciphertext = ciphertext
        self.serialized = body + mac
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
        let body = Array(serialized[0..<(serialized.count - Self.macLength)])
        let expected = Self.mac(
            key: macKey, senderIdentity: senderIdentity, receiverIdentity: receiverIdentity, body: body)
        return ConstantTime.equals(expected, Array(serialized.suffix(Self.macLength)))
    }

    private static func mac(
        key: [UInt8], senderIdentity: Curve25519PublicKey, receiverIdentity: Curve25519PublicKey, body: [UInt8]
    ) -> [UInt8] {
        let full = SignalCrypto.hmacSHA256(
            key: key, parts: [senderIdentity.serialized, receiverIdentity.serialized, body])
        return Array(full.prefix(macLength))
    }
}
