import Foundation
import Testing
import TestSupport

/// How the browser launches the host: origin arguments, refusal, `--version`, `doctor`, files and logs.
extension HostBinaryTests {
@Suite struct LaunchTests {
    @Test func wrongOriginIsRefusedWithOriginNotAllowed() throws {
        let run = try #require(HostProcess.run(arguments: ["chrome-extension://mdeglfibealdhmolfajikgklikejabmm/"], input: frame(helloRequest)))
        #expect(!run.crashed && !run.timedOut)
        #expect(run.status == 1)
        #expect(run.frames() == [#"{"error":{"code":8,"message":"caller origin is not an allowed extension"},"id":1}"#])
    }

    @Test func missingOriginIsRefused() throws {
        let run = try #require(HostProcess.run(arguments: [], input: frame(helloRequest)))
        #expect(run.status == 1)
        #expect(run.frames().first?.contains(#""code":8"#) == true)
    }

    @Test func windowsParentWindowFlagIsAccepted() throws {
        let run = try #require(HostProcess.run(arguments: [HostProcess.ourOrigin, "--parent-window=0"], input: frame(helloRequest)))
        #expect(run.status == 0)
        #expect(run.frames().first?.hasPrefix(#"{"id":1,"result""#) == true)
    }

    @Test func firefoxArgumentsAreAccepted() throws {
        let run = try #require(
            HostProcess.run(
                arguments: ["/home/u/.mozilla/native-messaging-hosts/io.crm_whatsapp.host.json", "crm-whatsapp@crm-whatsapp.dev"],
                input: frame(helloRequest)))
        #expect(run.status == 0)
        #expect(run.frames().first?.hasPrefix(#"{"id":1,"result""#) == true)
    }

    @Test func developmentOriginsComeFromTheEnvironment() throws {
        let run = try #require(
            HostProcess.run(
                arguments: ["chrome-extension://mdeglfibealdhmolfajikgklikejabmm/"], input: frame(helloRequest),
                environment: ["CRM_WHATSAPP_ALLOWED_ORIGINS": "mdeglfibealdhmolfajikgklikejabmm"]))
        #expect(run.status == 0)
        #expect(run.frames().first?.hasPrefix(#"{"id":1,"result""#) == true)
    }

    @Test func versionFlagPrintsTheVersion() throws {
        let run = try #require(HostProcess.run(arguments: ["--version"], input: []))
        #expect(run.status == 0)
        #expect(String(decoding: run.stdout, as: UTF8.self) == "0.1.0\n")
    }

    @Test func storeAndLogDirectoriesArePrivateAndTheLogHoldsNoBodies() throws {
        let home = HostProcess.temporaryHome()
        let secret = "SECRET-\(UUID().uuidString)"
        let input = frame(#"{"id":1,"type":"host.ping","payload":{"echo":"\#(secret)"}}"#)
            + frame(#"{"id":2,"type":"message.send","payload":{"to":"5511987654321","text":"\#(secret)","clientMessageId":"c"}}"#)
        let run = try #require(HostProcess.run(input: input, home: home, environment: ["CRM_WHATSAPP_LOG_LEVEL": "trace"]))
        #expect(run.status == 0)
        let manager = FileManager.default
        let data = home.appendingPathComponent(".local/share/crm-whatsapp").path
        let logs = home.appendingPathComponent(".local/state/crm-whatsapp").path
        let log = logs + "/host.log"
        #expect((try manager.attributesOfItem(atPath: data)[.posixPermissions] as? Int) == 0o700)
        #expect((try manager.attributesOfItem(atPath: logs)[.posixPermissions] as? Int) == 0o700)
        #expect((try manager.attributesOfItem(atPath: log)[.posixPermissions] as? Int) == 0o600)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("started"))
        #expect(!text.contains(secret))
        #expect(!run.stderr.contains(secret))
    }

    @Test func dataDirectoryOverrideIsReportedInHello() throws {
        let home = HostProcess.temporaryHome()
        let store = home.appendingPathComponent("custom store").path
        let run = try #require(HostProcess.run(input: frame(helloRequest), home: home, environment: ["CRM_WHATSAPP_DATA_DIR": store]))
        #expect(run.frames().first?.contains(#""storePath":"\#(store)""#) == true)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: store, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test func diagnosticsReportTheStoreAndTheLogTail() throws {
        let run = try #require(HostProcess.run(input: frame(#"{"id":"d","type":"host.diagnostics"}"#)))
        let reply = try #require(run.frames().first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any])
        let result = try #require(object["result"] as? [String: Any])
        #expect((result["store"] as? [String: Any])?["mode"] as? String == "700")
        #expect((result["logTail"] as? [String])?.contains { $0.contains("started") } == true)
    }

    @Test func doctorFailsWithoutManifestsAndPassesWithOne() throws {
        let home = HostProcess.temporaryHome()
        let missing = try #require(HostProcess.run(arguments: ["doctor"], input: [], home: home))
        #expect(missing.status == 1)
        #expect(String(decoding: missing.stdout, as: UTF8.self).contains("no browser has a usable manifest"))

        let binary = try #require(HostProcess.binary()).resolvingSymlinksInPath().path
        let directory = home.appendingPathComponent(".config/chromium/NativeMessagingHosts")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let manifest = #"{"name":"io.crm_whatsapp.host","description":"crm-whatsapp","path":"\#(binary)","type":"stdio","allowed_origins":["chrome-extension://lgpglinhmaadahglcbjajchcmaaaglnn/"]}"#
        try manifest.write(to: directory.appendingPathComponent("io.crm_whatsapp.host.json"), atomically: true, encoding: .utf8)
        let fine = try #require(HostProcess.run(arguments: ["doctor"], input: [], home: home))
        let output = String(decoding: fine.stdout, as: UTF8.self)
        #expect(fine.status == 0, "\(output)")
        #expect(output.contains("ok    Chromium (user)"))

        try #"{"name":"wrong","path":"rel","type":"stdio","allowed_origins":[]}"#.write(
            to: directory.appendingPathComponent("io.crm_whatsapp.host.json"), atomically: true, encoding: .utf8)
        let broken = try #require(HostProcess.run(arguments: ["doctor"], input: [], home: home))
        #expect(broken.status == 1)
        #expect(String(decoding: broken.stdout, as: UTF8.self).contains("\"name\" is \"wrong\""))
    }

    @Test func invalidSettingsFileMakesTheEngineUnavailableAndFailsDoctor() throws {
        let home = HostProcess.temporaryHome()
        let data = home.appendingPathComponent(".local/share/crm-whatsapp")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try #"{"serverURL":"http://example.com/ws"}"#.write(
            to: data.appendingPathComponent("settings.json"), atomically: true, encoding: .utf8)
        let run = try #require(
            HostProcess.run(input: frame(helloRequest) + frame(#"{"id":2,"type":"link.start","payload":{"method":"qr"}}"#), home: home))
        #expect(run.status == 0)
        let frames = run.frames()
        #expect(frames.first?.contains(#""engine":{"message":"serverURL must start with wss://"#) == true)
        #expect(frames.first?.contains(#""reason":"configuration","state":"unavailable"}"#) == true)
        #expect(frames.last?.hasPrefix(#"{"error":{"code":24,"data":{"field":"serverURL","#) == true)
        let log = try String(contentsOfFile: home.appendingPathComponent(".local/state/crm-whatsapp/host.log").path, encoding: .utf8)
        #expect(log.contains("invalid settings"))

        let doctor = try #require(HostProcess.run(arguments: ["doctor"], input: [], home: home))
        #expect(doctor.status == 1)
        #expect(String(decoding: doctor.stdout, as: UTF8.self).contains("FAIL  settings: serverURL must start with wss://"))

        // The environment overrides the file (a browser-launched host has none of it; tests do).
        let fixed = try #require(
            HostProcess.run(input: frame(helloRequest), home: home, environment: ["CRM_WHATSAPP_SERVER_URL": "wss://127.0.0.1:1/ws"]))
        #expect(fixed.frames().first?.contains(#""engine":{"state":"unlinked"}"#) == true)
    }

    @Test func helpDescribesTheCommands() throws {
        let run = try #require(HostProcess.run(arguments: ["--help"], input: []))
        #expect(run.status == 0)
        #expect(String(decoding: run.stdout, as: UTF8.self).contains("crm-whatsapp-host doctor"))
    }

    @Test func helloFixtureIsAnsweredByTheHost() throws {
        let fixture = Repository.url("Tests/NativeHostTests/Fixtures/hello.bin")
        let input = try Data(contentsOf: fixture)
        #expect(Array(input) == frame(helloRequest))
        let run = try #require(HostProcess.run(input: Array(input)))
        #expect(run.frames().first?.hasPrefix(#"{"id":1,"result""#) == true)
    }
}
}
