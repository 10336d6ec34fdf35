#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftProtobuf

/// A group "skmsg": `0x33 ‖ protobuf{1 id, 2 iteration, 3 ciphertext} ‖ signature(64)` (docs/protocol/upper.md §2).
///
/// The signature is an XEdDSA signature by the sender's signing key over `0x33 ‖ protobuf`.
public struct SenderKeyMessage: Sendable, Equatable {
    public let messageVersion: UInt8
    public let keyID: UInt32
    public let iteration: UInt32
    public let ciphertext: [UInt8]
    public let serialized: [UInt8]

    init(keyID: UInt32, iteration: UInt32, ciphertext: [UInt8], signingKey: Curve25519PrivateKey, random: [UInt8]) {
        var proto = Signalwire_SenderKeyMessage()
        proto.id = keyID
        proto.iteration = iteration
        proto.ciphertext = Data(ciphertext)
        let body = [SignalMessage.versionByte] + ((try? proto.serializedBytes()) ?? [])
        self.messageVersion = SignalMessage.currentVersion
        self.keyID = keyID
        self.iteration = iteration
        self.ciphertext = ciphertext
        self.serialized = body + XEdDSA.sign(message: body, privateKey: signingKey, random: random)
    }

    /// Parses a received skmsg (signature unchecked: that needs the sender's signing key).
    public init(serialized: [UInt8]) throws(SignalError) {
        let (version, proto) = try VersionedMessageBody.parse(
            serialized, as: Signalwire_SenderKeyMessage.self, trailerLength: XEdDSA.signatureLength)
        guard proto.hasID else { throw .malformedMessage(.missingField("id")) }
        guard proto.hasIteration else { throw .malformedMessage(.missingField("iteration")) }
        guard proto.hasCiphertext else { throw .malformedMessage(.missingField("ciphertext")) }
        self.messageVersion = version
        self.keyID = proto.id
        self.iteration = proto.iteration
        self.ciphertext = [UInt8](proto.ciphertext)
        self.serialized = serialized
    }

    /// Checks the XEdDSA signature over everything before it.
    func verifySignature(signingKey: Curve25519PublicKey) -> Bool {
        let split = serialized.count - XEdDSA.signatureLength
        return XEdDSA.verify(
            signature: Array(serialized[split...]), message: Array(serialized[..<split]), publicKey: signingKey)
    }
}

/// A SenderKeyDistributionMessage: `0x33 ‖ protobuf{1 id, 2 iteration, 3 chainKey, 4 signingKey}` (docs/protocol/upper.md §2).
public struct SenderKeyDistributionMessage: Sendable, Equatable {
    public let keyID: UInt32
    public let iteration: UInt32
    public let chainKey: [UInt8]
    public let signingKey: Curve25519PublicKey
    public let serialized: [UInt8]

    public init(keyID: UInt32, iteration: UInt32, chainKey: [UInt8], signingKey: Curve25519PublicKey) {
        var proto = Signalwire_SenderKeyDistributionMessage()
        proto.id = keyID
        proto.iteration = iteration
        proto.chainKey = Data(chainKey)
        proto.signingKey = Data(signingKey.serialized)
        self.keyID = keyID
        self.iteration = iteration
        self.chainKey = chainKey
        self.signingKey = signingKey
        self.serialized = [SignalMessage.versionByte] + ((try? proto.serializedBytes()) ?? [])
    }

    /// Parses a received SKDM.
    public init(serialized: [UInt8]) throws(SignalError) {
        let (_, proto) = try VersionedMessageBody.parse(serialized, as: Signalwire_SenderKeyDistributionMessage.self)
        guard proto.hasID else { throw .malformedMessage(.missingField("id")) }
        guard proto.hasIteration else { throw .malformedMessage(.missingField("iteration")) }
        guard proto.hasChainKey else { throw .malformedMessage(.missingField("chainKey")) }
        guard proto.chainKey.count == 32 else { throw .malformedMessage(.invalidField("chainKey")) }
        guard proto.hasSigningKey else { throw .malformedMessage(.missingField("signingKey")) }
        self.keyID = proto.id
        self.iteration = proto.iteration
        self.chainKey = [UInt8](proto.chainKey)
        self.signingKey = try Curve25519PublicKey(serialized: [UInt8](proto.signingKey))
        self.serialized = serialized
    }
}
