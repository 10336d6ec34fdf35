import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SignalProtocol
import WABinary
import WAProto

/// What pairing leaves behind once `pair-success` checks out (docs/protocol/lower.md §5.6 step 6).
public struct LinkedIdentity: Sendable, Equatable {
    /// `ADVSignedDeviceIdentity` with `accountSignatureKey` and our `deviceSignature`, serialized: stored, and
    /// sent later as `<device-identity>` with pkmsg.
    public var signedIdentity: [UInt8]
    /// The same without `accountSignatureKey`: the `<device-identity>` of the `pair-device-sign` reply.
    public var replyIdentity: [UInt8]
    /// `ADVDeviceIdentity.keyIndex`.
    public var keyIndex: UInt32
    /// The primary device's identity key (32 bytes), trusted for the LID user's device 0.
    public var accountSignatureKey: [UInt8]
}

/// Why `pair-success` was refused (docs/protocol/lower.md §5.6 step 8 names the codes sent back).
public enum PairingError: Error, Sendable, Equatable {
    /// The identity blob or one of its protobufs does not parse, or a key/signature has the wrong length.
    case malformedIdentity
    /// The HMAC with our ADV secret does not match.
    case hmacMismatch
    /// The primary's account signature does not verify.
    case signatureMismatch

    /// `(code, text)` of the `<error>` answer (whatsmeow `sendPairError`).
    public var errorCode: (code: Int, text: String) {
        switch self {
        case .malformedIdentity: (500, "internal-error")
        case .hmacMismatch: (401, "hmac-mismatch")
        case .signatureMismatch: (401, "signature-mismatch")
        }
    }
}

/// ADV verification and the `pair-device-sign` reply (docs/protocol/lower.md §5.6), pure.
public enum ADVVerification {
    /// Signature prefixes (§5.6 table).
    public static let accountSignaturePrefix: [UInt8] = [6, 0]
    public static let deviceSignaturePrefix: [UInt8] = [6, 1]
    public static let hostedAccountSignaturePrefix: [UInt8] = [6, 5]
    public static let hostedDeviceSignaturePrefix: [UInt8] = [6, 6]

    /// Steps 1–5: checks the HMAC and the account signature, and signs as this device.
    ///
    /// - Parameters:
    ///   - deviceIdentity: the `<device-identity>` bytes of `pair-success` (`ADVSignedDeviceIdentityHMAC`).
    ///   - advSecret: the ADV secret in force (the QR's, rotated by `companion_reg_refresh`, or the one derived
    ///     by a pairing code).
    ///   - identity: our identity key pair.
    ///   - signingRandom: 64 random bytes for the signature nonce.
    public static func verify(
        deviceIdentity: [UInt8], advSecret: [UInt8], identity: IdentityKeyPair, signingRandom: [UInt8]
    ) throws(PairingError) -> LinkedIdentity {
        guard let container = try? WAAdv_ADVSignedDeviceIdentityHMAC(serializedBytes: deviceIdentity),
            container.hasDetails, container.hasHmac
        else { throw .malformedIdentity }
        let details = [UInt8](container.details)
        let hmacInput = (container.accountType == .hosted ? hostedAccountSignaturePrefix : []) + details
        let expected = [UInt8](HMAC<SHA256>.authenticationCode(for: hmacInput, using: SymmetricKey(data: advSecret)))
        guard ConstantTime.equals(expected, [UInt8](container.hmac)) else { throw .hmacMismatch }

        guard var signed = try? WAAdv_ADVSignedDeviceIdentity(serializedBytes: details),
            let device = try? WAAdv_ADVDeviceIdentity(serializedBytes: signed.details)
        else { throw .malformedIdentity }
        let accountKey = [UInt8](signed.accountSignatureKey)
        let accountSignature = [UInt8](signed.accountSignature)
        guard accountKey.count == 32, accountSignature.count == 64,
            let accountPublicKey = try? Curve25519PublicKey(rawRepresentation: accountKey)
        else { throw .signatureMismatch }
        let ownKey = identity.publicKey.rawRepresentation
        let identityDetails = [UInt8](signed.details)
        let accountPrefix = device.deviceType == .hosted ? hostedAccountSignaturePrefix : accountSignaturePrefix
        guard
            XEdDSA.verify(
                signature: accountSignature, message: accountPrefix + identityDetails + ownKey,
                publicKey: accountPublicKey)
        else { throw .signatureMismatch }

        let deviceMessage = deviceSignaturePrefix + identityDetails + ownKey + accountKey
        signed.deviceSignature = Data(
            XEdDSA.sign(message: deviceMessage, privateKey: identity.privateKey, random: signingRandom))
        guard let stored = try? signed.serializedBytes() as [UInt8] else { throw .malformedIdentity }
        signed.clearAccountSignatureKey()
        guard let reply = try? signed.serializedBytes() as [UInt8] else { throw .malformedIdentity }
        return LinkedIdentity(
            signedIdentity: stored, replyIdentity: reply, keyIndex: device.keyIndex, accountSignatureKey: accountKey)
    }

    /// Step 7: `<iq to="s.whatsapp.net" type="result" id=…><pair-device-sign><device-identity key-index=…>`.
    public static func replyNode(id: String, identity: LinkedIdentity) -> BinaryNode {
        BinaryNode(
            tag: "iq", attributes: ["to": .jid(JID.serverJID), "type": "result", "id": .string(id)],
            children: [
                BinaryNode(
                    tag: "pair-device-sign",
                    children: [
                        BinaryNode(
                            tag: "device-identity", attributes: ["key-index": .string(String(identity.keyIndex))],
                            bytes: identity.replyIdentity)
                    ])
            ])
    }

    /// Step 8: `<iq to="s.whatsapp.net" type="error" id=…><error code=… text=…/></iq>`.
    public static func errorNode(id: String, error: PairingError) -> BinaryNode {
        let (code, text) = error.errorCode
        return BinaryNode(
            tag: "iq", attributes: ["to": .jid(JID.serverJID), "type": "error", "id": .string(id)],
            children: [BinaryNode(tag: "error", attributes: ["code": .string(String(code)), "text": .string(text)])])
    }
}
