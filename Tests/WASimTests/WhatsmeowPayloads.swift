import Foundation
import Testing
import WANoise
@testable import WASim

/// ClientPayload fidelity: the ClientPayload summaries wa-sim recorded for whatsmeow's registration and first login
/// in tests/suites/60-whatsmeow-sim.sh (neonize 0.5.2; `GET /connections`, saved there as `payloads.json`), and the
/// rule that compares them with the payloads our engine builds (docs/protocol/lower.md §3.2, §3.3).
enum WhatsmeowPayloads {
    static let json = #"""
        {"registration": {"appVersion": "2.3000.1047769893", "connectReason": "userActivated", "connectType": "wifiUnknown", "deviceName": "Desktop", "deviceProps": "os=Neonize platformType=safari", "devicePropsVersion": "0.1.0", "fieldsSet": ["connectReason", "connectType", "devicePairingData", "passive", "pull", "userAgent", "webInfo", "userAgent.appVersion", "userAgent.device", "userAgent.localeCountryIso31661Alpha2", "userAgent.localeLanguageIso6391", "userAgent.manufacturer", "userAgent.mcc", "userAgent.mnc", "userAgent.osBuildNumber", "userAgent.osVersion", "userAgent.platform", "userAgent.releaseChannel"], "historySyncConfig": true, "kind": "registration", "localeCountry": "US", "localeLanguage": "en", "manufacturer": "", "mcc": "000", "mnc": "000", "osBuildNumber": "0.1", "osVersion": "0.1", "pairingDataLengths": {"buildHash": 16, "eIdent": 32, "eKeytype": 1, "eRegid": 4, "eSkeyId": 3, "eSkeySig": 64, "eSkeyVal": 32}, "passive": false, "platform": "web", "pull": false, "releaseChannel": "release", "requireFullSync": false, "webSubPlatform": "webBrowser"},
         "login": {"appVersion": "2.3000.1047769893", "connectReason": "userActivated", "connectType": "wifiUnknown", "device": 1, "deviceName": "Desktop", "fieldsSet": ["connectReason", "connectType", "device", "lc", "lidDbMigrated", "passive", "pull", "userAgent", "username", "webInfo", "userAgent.appVersion", "userAgent.device", "userAgent.localeCountryIso31661Alpha2", "userAgent.localeLanguageIso6391", "userAgent.manufacturer", "userAgent.mcc", "userAgent.mnc", "userAgent.osBuildNumber", "userAgent.osVersion", "userAgent.platform", "userAgent.releaseChannel"], "kind": "login", "lidDbMigrated": true, "localeCountry": "US", "localeLanguage": "en", "manufacturer": "", "mcc": "000", "mnc": "000", "osBuildNumber": "0.1", "osVersion": "0.1", "passive": true, "platform": "web", "pull": true, "releaseChannel": "release", "username": 15551234567, "webSubPlatform": "webBrowser"}}
        """#

    /// Fields whose values legitimately differ; only their presence is compared.
    static let valueMayDiffer: Set<String> = [
        // The WhatsApp Web version each client announces: a release choice, checked by the server's build hash.
        "appVersion",
        // The linked account's number and device index: the phone's choice.
        "username", "device",
        // DeviceProps.os is the name shown on the phone (configuration: "Neonize" there); platformType is
        // the browser icon, also configuration. Its presence still has to match.
        "deviceProps",
    ]

    static func load() throws -> (registration: [String: String], login: [String: String]) {
        let decoded = try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [String: Any]])
        return (flatten(decoded["registration"] ?? [:]), flatten(decoded["login"] ?? [:]))
    }

    /// A recorded summary as field → value text, ``valueMayDiffer`` values blanked.
    static func flatten(_ object: [String: Any]) -> [String: String] {
        var fields: [String: String] = [:]
        for (key, value) in object {
            let text: String
            if value is [Any] || value is [String: Any],
                let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
            {
                text = String(decoding: data, as: UTF8.self)
            } else {
                text = "\(value)"
            }
            fields[key] = valueMayDiffer.contains(key) ? "*" : text
        }
        return fields
    }

    static func summary(_ payload: ConnectionRecord.Payload) throws -> [String: String] {
        let data = try JSONEncoder().encode(payload)
        return flatten(try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
    }
}

@Suite struct WhatsmeowPayloadTests {
    @Test func registrationPayloadHasWhatsmeowsFieldsAndValues() throws {
        let bytes = try LinkingCompanion().registrationPayload()
        let ours = try WhatsmeowPayloads.summary(try #require(ConnectionRecord.Payload(serialized: bytes)))
        #expect(ours == (try WhatsmeowPayloads.load().registration))
    }

    @Test func loginPayloadHasWhatsmeowsFieldsAndValues() throws {
        let bytes: [UInt8] = try WAClientPayload.login(username: 15_557_654_321, device: 3).serializedBytes()
        let ours = try WhatsmeowPayloads.summary(try #require(ConnectionRecord.Payload(serialized: bytes)))
        #expect(ours == (try WhatsmeowPayloads.load().login))
    }
}
