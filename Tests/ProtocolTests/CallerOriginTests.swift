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
