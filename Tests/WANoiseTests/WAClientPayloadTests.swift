import Testing
import WAProto
@testable import WANoise

/// ClientPayload builders (docs/protocol/lower.md §3.2–3.3).
@Suite struct WAClientPayloadTests {
    let registration = WAClientPayload.Registration(
        registrationID: 0xA1B2_C3D4, identityKey: [UInt8](repeating: 1, count: 32), signedPreKeyID: 1,
        signedPreKey: [UInt8](repeating: 2, count: 32), signedPreKeySignature: [UInt8](repeating: 3, count: 64))

    @Test func baseValuesAreWhatsmeowDefaults() {
        let payload = WAClientPayload.login(username: 1, device: 0)
        let agent = payload.userAgent
        #expect(agent.platform == .web && agent.releaseChannel == .release)
        #expect(agent.appVersion.primary == 2 && agent.appVersion.secondary == 3000 && agent.appVersion.tertiary == 1_049_558_099)
        #expect(agent.mcc == "000" && agent.mnc == "000" && agent.osVersion == "0.1" && agent.osBuildNumber == "0.1")
        #expect(agent.device == "Desktop" && agent.hasManufacturer && agent.manufacturer == "")
        #expect(agent.localeLanguageIso6391 == "en" && agent.localeCountryIso31661Alpha2 == "US")
        #expect(payload.webInfo.webSubPlatform == .webBrowser)
        #expect(payload.connectType == .wifiUnknown && payload.connectReason == .userActivated)
        #expect(!payload.hasPushName)
    }

    @Test func configuredAppVersionReachesUserAgentAndBuildHash() throws {
        let version = WAAppVersion(2, 3000, 1_054_000_001)
        let options = WAClientPayloadOptions(appVersion: version)
        let login = WAClientPayload.login(options: options, username: 1, device: 0)
        #expect(login.userAgent.appVersion.tertiary == 1_054_000_001)
        let payload = try WAClientPayload.registration(options: options, registration: registration)
        #expect(Array(payload.devicePairingData.buildHash) == version.buildHash)
    }

    @Test func buildHashIsTheMD5OfTheDottedVersion() {
        // docs/protocol/lower.md §3.2 notes: MD5("2.3000.1049558099").
        #expect(WAAppVersion.shipped.buildHash.hex == "647658dfb61af8bf327469a4c48f0393")
        #expect(WAAppVersion.shipped.buildHash == WAClientPayload.buildHash("2.3000.1049558099"))
    }

    @Test(arguments: ["2.3000", "2.3000.1.4", "2..1", "2.3000.x", "2.3000.99999999999", "2.3000.-1", " 2.3000.1", ""])
    func malformedVersionTextIsRefused(_ text: String) {
        #expect(WAAppVersion(text) == nil)
    }

    @Test func versionTextRoundTrips() {
        #expect(WAAppVersion("2.3000.1049558099") == .shipped)
        #expect(WAAppVersion.shipped.description == "2.3000.1049558099")
        #expect(WAAppVersion(webClientRevision: 1_049_558_099) == .shipped)
    }

    @Test func loginCarriesUsernameDevicePassivePullLidAndLc() {
        let payload = WAClientPayload.login(username: 15_551_234_567, device: 7)
        #expect(payload.username == 15_551_234_567 && payload.device == 7)
        #expect(payload.passive && payload.pull && payload.lidDbMigrated && payload.lc == 1)
        #expect(!payload.hasDevicePairingData)
        var options = WAClientPayloadOptions()
        options.lc = nil
        options.lidDbMigrated = false
        let baileysLike = WAClientPayload.login(options: options, username: 1, device: 1)
        #expect(!baileysLike.hasLc && baileysLike.hasLidDbMigrated && !baileysLike.lidDbMigrated)
    }

    @Test func registrationEncodesPairingDataLayouts() throws {
        let payload = try WAClientPayload.registration(registration: registration)
        #expect(payload.hasPassive && !payload.passive && payload.hasPull && !payload.pull)
        #expect(!payload.hasUsername && !payload.hasDevice)
        let pairing = payload.devicePairingData
        #expect(Array(pairing.eRegid) == [0xA1, 0xB2, 0xC3, 0xD4])
        #expect(Array(pairing.eKeytype) == [0x05])
        #expect(Array(pairing.eSkeyID) == [0, 0, 1])
        #expect(pairing.eIdent.count == 32 && pairing.eSkeyVal.count == 32 && pairing.eSkeySig.count == 64)
        #expect(Array(pairing.buildHash) == WAClientPayload.buildHash("2.3000.1049558099"))
        let props = try WACompanionReg_DeviceProps(serializedBytes: Array(pairing.deviceProps))
        #expect(props.os == "crm-whatsapp" && props.platformType == .unknown && !props.requireFullSync)
        #expect(props.version.primary == 0 && props.version.secondary == 1 && props.version.tertiary == 0)
        #expect(props.historySyncConfig.storageQuotaMb == 10240 && props.historySyncConfig.thumbnailSyncDaysLimit == 60)
        #expect(props.historySyncConfig.supportGroupHistory && props.historySyncConfig.inlineInitialPayloadInE2EeMsg)
    }

    @Test func buildHashIsMD5OfVersionString() {
        // MD5("abc") from RFC 1321 §A.5, to pin the hash function itself.
        #expect(WAClientPayload.buildHash("abc").hex == "900150983cd24fb0d6963f7d28e17f72")
    }

    @Test func registrationRejectsBadLengthsAndIDs() {
        var bad = registration
        bad.identityKey = [1]
        #expect(throws: WAClientPayloadError.invalidLength(.identityKey, expected: 32, actual: 1)) {
            try WAClientPayload.registration(registration: bad)
        }
        bad = registration
        bad.signedPreKeySignature = []
        #expect(throws: WAClientPayloadError.invalidLength(.signedPreKeySignature, expected: 64, actual: 0)) {
            try WAClientPayload.registration(registration: bad)
        }
        bad = registration
        bad.signedPreKeyID = 1 << 24
        #expect(throws: WAClientPayloadError.signedPreKeyIDOutOfRange(1 << 24)) { try WAClientPayload.registration(registration: bad) }
    }
}
