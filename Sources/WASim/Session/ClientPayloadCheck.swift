import Crypto
import Foundation
import SignalProtocol
import WAProto

/// What a companion registers in its first ClientPayload (docs/protocol/lower.md §3.1
/// `DevicePairingRegistrationData`), after the server's checks.
struct CompanionRegistration: Sendable, Equatable {
    var registrationID: UInt32
    var identityKey: [UInt8]
    var signedPreKeyID: UInt32
    var signedPreKey: [UInt8]
    var signedPreKeySignature: [UInt8]
    /// `DeviceProps.os`, when sent.
    var os: String?
    /// `DeviceProps.platformType`, when sent.
    var platformType: Int?
}

/// Why the simulated server refuses a ClientPayload, and the `<failure reason>` it answers with.
enum ClientPayloadRejection: Error, Equatable, CustomStringConvertible {
    /// Not a ClientPayload at all.
    case unparsable
    /// Neither `devicePairingData` nor `username` + `device`.
    case neitherRegistrationNorLogin
    /// No `userAgent.appVersion`.
    case missingAppVersion
    /// `buildHash` is not MD5 of the user agent's `primary.secondary.tertiary` (docs/protocol/lower.md §3.1).
    case buildHashMismatch
    /// The app version is older than the server accepts (§3.4, §6.4 reason 405).
    case clientOutdated
    /// A `DevicePairingRegistrationData` field is missing.
    case missingField(String)
    /// A field has the wrong length.
    case wrongLength(field: String, length: Int)
    /// `eKeytype` is not the single byte 0x05.
    case wrongKeyType
    /// `eSkeySig` does not verify over `0x05 ‖ eSkeyVal` with `eIdent` (docs/protocol/lower.md §7).
    case badSignedPreKeySignature

    /// The `<failure reason>` the server sends for this refusal (docs/protocol/lower.md §6.4): 405 for an old build, 409
    /// (BadUserAgent) for a build hash that does not match, 400 for anything else.
    var failureReason: Int {
        switch self {
        case .clientOutdated: 405
        case .buildHashMismatch, .missingAppVersion: 409
        default: 400
        }
    }

    var description: String {
        switch self {
        case .unparsable: "not a ClientPayload"
        case .neitherRegistrationNorLogin: "neither registration nor login"
        case .missingAppVersion: "no userAgent.appVersion"
        case .buildHashMismatch: "buildHash is not MD5 of the app version"
        case .clientOutdated: "app version older than the server accepts"
        case .missingField(let name): "devicePairingData.\(name) missing"
        case .wrongLength(let field, let length): "devicePairingData.\(field) has \(length) bytes"
        case .wrongKeyType: "devicePairingData.eKeytype is not 0x05"
        case .badSignedPreKeySignature: "signed pre-key signature does not verify"
        }
    }
}

/// The server's checks of a decrypted ClientPayload (docs/protocol/lower.md §3.1, §3.2, §7). Pure.
enum ClientPayloadCheck {
    /// What the payload asks for.
    enum Verdict: Sendable, Equatable {
        case registration(CompanionRegistration)
        case login(username: UInt64, device: UInt32)
    }

    /// Checks `bytes`.
    ///
    /// - Parameter minimumVersion: the oldest `(primary, secondary, tertiary)` accepted; nil accepts any.
    static func check(
        _ bytes: [UInt8], minimumVersion: (UInt32, UInt32, UInt32)? = nil
    ) throws(ClientPayloadRejection) -> Verdict {
        guard let payload = try? WAWebProtobufsWa6_ClientPayload(serializedBytes: bytes) else { throw .unparsable }
        guard payload.hasUserAgent, payload.userAgent.hasAppVersion else { throw .missingAppVersion }
        let version = payload.userAgent.appVersion
        if let minimumVersion,
            (version.primary, version.secondary, version.tertiary) < minimumVersion
        {
            throw .clientOutdated
        }
        if payload.hasDevicePairingData {
            let versionString = "\(version.primary).\(version.secondary).\(version.tertiary)"
            return .registration(try registration(payload.devicePairingData, versionString: versionString))
        }
        guard payload.hasUsername, payload.hasDevice else { throw .neitherRegistrationNorLogin }
        return .login(username: payload.username, device: payload.device)
    }

    private static func registration(
        _ data: WAWebProtobufsWa6_ClientPayload.DevicePairingRegistrationData, versionString: String
    ) throws(ClientPayloadRejection) -> CompanionRegistration {
        func field(_ present: Bool, _ value: Data, _ name: String, length: Int) throws(ClientPayloadRejection) -> [UInt8] {
            guard present else { throw .missingField(name) }
            guard value.count == length else { throw .wrongLength(field: name, length: value.count) }
            return Array(value)
        }
        let registrationID = try field(data.hasERegid, data.eRegid, "eRegid", length: 4)
        let keyType = try field(data.hasEKeytype, data.eKeytype, "eKeytype", length: 1)
        guard keyType == [Curve25519PublicKey.djbType] else { throw .wrongKeyType }
        let identity = try field(data.hasEIdent, data.eIdent, "eIdent", length: 32)
        let signedPreKeyID = try field(data.hasESkeyID, data.eSkeyID, "eSkeyID", length: 3)
        let signedPreKey = try field(data.hasESkeyVal, data.eSkeyVal, "eSkeyVal", length: 32)
        let signature = try field(data.hasESkeySig, data.eSkeySig, "eSkeySig", length: 64)
        let buildHash = try field(data.hasBuildHash, data.buildHash, "buildHash", length: 16)
        guard buildHash == Array(Insecure.MD5.hash(data: Array(versionString.utf8))) else { throw .buildHashMismatch }
        guard let identityKey = try? Curve25519PublicKey(rawRepresentation: identity),
            XEdDSA.verify(
                signature: signature, message: [Curve25519PublicKey.djbType] + signedPreKey, publicKey: identityKey)
        else { throw .badSignedPreKeySignature }
        guard data.hasDeviceProps else { throw .missingField("deviceProps") }
        let props = try? WACompanionReg_DeviceProps(serializedBytes: data.deviceProps)
        return CompanionRegistration(
            registrationID: bigEndian(registrationID), identityKey: identity,
            signedPreKeyID: bigEndian(signedPreKeyID), signedPreKey: signedPreKey,
            signedPreKeySignature: signature,
            os: props.flatMap { $0.hasOs ? $0.os : nil },
            platformType: props.flatMap { $0.hasPlatformType ? $0.platformType.rawValue : nil })
    }

    static func bigEndian(_ bytes: [UInt8]) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
