import Foundation
import SwiftProtobuf
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
            if agent.hasMcc { mcc = agent.mcc }
            if agent.hasMnc { mnc = agent.mnc }
            if agent.hasManufacturer { manufacturer = agent.manufacturer }
            if agent.hasOsBuildNumber { osBuildNumber = agent.osBuildNumber }
            if agent.hasReleaseChannel { releaseChannel = "\(agent.releaseChannel)" }
        }
        if payload.hasWebInfo { webSubPlatform = "\(payload.webInfo.webSubPlatform)" }
        if payload.hasConnectType { connectType = "\(payload.connectType)" }
        if payload.hasConnectReason { connectReason = "\(payload.connectReason)" }
        if payload.hasDevicePairingData, payload.devicePairingData.hasDeviceProps,
            let props = try? WACompanionReg_DeviceProps(serializedBytes: payload.devicePairingData.deviceProps)
        {
            deviceProps = "os=\(props.os) platformType=\(props.platformType)"
            devicePropsVersion = "\(props.version.primary).\(props.version.secondary).\(props.version.tertiary)"
            if props.hasRequireFullSync { requireFullSync = props.requireFullSync }
            historySyncConfig = props.hasHistorySyncConfig
        }
        if payload.hasLidDbMigrated { lidDbMigrated = payload.lidDbMigrated }
        if payload.hasDevicePairingData {
            let pairing = payload.devicePairingData
            pairingDataLengths = [
                "eRegid": pairing.eRegid.count, "eKeytype": pairing.eKeytype.count, "eIdent": pairing.eIdent.count,
                "eSkeyId": pairing.eSkeyID.count, "eSkeyVal": pairing.eSkeyVal.count, "eSkeySig": pairing.eSkeySig.count,
                "buildHash": pairing.buildHash.count,
            ]
        }
        fieldsSet = Self.fieldNames(payload.textFormatString(), prefix: "")
            + (payload.hasUserAgent ? Self.fieldNames(payload.userAgent.textFormatString(), prefix: "userAgent.") : [])
    }

    /// The top-level field names of a text-format rendering (names only: values, keys included, are dropped).
    static func fieldNames(_ text: String, prefix: String) -> [String] {
        var names: Set<String> = []
        for line in text.split(separator: "\n") where !line.hasPrefix(" ") {
            let name = line.prefix { $0 != ":" && $0 != " " && $0 != "{" }
            if !name.isEmpty, name != "}" { names.insert(prefix + name) }
        }
        return names.sorted()
    }
}
