import Testing
@testable import HostService

@Suite struct HostSettingsTests {
    func parse(_ json: String?, _ environment: [String: String] = [:]) throws(HostSettingsError) -> HostSettings {
        try HostSettings.parse(file: json.map { Array($0.utf8) }, environment: environment)
    }

    static let hexKey = String(repeating: "ab", count: 32)

    @Test func noFileAndNoEnvironmentMeansDefaults() throws {
        #expect(try parse(nil) == HostSettings())
        #expect(try parse("{}") == HostSettings())
    }

    @Test func everyMemberIsRead() throws {
        let settings = try parse(
            #"{"serverURL":"wss://127.0.0.1:8443/ws/chat","rootPublicKey":"\#(Self.hexKey)","caFile":"/etc/sim/ca.pem","appVersion":"2.3000.1023456789","future":1}"#)
        #expect(settings.serverURL == "wss://127.0.0.1:8443/ws/chat")
        #expect(settings.rootPublicKey == [UInt8](repeating: 0xAB, count: 32))
        #expect(settings.caFile == "/etc/sim/ca.pem")
        #expect(settings.appVersion == "2.3000.1023456789")
    }

    @Test func rootKeyMayBeBase64() throws {
        let base64 = Base64.encode([UInt8](repeating: 7, count: 32))
        #expect(try parse(#"{"rootPublicKey":"\#(base64)"}"#).rootPublicKey == [UInt8](repeating: 7, count: 32))
        #expect(try parse(#"{"rootPublicKey":"\#(String(base64.filter { $0 != "=" }))"}"#).rootPublicKey?.count == 32)
    }

    @Test func environmentOverridesTheFile() throws {
        let settings = try parse(
            #"{"serverURL":"wss://a.example/ws","appVersion":"1.2.3"}"#,
            ["CRM_WHATSAPP_SERVER_URL": "ws://127.0.0.1:9000/ws", "CRM_WHATSAPP_APP_VERSION": "", "CRM_WHATSAPP_CA_FILE": "/ca.pem"])
        #expect(settings.serverURL == "ws://127.0.0.1:9000/ws")
        #expect(settings.appVersion == "1.2.3")  // an empty variable does not override
        #expect(settings.caFile == "/ca.pem")
    }

    @Test(arguments: [
        (#"{"serverURL":"https://x/ws"}"#, "serverURL"),
        (#"{"serverURL":"ws://example.com/ws"}"#, "serverURL"),
        (#"{"serverURL":"wss:///ws"}"#, "serverURL"),
        (#"{"serverURL":"wss://user:pw@host/ws"}"#, "serverURL"),
        (#"{"serverURL":"wss://a b/ws"}"#, "serverURL"),
        (#"{"serverURL":5}"#, "serverURL"),
        (#"{"rootPublicKey":"abcd"}"#, "rootPublicKey"),
        (#"{"rootPublicKey":"\#(String(repeating: "zz", count: 32))"}"#, "rootPublicKey"),
        (#"{"caFile":"relative/ca.pem"}"#, "caFile"),
        (#"{"appVersion":"2.3000"}"#, "appVersion"),
        (#"{"appVersion":"2.x.1"}"#, "appVersion"),
        ("[1]", "settings.json"),
        ("{nope", "settings.json"),
    ])
    func invalidSettingsNameTheirField(_ json: String, _ field: String) {
        #expect(throws: HostSettingsError.self) { try parse(json) }
        do {
            _ = try parse(json)
        } catch {
            #expect(error.field == field)
            #expect(!error.reason.isEmpty)
        }
    }

    @Test func invalidEnvironmentValueSaysWhereItCameFrom() {
        do {
            _ = try parse(nil, ["CRM_WHATSAPP_ROOT_PUBKEY": "short"])
            Issue.record("accepted a short key")
        } catch {
            #expect(error.field == "rootPublicKey")
            #expect(error.reason.contains("CRM_WHATSAPP_ROOT_PUBKEY"))
        }
    }

    @Test func loadReadsTheFileInTheDataDirectoryAndChecksTheCAFile() throws {
        let directory = "/tmp/crm-wa-settings-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        #expect(FileSystem.makeDirectory(directory))
        let paths = HostPaths(dataDirectory: directory, logDirectory: directory)
        #expect(paths.settingsFile == directory + "/settings.json")
        #expect(try HostSettings.load(paths: paths, environment: [:]) == HostSettings())
        let file = directory + "/settings.json"
        let text = #"{"caFile":"\#(directory)/missing.pem"}"#
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        #expect(throws: HostSettingsError.self) { try HostSettings.load(paths: paths, environment: [:]) }
        unlink(file)
        rmdir(directory)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
