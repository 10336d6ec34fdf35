import Crypto
import Foundation
import SignalProtocol
import WAProto

/// The phone's side of the ADV exchange (docs/protocol/lower.md §5.5, §5.6): the signed device identity the
/// phone issues to a new companion, and the check of the companion's `pair-device-sign` reply. Pure.
enum ADVPairing {
    static let accountSignaturePrefix: [UInt8] = [6, 0]
    static let deviceSignaturePrefix: [UInt8] = [6, 1]

    /// What the phone issued, kept until the companion's `pair-device-sign` arrives.
    struct Issued: Sendable, Equatable {
        /// Serialized `ADVDeviceIdentity`.
        var details: [UInt8]
        var accountSignature: [UInt8]
        var keyIndex: UInt32
        /// Serialized `ADVSignedDeviceIdentityHMAC`: the `<device-identity>` content of `pair-success`.
        var deviceIdentityHMAC: [UInt8]
    }

    /// Signs a device identity for `companionIdentity` with the phone's identity key and wraps it with the
    /// HMAC under `advSecret`.
    static func issue(
        phoneIdentity: IdentityKeyPair, companionIdentity: [UInt8], advSecret: [UInt8], rawID: UInt32,
        timestamp: UInt64, keyIndex: UInt32
    ) -> Issued {
        var identity = WAAdv_ADVDeviceIdentity()
        identity.rawID = rawID
        identity.timestamp = timestamp
        identity.keyIndex = keyIndex
        identity.accountType = .e2Ee
        identity.deviceType = .e2Ee
        let details = (try? identity.serializedBytes()) ?? [UInt8]()
        let signature = XEdDSA.sign(
            message: accountSignaturePrefix + details + companionIdentity, privateKey: phoneIdentity.privateKey)
        var signed = WAAdv_ADVSignedDeviceIdentity()
        signed.details = Data(details)
        signed.accountSignatureKey = Data(phoneIdentity.publicKey.rawRepresentation)
        signed.accountSignature = Data(signature)
        let signedBytes: [UInt8] = (try? signed.serializedBytes()) ?? []
        var wrapped = WAAdv_ADVSignedDeviceIdentityHMAC()
        wrapped.details = Data(signedBytes)
        wrapped.hmac = Data(HMAC<SHA256>.authenticationCode(for: signedBytes, using: SymmetricKey(data: advSecret)))
        wrapped.accountType = .e2Ee
        return Issued(
            details: details, accountSignature: signature, keyIndex: keyIndex,
            deviceIdentityHMAC: (try? wrapped.serializedBytes()) ?? [])
    }

    /// Why a `pair-device-sign` is refused.
    enum SignError: Error, Equatable, CustomStringConvertible {
        case missingDeviceIdentity
        case keyIndexMismatch
        case unparsable
        case detailsChanged
        case accountSignatureChanged
        case accountSignatureKeyPresent
        case badDeviceSignature

        var description: String {
            switch self {
            case .missingDeviceIdentity: "no <pair-device-sign><device-identity>"
            case .keyIndexMismatch: "key-index differs from the issued one"
            case .unparsable: "device-identity is not an ADVSignedDeviceIdentity"
            case .detailsChanged: "details differ from the issued ones"
            case .accountSignatureChanged: "account signature differs from the issued one"
            case .accountSignatureKeyPresent: "accountSignatureKey must be left out"
            case .badDeviceSignature: "device signature does not verify"
            }
        }
    }

    /// Checks the companion's reply: the identity the phone issued, without `accountSignatureKey`, with a
    /// device signature by the companion's identity key over `06 01 ‖ details ‖ companion identity ‖ phone
    /// identity` (docs/protocol/lower.md §5.6 step 5, 7).
    static func verifySign(
        deviceIdentity bytes: [UInt8]?, keyIndex: String?, issued: Issued, companionIdentity: [UInt8],
        phoneIdentity: [UInt8]
    ) throws(SignError) {
        guard let bytes else { throw .missingDeviceIdentity }
        guard keyIndex == String(issued.keyIndex) else { throw .keyIndexMismatch }
        guard let signed = try? WAAdv_ADVSignedDeviceIdentity(serializedBytes: bytes) else { throw .unparsable }
        guard Array(signed.details) == issued.details else { throw .detailsChanged }
        guard Array(signed.accountSignature) == issued.accountSignature else { throw .accountSignatureChanged }
        guard !signed.hasAccountSignatureKey else { throw .accountSignatureKeyPresent }
        let message = deviceSignaturePrefix + issued.details + companionIdentity + phoneIdentity
        guard let key = try? Curve25519PublicKey(rawRepresentation: companionIdentity),
            XEdDSA.verify(signature: Array(signed.deviceSignature), message: message, publicKey: key)
        else { throw .badDeviceSignature }
    }
}
