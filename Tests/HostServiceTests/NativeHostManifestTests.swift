import Testing
@testable import HostService

@Suite struct NativeHostManifestTests {
    @Test func correctChromiumManifestHasNoProblems() throws {
        let json = #"{"name":"io.crm_whatsapp.host","description":"d","path":"/opt/h","type":"stdio","allowed_origins":["chrome-extension://lgpglinhmaadahglcbjajchcmaaaglnn/"]}"#
        let manifest = try #require(NativeHostManifest.decode(Array(json.utf8)))
        #expect(manifest.problems(firefox: false).isEmpty)
        #expect(manifest.problems(firefox: true) == [.extensionNotAllowed(expected: "crm-whatsapp@crm-whatsapp.dev")])
    }

    @Test func originWithoutTrailingSlashIsAProblem() throws {
        let json = #"{"name":"io.crm_whatsapp.host","path":"h","type":"x","allowed_origins":["chrome-extension://lgpglinhmaadahglcbjajchcmaaaglnn"]}"#
        let manifest = try #require(NativeHostManifest.decode(Array(json.utf8)))
        #expect(
            manifest.problems(firefox: false) == [
                .wrongType("x"), .pathNotAbsolute("h"), .extensionNotAllowed(expected: "chrome-extension://lgpglinhmaadahglcbjajchcmaaaglnn/"),
            ])
    }

    @Test func firefoxManifestUsesAllowedExtensions() throws {
        let json = #"{"name":"io.crm_whatsapp.host","path":"/h","type":"stdio","allowed_extensions":["crm-whatsapp@crm-whatsapp.dev"]}"#
        #expect(try #require(NativeHostManifest.decode(Array(json.utf8))).problems(firefox: true).isEmpty)
    }

    @Test func garbageIsNotAManifest() {
        #expect(NativeHostManifest.decode(Array("{\"name\":5}".utf8)) == nil)
        #expect(NativeHostManifest.decode([0xFF]) == nil)
    }

    @Test func everyLocationEndsWithTheHostManifestName() {
        for platform in [HostPaths.Platform.linux, .macOS] {
            let locations = ManifestLocation.all(platform: platform, home: "/h")
            #expect(locations.count == 10)
            #expect(locations.allSatisfy { $0.manifestPath.hasSuffix("/io.crm_whatsapp.host.json") })
        }
        #expect(ManifestLocation.all(platform: .linux, home: "/h", configHome: "/c")[1].directory == "/c/chromium/NativeMessagingHosts")
    }
}
