import WAProto

/// The values a client announces in its `ClientPayload` and `DeviceProps` (docs/protocol/lower.md §3.2–3.3).
///
/// Defaults are whatsmeow's (`BaseClientPayload`, `DeviceProps`, commit ac4867a3 and later), except
/// ``deviceOS``, which names this client instead of whatsmeow. The server judges these values: stale or
/// unusual ones led to 405 failures and to devices removed after linking (docs/protocol/lower.md §3.2 notes, §8 items 2 and 4).
public struct WAClientPayloadOptions: Sendable, Equatable {
    public typealias Payload = WAWebProtobufsWa6_ClientPayload

    /// `userAgent.appVersion` {primary, secondary, tertiary}: ``WAAppVersion/shipped`` unless the engine
    /// configured another (docs/protocol/lower.md §3.4). ``version`` is the same value as a ``WAAppVersion``.
    public var appVersion: (primary: UInt32, secondary: UInt32, tertiary: UInt32) = (
        WAAppVersion.shipped.primary, WAAppVersion.shipped.secondary, WAAppVersion.shipped.tertiary
    )
    /// `userAgent.platform`: WEB (14).
    public var platform: Payload.UserAgent.Platform = .web
    /// `userAgent.releaseChannel`: RELEASE (0).
    public var releaseChannel: Payload.UserAgent.ReleaseChannel = .release
    /// `userAgent.mcc` / `mnc`: "000".
    public var mcc = "000"
    public var mnc = "000"
    /// `userAgent.osVersion` / `osBuildNumber`: "0.1" (not "0.1.0", docs/protocol/lower.md §3.2 notes).
    public var osVersion = "0.1"
    public var osBuildNumber = "0.1"
    /// `userAgent.manufacturer`: "".
    public var manufacturer = ""
    /// `userAgent.device`: "Desktop".
    public var device = "Desktop"
    /// `userAgent.localeLanguageIso6391`: "en".
    public var localeLanguage = "en"
    /// `userAgent.localeCountryIso31661Alpha2`: "US".
    public var localeCountry = "US"
    /// `webInfo.webSubPlatform`: WEB_BROWSER (0).
    public var webSubPlatform: Payload.WebInfo.WebSubPlatform = .webBrowser
    /// `connectType`: WIFI_UNKNOWN (1).
    public var connectType: Payload.ConnectType = .wifiUnknown
    /// `connectReason`: USER_ACTIVATED (1).
    public var connectReason: Payload.ConnectReason = .userActivated
    /// `pushName`: not sent unless set.
    public var pushName: String?

    /// `DeviceProps.os`: the name shown in the phone's list of linked devices.
    public var deviceOS = "crm-whatsapp"
    /// `DeviceProps.version`: {0, 1, 0}.
    public var deviceVersion: (primary: UInt32, secondary: UInt32, tertiary: UInt32) = (0, 1, 0)
    /// `DeviceProps.platformType`: UNKNOWN (0).
    public var devicePlatformType: WACompanionReg_DeviceProps.PlatformType = .unknown
    /// `DeviceProps.requireFullSync`: false.
    public var requireFullSync = false

    /// `ClientPayload.lidDbMigrated` at login: true (whatsmeow; Baileys sends false).
    public var lidDbMigrated = true
    /// `ClientPayload.lc` at login: 1 (whatsmeow, since 7e66fe5e); nil leaves it out.
    public var lc: Int32? = 1

    public init() {}

    /// The defaults, announcing `appVersion` (the engine passes its configured or fetched version).
    public init(appVersion: WAAppVersion) {
        self.version = appVersion
    }

    /// ``appVersion`` as a ``WAAppVersion``.
    public var version: WAAppVersion {
        get { WAAppVersion(appVersion.primary, appVersion.secondary, appVersion.tertiary) }
        set { appVersion = (newValue.primary, newValue.secondary, newValue.tertiary) }
    }

    /// The version string `"<primary>.<secondary>.<tertiary>"` whose MD5 is the build hash.
    public var appVersionString: String { "\(appVersion.primary).\(appVersion.secondary).\(appVersion.tertiary)" }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.appVersion == rhs.appVersion && lhs.platform == rhs.platform && lhs.releaseChannel == rhs.releaseChannel
            && lhs.mcc == rhs.mcc && lhs.mnc == rhs.mnc && lhs.osVersion == rhs.osVersion
            && lhs.osBuildNumber == rhs.osBuildNumber && lhs.manufacturer == rhs.manufacturer
            && lhs.device == rhs.device && lhs.localeLanguage == rhs.localeLanguage
            && lhs.localeCountry == rhs.localeCountry && lhs.webSubPlatform == rhs.webSubPlatform
            && lhs.connectType == rhs.connectType && lhs.connectReason == rhs.connectReason
            && lhs.pushName == rhs.pushName && lhs.deviceOS == rhs.deviceOS && lhs.deviceVersion == rhs.deviceVersion
            && lhs.devicePlatformType == rhs.devicePlatformType && lhs.requireFullSync == rhs.requireFullSync
            && lhs.lidDbMigrated == rhs.lidDbMigrated && lhs.lc == rhs.lc
    }
}
