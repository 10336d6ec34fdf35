#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftProtobuf

/// A Signal "pkmsg": `version ‖ protobuf(PreKeySignalMessage)`, no outer MAC (docs/protocol/upper.md §1.9).
///
/// Fields: 1 preKeyId, 2 baseKey, 3 identityKey, 4 message (a full serialized `SignalMessage`),
/// 5 registrationId, 6 signedPreKeyId. A preKeyId of 0 means "none" (go-libsignal's reading, docs/protocol/upper.md §1.5).
public struct PreKeySignalMessage: Sendable, Equatable {
    /// The message version (high nibble of the version byte).
    public let messageVersion: UInt8
    /// The initiator's registration id.
    public let registrationID: UInt32
    /// The responder's one-time prekey used, if any.
    public let preKeyID: UInt32?
    /// The responder's signed prekey used.
    public let signedPreKeyID: UInt32
    /// The initiator's base key `EKa`.
    public let baseKey: Curve25519PublicKey
    /// The initiator's identity key.
    public let identityKey: Curve25519PublicKey
    /// The embedded SignalMessage.
    public let message: SignalMessage
    /// The full serialized message.
    public let serialized: [UInt8]

    init(
        registrationID: UInt32, preKeyID: UInt32?, signedPreKeyID: UInt32, baseKey: Curve25519PublicKey,
        identityKey: Curve25519PublicKey, message: SignalMessage
    ) {
        var proto = Signalwire_PreKeySignalMessage()
        if let preKeyID { proto.preKeyID = preKeyID }
        proto.baseKey = Data(baseKey.serialized)
        proto.identityKey = Data(identityKey.serialized)
        proto.message = Data(message.serialized)
        proto.registrationID = registrationID
        proto.signedPreKeyID = signedPreKeyID
        self.messageVersion = SignalMessage.currentVersion
        self.registrationID = registrationID
        self.preKeyID = preKeyID
        self.signedPreKeyID = signedPreKeyID
        self.baseKey = baseKey
        self.identityKey = identityKey
        self.message = message
        self.serialized = [SignalMessage.versionByte] + ((try? proto.serializedBytes()) ?? [])
    }

    /// Parses a received pkmsg and its embedded SignalMessage (MAC unchecked).
    ///
    /// - Throws: `.malformedMessage`, `.unsupportedVersion`, or a key error, never traps.
    public init(serialized: [UInt8]) throws(SignalError) {
        let (version, proto) = try VersionedMessageBody.parse(serialized, as: Signalwire_PreKeySignalMessage.self)
        guard proto.hasBaseKey else { throw .malformedMessage(.missingField("baseKey")) }
        guard proto.hasIdentityKey else { throw .malformedMessage(.missingField("identityKey")) }
        guard proto.hasMessage else { throw .malformedMessage(.missingField("message")) }
        guard proto.hasSignedPreKeyID else { throw .malformedMessage(.missingField("signedPreKeyId")) }
        self.messageVersion = version
        self.registrationID = proto.registrationID
        self.preKeyID = proto.hasPreKeyID && proto.preKeyID != 0 ? proto.preKeyID : nil
        self.signedPreKeyID = proto.signedPreKeyID
        self.baseKey = try Curve25519PublicKey(serialized: [UInt8](proto.baseKey))
        self.identityKey = try Curve25519PublicKey(serialized: [UInt8](proto.identityKey))
        self.message = try SignalMessage(serialized: [UInt8](proto.message))
        self.serialized = serialized
    }
}
