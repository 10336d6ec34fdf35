import Testing
@testable import HostService

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
