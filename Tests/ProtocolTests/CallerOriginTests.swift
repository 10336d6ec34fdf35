import Testing
@testable import HostProtocol

@Suite struct CallerOriginTests {
    static let ours = "chrome-extension://lgpglinhmaadahglcbjajchcmaaaglnn/"

    @Test func chromeOriginWithTrailingSlashIsParsed() {
        #expect(CallerOrigin(arguments: [Self.ours]) == .chromeExtension(id: "lgpglinhmaadahglcbjajchcmaaaglnn"))
        #expect(CallerOrigin(arguments: [Self.ours]).isAllowed(environment: [:]))
    }

    @Test func firefoxManifestPathAndAddonIDAreAccepted() {
        let origin = CallerOrigin(arguments: ["/home/a/.mozilla/native-messaging-hosts/io.crm_whatsapp.host.json", "crm-whatsapp@crm-whatsapp.dev"])
        #expect(origin == .firefoxAddon(id: "crm-whatsapp@crm-whatsapp.dev"))
        #expect(origin.isAllowed(environment: [:]))
    }

    @Test func otherExtensionsAreRefused() {
        #expect(!CallerOrigin(arguments: ["chrome-extension://mdeglfibealdhmolfajikgklikejabmm/"]).isAllowed(environment: [:]))
        #expect(!CallerOrigin(arguments: ["/x/m.json", "evil@example.com"]).isAllowed(environment: [:]))
    }

    @Test(arguments: [[], ["https://lgpglinhmaadahglcbjajchcmaaaglnn/"], ["chrome-extension://LGPGLINHMAADAHGLCBJAJCHCMAAAGLNN/"],
        ["chrome-extension://lgpglinhmaadahglcbjajchcmaaaglnnx/"], ["chrome-extension://qqpglinhmaadahglcbjajchcmaaaglnn/"], ["doctor"]])
    func malformedOrMissingOriginsAreRefused(_ arguments: [String]) {
        #expect(!CallerOrigin(arguments: arguments).isAllowed(environment: [:]))
    }

    @Test func environmentAddsDevelopmentIDs() {
        let environment = [
            "CRM_WHATSAPP_ALLOWED_ORIGINS": " mdeglfibealdhmolfajikgklikejabmm , chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/,dev@example.com"
        ]
        #expect(CallerOrigin(arguments: ["chrome-extension://mdeglfibealdhmolfajikgklikejabmm/"]).isAllowed(environment: environment))
        #expect(CallerOrigin(arguments: ["chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"]).isAllowed(environment: environment))
        #expect(CallerOrigin(arguments: ["/m.json", "dev@example.com"]).isAllowed(environment: environment))
        #expect(!CallerOrigin(arguments: ["chrome-extension://bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/"]).isAllowed(environment: environment))
    }
}

@Suite struct HostPathsTests {
    @Test func linuxDefaultsFollowXDG() {
        #expect(
            HostPaths.resolve(environment: ["HOME": "/home/ana"], platform: .linux)
                == HostPaths(dataDirectory: "/home/ana/.local/share/crm-whatsapp", logDirectory: "/home/ana/.local/state/crm-whatsapp"))
        #expect(
            HostPaths.resolve(environment: ["HOME": "/home/ana", "XDG_DATA_HOME": "/d/", "XDG_STATE_HOME": "/s"], platform: .linux)
                == HostPaths(dataDirectory: "/d/crm-whatsapp", logDirectory: "/s/crm-whatsapp"))
    }

    @Test func relativeXDGValuesAreIgnored() {
        #expect(
            HostPaths.resolve(environment: ["HOME": "/h", "XDG_DATA_HOME": "rel", "XDG_STATE_HOME": ""], platform: .linux)
                == HostPaths(dataDirectory: "/h/.local/share/crm-whatsapp", logDirectory: "/h/.local/state/crm-whatsapp"))
    }

    @Test func dataDirectoryOverrideWins() {
        #expect(HostPaths.resolve(environment: ["HOME": "/h", "CRM_WHATSAPP_DATA_DIR": "/srv/wa"], platform: .macOS)?.dataDirectory == "/srv/wa")
    }

    @Test func macOSUsesLibraryFolders() {
        #expect(
            HostPaths.resolve(environment: ["HOME": "/Users/ana"], platform: .macOS)
                == HostPaths(
                    dataDirectory: "/Users/ana/Library/Application Support/crm-whatsapp", logDirectory: "/Users/ana/Library/Logs/crm-whatsapp"))
    }

    @Test func noHomeAndNoOverrideResolvesNothing() {
        #expect(HostPaths.resolve(environment: [:], platform: .linux) == nil)
    }
}

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
