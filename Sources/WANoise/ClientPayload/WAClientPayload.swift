import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WAProto

/// Builds the `ClientPayload` sent (encrypted) in ClientFinish (docs/protocol/lower.md §3).
///
/// ``registration(options:registration:)`` for a device that has no identity on the server yet (docs/protocol/lower.md §3.2 a),
/// ``login(options:username:device:)`` for a paired device (docs/protocol/lower.md §3.2 b). Both share the base payload.
public enum WAClientPayload {
    public typealias Payload = WAWebProtobufsWa6_ClientPayload

    /// The Signal keys a new companion registers (docs/protocol/lower.md §3.1 `DevicePairingRegistrationData`).
    public struct Registration: Sendable, Equatable {
        /// Signal registration ID (sent as 4 bytes big-endian).
        public var registrationID: UInt32
        /// Identity public key, 32 bytes (no 0x05 prefix).
        public var identityKey: [UInt8]
        /// Signed pre-key ID (sent as 3 bytes big-endian; 1 for a fresh device).
        public var signedPreKeyID: UInt32
        /// Signed pre-key public key, 32 bytes.
        public var signedPreKey: [UInt8]
        /// Signature over `0x05 ‖ signedPreKey`, 64 bytes.
        public var signedPreKeySignature: [UInt8]

        public init(
            registrationID: UInt32, identityKey: [UInt8], signedPreKeyID: UInt32, signedPreKey: [UInt8],
            signedPreKeySignature: [UInt8]
        ) {
            self.registrationID = registrationID
            self.identityKey = identityKey
            self.signedPreKeyID = signedPreKeyID
            self.signedPreKey = signedPreKey
            self.signedPreKeySignature = signedPreKeySignature
        }
    }

    /// The DJB key type byte (`eKeytype`).
    public static let djbKeyType: UInt8 = 0x05

    /// docs/protocol/lower.md §3.2 (a): base payload, `passive = false`, `pull = false`, `devicePairingData`.
    public static func registration(
        options: WAClientPayloadOptions = .init(), registration: Registration
    ) throws(WAClientPayloadError) -> Payload {
        try check(registration.identityKey, .identityKey, length: 32)
        try check(registration.signedPreKey, .signedPreKey, length: 32)
        try check(registration.signedPreKeySignature, .signedPreKeySignature, length: 64)
        guard registration.signedPreKeyID < 1 << 24 else { throw .signedPreKeyIDOutOfRange(registration.signedPreKeyID) }

        var pairing = Payload.DevicePairingRegistrationData()
        pairing.eRegid = Data(bigEndian(registration.registrationID, bytes: 4))
        pairing.eKeytype = Data([djbKeyType])
        pairing.eIdent = Data(registration.identityKey)
        pairing.eSkeyID = Data(bigEndian(registration.signedPreKeyID, bytes: 3))
        pairing.eSkeyVal = Data(registration.signedPreKey)
        pairing.eSkeySig = Data(registration.signedPreKeySignature)
        pairing.buildHash = Data(buildHash(options.appVersionString))
        do { pairing.deviceProps = try deviceProps(options).serializedData() } catch { throw .serializationFailed }

        var payload = base(options)
        payload.passive = false
        payload.pull = false
        payload.devicePairingData = pairing
        return payload
    }

    /// docs/protocol/lower.md §3.2 (b): base payload, `username`, `device`, `passive = true`, `pull = true`, `lidDbMigrated`, `lc`.
    ///
    /// - Parameters:
    ///   - username: the phone number (user part of the device JID).
    ///   - device: the device number from the JID.
    public static func login(options: WAClientPayloadOptions = .init(), username: UInt64, device: UInt32) -> Payload {
        var payload = base(options)
        payload.username = username
        payload.device = device
        payload.passive = true
        payload.pull = true
        payload.lidDbMigrated = options.lidDbMigrated
        if let lc = options.lc { payload.lc = lc }
        return payload
    }

    /// `buildHash`: MD5 of `"<primary>.<secondary>.<tertiary>"` (whatsmeow `WAVersionContainer.Hash`).
    public static func buildHash(_ version: String) -> [UInt8] {
        Array(Insecure.MD5.hash(data: Array(version.utf8)))
    }

    /// docs/protocol/lower.md §3.3 `DeviceProps` with whatsmeow's HistorySyncConfig.
    public static func deviceProps(_ options: WAClientPayloadOptions) -> WACompanionReg_DeviceProps {
        var version = WACompanionReg_DeviceProps.AppVersion()
        version.primary = options.deviceVersion.primary
        version.secondary = options.deviceVersion.secondary
        version.tertiary = options.deviceVersion.tertiary
        var history = WACompanionReg_DeviceProps.HistorySyncConfig()
        history.storageQuotaMb = 10240
        history.inlineInitialPayloadInE2EeMsg = true
        history.supportCallLogHistory = true
        history.supportBotUserAgentChatHistory = true
        history.supportCagReactionsAndPolls = true
        history.supportBizHostedMsg = true
        history.supportRecentSyncChunkMessageCountTuning = true
        history.supportHostedGroupMsg = true
        history.supportFbidBotChatHistory = true
        history.supportMessageAssociation = true
        history.supportGroupHistory = true
        history.thumbnailSyncDaysLimit = 60
        history.supportManusHistory = true
        history.supportHatchHistory = true
        var props = WACompanionReg_DeviceProps()
        props.os = options.deviceOS
        props.version = version
        props.platformType = options.devicePlatformType
        props.requireFullSync = options.requireFullSync
        props.historySyncConfig = history
        return props
    }

    /// docs/protocol/lower.md §3.2 base payload shared by registration and login.
    static func base(_ options: WAClientPayloadOptions) -> Payload {
        var appVersion = Payload.UserAgent.AppVersion()
        appVersion.primary = options.appVersion.primary
        appVersion.secondary = options.appVersion.secondary
        appVersion.tertiary = options.appVersion.tertiary
        var userAgent = Payload.UserAgent()
        userAgent.platform = options.platform
        userAgent.releaseChannel = options.releaseChannel
        userAgent.appVersion = appVersion
        userAgent.mcc = options.mcc
        userAgent.mnc = options.mnc
        userAgent.osVersion = options.osVersion
        userAgent.manufacturer = options.manufacturer
        userAgent.device = options.device
        userAgent.osBuildNumber = options.osBuildNumber
        userAgent.localeLanguageIso6391 = options.localeLanguage
        userAgent.localeCountryIso31661Alpha2 = options.localeCountry
        var webInfo = Payload.WebInfo()
        webInfo.webSubPlatform = options.webSubPlatform
        var payload = Payload()
        payload.userAgent = userAgent
        payload.webInfo = webInfo
        payload.connectType = options.connectType
        payload.connectReason = options.connectReason
        if let pushName = options.pushName { payload.pushName = pushName }
        return payload
    }

    private static func check(_ value: [UInt8], _ field: WAClientPayloadError.Field, length: Int) throws(WAClientPayloadError) {
        guard value.count == length else { throw .invalidLength(field, expected: length, actual: value.count) }
    }

    private static func bigEndian(_ value: UInt32, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32(bytes - 1 - $0))) }
    }
}

/// Why a `ClientPayload` could not be built.
public enum WAClientPayloadError: Error, Equatable, Sendable {
    /// The registration fields that have fixed lengths.
    public enum Field: Sendable, Equatable {
        case identityKey, signedPreKey, signedPreKeySignature
    }

    /// A key or signature has the wrong length.
    case invalidLength(Field, expected: Int, actual: Int)
    /// The signed pre-key ID does not fit the 3 bytes it is sent in.
    case signedPreKeyIDOutOfRange(UInt32)
    /// Protobuf serialization failed.
    case serializationFailed
}
