import WACore
import Foundation
import Testing
@testable import WAEngine

@Suite struct WAEngineConfigurationTests {
    let home = ["HOME": "/home/alice"]

    @Test func emptyEnvironmentTalksToWhatsApp() throws {
        let config = try WAEngineConfiguration(environment: home)
        #expect(config.serverURL.absoluteString == "wss://web.whatsapp.com/ws/chat")
        #expect(Hex.encode(config.rootPublicKey) == "142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b")
        #expect(config.extraTrustRootsFile == nil)
        #expect(config.dataDirectory == "/home/alice/.local/share/crm-whatsapp")
        #expect(config.talksToWhatsApp)
    }

    @Test func everyVariableOverridesItsDefault() throws {
        let key = [UInt8](repeating: 7, count: 32)
        let config = try WAEngineConfiguration(environment: [
            "CRM_WHATSAPP_SERVER_URL": "ws://127.0.0.1:5222/ws/chat",
            "CRM_WHATSAPP_ROOT_PUBKEY": Hex.encode(key),
            "CRM_WHATSAPP_CA_FILE": "/tmp/sim/ca.pem",
            "CRM_WHATSAPP_DATA_DIR": "/tmp/data",
        ])
        #expect(config.serverURL.absoluteString == "ws://127.0.0.1:5222/ws/chat")
        #expect(config.rootPublicKey == key)
        #expect(config.extraTrustRootsFile == "/tmp/sim/ca.pem")
        #expect(config.dataDirectory == "/tmp/data")
        #expect(!config.talksToWhatsApp)
    }

    @Test(arguments: [
        "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",  // standard, padded
        "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA",  // unpadded
        "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
        "0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20",
    ])
    func rootKeyIsAcceptedAsHexOrBase64(_ text: String) throws {
        let config = try WAEngineConfiguration(environment: home.merging(["CRM_WHATSAPP_ROOT_PUBKEY": text]) { $1 })
        #expect(config.rootPublicKey == Array(1...32))
    }

    @Test func rootKeyOfWrongLengthIsRejected() {
        #expect(throws: WAEngineConfigurationError.rootPublicKeyWrongLength(31)) {
            try WAEngineConfiguration(
                environment: home.merging([
                    "CRM_WHATSAPP_ROOT_PUBKEY": Data(repeating: 1, count: 31).base64EncodedString()
                ]) { $1 })
        }
    }

    @Test func rootKeyThatIsNeitherHexNorBase64IsRejected() {
        #expect(throws: WAEngineConfigurationError.invalidRootPublicKey) {
            try WAEngineConfiguration(environment: home.merging(["CRM_WHATSAPP_ROOT_PUBKEY": "not a key!"]) { $1 })
        }
    }

    @Test(arguments: ["https://web.whatsapp.com/ws/chat", "ftp://x/ws"])
    func nonWebSocketSchemeIsRejected(_ url: String) {
        #expect(throws: WAEngineConfigurationError.unsupportedServerURLScheme) {
            try WAEngineConfiguration(environment: home.merging(["CRM_WHATSAPP_SERVER_URL": url]) { $1 })
        }
    }

    @Test func urlWithoutHostIsRejected() {
        #expect(throws: WAEngineConfigurationError.invalidServerURL) {
            try WAEngineConfiguration(environment: home.merging(["CRM_WHATSAPP_SERVER_URL": "ws:///ws/chat"]) { $1 })
        }
    }

    @Test func relativePathsAreRejected() {
        #expect(throws: WAEngineConfigurationError.caFileNotAbsolute) {
            try WAEngineConfiguration(environment: home.merging(["CRM_WHATSAPP_CA_FILE": "ca.pem"]) { $1 })
        }
        #expect(throws: WAEngineConfigurationError.dataDirectoryNotAbsolute) {
            try WAEngineConfiguration(environment: home.merging(["CRM_WHATSAPP_DATA_DIR": "data"]) { $1 })
        }
    }

    @Test func emptyValuesCountAsUnset() throws {
        let config = try WAEngineConfiguration(
            environment: home.merging(["CRM_WHATSAPP_SERVER_URL": "", "CRM_WHATSAPP_ROOT_PUBKEY": "  "]) { $1 })
        #expect(config.talksToWhatsApp)
    }

    @Test func dataDirectoryFollowsXDGDataHome() throws {
        let config = try WAEngineConfiguration(environment: home.merging(["XDG_DATA_HOME": "/x/share"]) { $1 })
        #expect(config.dataDirectory == "/x/share/crm-whatsapp")
    }

    @Test func noHomeAndNoDataDirectoryIsRejected() {
        #expect(throws: WAEngineConfigurationError.noDataDirectory) {
            try WAEngineConfiguration(environment: [:])
        }
    }

    @Test func hexRejectsOddLengthAndNonDigits() {
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("") == [])
        #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
    }
}
