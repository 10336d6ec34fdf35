import Foundation
import WAProto

extension ConnectionRecord.Payload {
    /// Summarises a decrypted ClientPayload (docs/protocol/lower.md §3) without keys or signatures; nil when the bytes
    /// are not a ClientPayload.
    init?(serialized bytes: [UInt8]) {
        guard let payload = try? WAWebProtobufsWa6_ClientPayload(serializedBytes: bytes) else { return nil }
        self.init(kind: payload.hasDevicePairingData ? "registration" : (payload.hasUsername ? "login" : "unknown"))
        if payload.hasUsername { username = payload.username }
        if payload.hasDevice { device = payload.device }
        if payload.hasPassive { passive = payload.passive }
        if payload.hasPull { pull = payload.pull }
        if payload.hasUserAgent {
            let agent = payload.userAgent
            platform = "\(agent.platform)"
            let v = agent.appVersion
            appVersion = "\(v.primary).\(v.secondary).\(v.tertiary)"
            osVersion = agent.osVersion
            deviceName = agent.device
            localeLanguage = agent.localeLanguageIso6391
            localeCountry = agent.localeCountryIso31661Alpha2
        }
        if payload.hasWebInfo { webSubPlatform = "\(payload.webInfo.webSubPlatform)" }
        if payload.hasConnectType { connectType = "\(payload.connectType)" }
        if payload.hasConnectReason { connectReason = "\(payload.connectReason)" }
        if payload.hasDevicePairingData, payload.devicePairingData.hasDeviceProps,
            let props = try? WACompanionReg_DeviceProps(serializedBytes: payload.devicePairingData.deviceProps)
        {
            deviceProps = "os=\(props.os) platformType=\(props.platformType)"
        }
    }
}
