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
    /// The full serialized message, including the MAC.
    public let serialized: [UInt8]
    /// The bytes holding the ciphertext (`serialized` itself unless the message came through SwiftProtobuf)
    /// and where in them it lies: no copy of the ciphertext per message.
    private let ciphertextStorage: [UInt8]
    private let ciphertextRange: Range<Int>

    /// AES-256-CBC ciphertext.
    public var ciphertext: [UInt8] { Array(ciphertextStorage[ciphertextRange]) }

    /// Every field is a function of the serialized bytes.
    public static func == (lhs: SignalMessage, rhs: SignalMessage) -> Bool { lhs.serialized == rhs.serialized }

    /// Builds and MACs an outgoing message.
    init(
        macKey: [UInt8], ratchetKey: Curve25519PublicKey, counter: UInt32, previousCounter: UInt32,
        ciphertext: [UInt8], senderIdentity: Curve25519PublicKey, receiverIdentity: Curve25519PublicKey
    ) {
        self = macKey.withUnsafeBytes { macKey in
            ciphertext.withUnsafeBytes { ciphertext in
                SignalMessage(
                    macKey: macKey, ratchetKey: ratchetKey, counter: counter, previousCounter: previousCounter,
                    ciphertext: ciphertext, senderIdentity: senderIdentity, receiverIdentity: receiverIdentity)
            }
        }
    }

    /// Builds and MACs an outgoing message: body and MAC written into one array.
    init(
        macKey: UnsafeRawBufferPointer, ratchetKey: Curve25519PublicKey, counter: UInt32, previousCounter: UInt32,
        ciphertext: UnsafeRawBufferPointer, senderIdentity: Curve25519PublicKey, receiverIdentity: Curve25519PublicKey
    ) {
        var serialized = Self.encodeBody(
            ratchetKey: ratchetKey, counter: counter, previousCounter: previousCounter, ciphertext: ciphertext)
        let bodyLength = serialized.count
        serialized.append(contentsOf: repeatElement(0, count: Self.macLength))
        serialized.withUnsafeMutableBytes { bytes in
            Self.mac(
                key: macKey, senderIdentity: senderIdentity, receiverIdentity: receiverIdentity,
                body: UnsafeRawBufferPointer(rebasing: bytes[0..<bodyLength]),
                into: UnsafeMutableRawBufferPointer(rebasing: bytes[bodyLength...]))
        }
        self.messageVersion = Self.currentVersion
        self.ratchetKey = ratchetKey
        self.counter = counter
        self.previousCounter = previousCounter
        self.serialized = serialized
        self.ciphertextStorage = serialized
        self.ciphertextRange = (bodyLength - ciphertext.count)..<bodyLength
    }

    /// `version ‖ protobuf(SignalMessage)`, encoded directly (with room for the MAC): fields 1–4 in order,
    /// both counters always present, the canonical encoding SwiftProtobuf also produces for these values.
    static func encodeBody(
        ratchetKey: Curve25519PublicKey, counter: UInt32, previousCounter: UInt32, ciphertext: [UInt8]
    ) -> [UInt8] {
        ciphertext.withUnsafeBytes {
            encodeBody(ratchetKey: ratchetKey, counter: counter, previousCounter: previousCounter, ciphertext: $0)
        }
    }

    static func encodeBody(
        ratchetKey: Curve25519PublicKey, counter: UInt32, previousCounter: UInt32, ciphertext: UnsafeRawBufferPointer
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
    /// The canonical layout (what `encodeBody` writes, and libsignal) is read directly; any other encoding
    /// goes through SwiftProtobuf, so both give the same fields for the same bytes.
    /// - Throws: `.malformedMessage` for short, oversized or unparsable input or missing fields,
    ///   `.unsupportedVersion` unless the version is 3, `.badKeyType`/`.invalidKeyLength` for a bad ratchet key.
    public init(serialized: [UInt8]) throws(SignalError) {
        if let canonical = CanonicalLayout(serialized) {
            self.messageVersion = Self.currentVersion
            self.ratchetKey = try Curve25519PublicKey(rawRepresentation: serialized[canonical.ratchetKey])
            self.counter = canonical.counter
            self.previousCounter = canonical.previousCounter
            self.serialized = serialized
            self.ciphertextStorage = serialized
            self.ciphertextRange = canonical.ciphertext
            return
        }
        let (version, proto) = try VersionedMessageBody.parse(
            serialized, as: Signalwire_SignalMessage.self, trailerLength: Self.macLength)
        guard proto.hasRatchetKey else { throw .malformedMessage(.missingField("ratchetKey")) }
        guard proto.hasCounter else { throw .malformedMessage(.missingField("counter")) }
        guard proto.hasCiphertext else { throw .malformedMessage(.missingField("ciphertext")) }
        self.messageVersion = version
        self.ratchetKey = try Curve25519PublicKey(serialized: [UInt8](proto.ratchetKey))
        self.counter = proto.counter
        self.previousCounter = proto.previousCounter
        let ciphertext = [UInt8](proto.ciphertext)
        self.ciphertextStorage = ciphertext
        self.ciphertextRange = 0..<ciphertext.count
        self.serialized = serialized
    }

    /// The canonical encoding, exactly: `0x33 ‖ 0a 21 05 <32> ‖ 10 <varint> ‖ 18 <varint> ‖ 22 <length> <bytes> ‖
    /// MAC(8)`, each varint at most 5 bytes with a value below 2³², the ciphertext ending where the MAC begins.
    /// SwiftProtobuf reads the same fields from such bytes; anything else is left to it.
    private struct CanonicalLayout {
        var ratchetKey: Range<Int>
        var counter: UInt32
        var previousCounter: UInt32
        var ciphertext: Range<Int>

        init?(_ bytes: [UInt8]) {
            let end = bytes.count - SignalMessage.macLength
            guard bytes.count <= SignalMessage.maximumLength, end >= 1 + 35 + 2 + 2 + 2,
                bytes[0] == SignalMessage.versionByte, bytes[1] == 0x0A, bytes[2] == 33,
                bytes[3] == Curve25519PublicKey.djbType, bytes[36] == 0x10
            else { return nil }
            var offset = 37
            guard let counter = Self.varint(bytes, &offset, end: end), offset < end, bytes[offset] == 0x18 else { return nil }
            offset += 1
            guard let previousCounter = Self.varint(bytes, &offset, end: end), offset < end, bytes[offset] == 0x22 else {
                return nil
            }
            offset += 1
            guard let length = Self.varint(bytes, &offset, end: end), Int(length) == end - offset else { return nil }
            self.ratchetKey = 4..<36
            self.counter = counter
            self.previousCounter = previousCounter
            self.ciphertext = offset..<end
        }

        /// A varint of at most 5 bytes whose value fits 32 bits, ending before `end`; nil otherwise.
        private static func varint(_ bytes: [UInt8], _ offset: inout Int, end: Int) -> UInt32? {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 35, by: 7) {
                guard offset < end else { return nil }
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte & 0x80 == 0 { return value <= UInt64(UInt32.max) ? UInt32(value) : nil }
            }
            return nil
        }
    }

    /// The ciphertext in place.
    func withCiphertext<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        // `withUnsafeBytes` rethrows untyped errors: the typed one travels in a `Swift.Result`.
        try ciphertextStorage.withUnsafeBytes { bytes in
            Swift.Result { () throws(Failure) -> Result in try body(UnsafeRawBufferPointer(rebasing: bytes[ciphertextRange])) }
        }.get()
    }

    /// Checks the truncated MAC over the exact received bytes, in constant time.
    func verifyMAC(senderIdentity: Curve25519PublicKey, receiverIdentity: Curve25519PublicKey, macKey: [UInt8]) -> Bool {
        macKey.withUnsafeBytes { verifyMAC(senderIdentity: senderIdentity, receiverIdentity: receiverIdentity, macKey: $0) }
    }

    /// Checks the truncated MAC over the exact received bytes, in constant time, key in place.
    func verifyMAC(
        senderIdentity: Curve25519PublicKey, receiverIdentity: Curve25519PublicKey, macKey: UnsafeRawBufferPointer
    ) -> Bool {
        let bodyLength = serialized.count - Self.macLength
        return serialized.withUnsafeBytes { bytes in
            withUnsafeTemporaryAllocation(byteCount: Self.macLength, alignment: 1) { expected in
                Self.mac(
                    key: macKey, senderIdentity: senderIdentity, receiverIdentity: receiverIdentity,
                    body: UnsafeRawBufferPointer(rebasing: bytes[0..<bodyLength]), into: expected)
                // Constant time, as `ConstantTime.equals`, against the received bytes in place.
                var difference: UInt8 = 0
                for offset in 0..<Self.macLength { difference |= expected[offset] ^ bytes[bodyLength + offset] }
                return difference == 0
            }
        }
    }

    /// `HMAC-SHA256(key, 0x05 ‖ sender ‖ 0x05 ‖ receiver ‖ body)[0:8]` into `output`, hashed in place.
    private static func mac(
        key: UnsafeRawBufferPointer, senderIdentity: Curve25519PublicKey, receiverIdentity: Curve25519PublicKey,
        body: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) {
        func identities(_ input: UnsafeMutableRawBufferPointer) {
            input[0] = Curve25519PublicKey.djbType
            senderIdentity.rawRepresentation.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(rebasing: input[1..<33]).copyMemory(from: $0)
            }
            input[33] = Curve25519PublicKey.djbType
            receiverIdentity.rawRepresentation.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(rebasing: input[34..<66]).copyMemory(from: $0)
            }
        }
        // The key MACs one message. For a message of ordinary size the identities and the body are copied
        // behind the padded key, so each of the two hashes is one update (each update has a fixed cost well
        // above copying a few hundred bytes).
        if body.count <= maximumBodyCopiedForMAC, key.count <= HMACSHA256.blockLength {
            HMACSHA256.code(key: key, count: 66 + body.count, filledBy: { input in
                identities(input)
                UnsafeMutableRawBufferPointer(rebasing: input[66...]).copyMemory(from: body)
            }, into: output)
            return
        }
        var hmac = HMACSHA256(key: key)
        withUnsafeTemporaryAllocation(byteCount: 66, alignment: 1) { input in
            identities(input)
            hmac.finalCode(into: output) { hash in
                hash.update(bufferPointer: UnsafeRawBufferPointer(input))
                hash.update(bufferPointer: body)
            }
        }
    }

    /// Bodies up to this length are copied beside the identities for the MAC (see `mac`).
    private static let maximumBodyCopiedForMAC = 1024
}
