import Foundation
import Testing
@testable import WASim

@Suite struct TestCertificateAuthorityTests {
    @Test func keysAreWrittenWithMode0600AndReusedOnRestart() throws {
        let dir = try makeTemporaryDirectory()
        let first = try TestCertificateAuthority.loadOrCreate(directory: dir, now: Date())
        let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/server.key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try TestCertificateAuthority.loadOrCreate(directory: dir, now: Date())
        #expect(first.caCertificatePEM == second.caCertificatePEM)
        #expect(first.serverKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }

    @Test func rootKeyFileIsCreatedOnceWithMode0600() throws {
        let path = try makeTemporaryDirectory() + "/root.key"
        let key = try RootKeyFile.loadOrCreate(path: path)
        #expect(key.count == 32)
        #expect(try RootKeyFile.loadOrCreate(path: path) == key)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func malformedRootKeyFileIsRejected() throws {
        let path = try makeTemporaryDirectory() + "/root.key"
        try "not hex".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: RootKeyFile.Error.malformed) { try RootKeyFile.loadOrCreate(path: path) }
    }
}
