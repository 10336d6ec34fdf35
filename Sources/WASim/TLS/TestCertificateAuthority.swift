import Crypto
import Foundation
import SwiftASN1
import X509

/// A throw-away TLS certificate authority and the simulator's server certificate, for `wss://` on loopback.
///
/// The server certificate names `web.whatsapp.com` (so a real client routed through a CONNECT proxy accepts
/// it), `*.whatsapp.com`, `*.whatsapp.net`, `localhost` and `127.0.0.1`. Clients trust `ca.pem` only (the
/// engine through `CRM_WHATSAPP_CA_FILE`, whatsmeow through `SSL_CERT_FILE`).
///
/// Files in the TLS directory, all PEM: `ca.pem`, `ca.key` (0600), `server.pem` (leaf followed by the CA),
/// `server.key` (0600). Existing files are reused, so a test CA survives restarts.
public struct TestCertificateAuthority: Sendable {
    /// The CA certificate, PEM.
    public var caCertificatePEM: String
    /// The server certificate chain (leaf, then CA), PEM.
    public var serverChainPEM: String
    /// The server private key, PEM (PKCS#8).
    public var serverKeyPEM: String

    /// Names the server certificate is valid for.
    public static let serverDNSNames = ["web.whatsapp.com", "*.whatsapp.com", "*.whatsapp.net", "localhost"]
    /// Validity of generated certificates.
    public static let validity: TimeInterval = 30 * 24 * 3600

    /// Generates a fresh CA and server certificate, valid from one hour before `now`.
    public static func generate(now: Date) throws -> TestCertificateAuthority {
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            CommonName("wa-sim Test CA (loopback only)")
        }
        let notBefore = now.addingTimeInterval(-3600)
        let notAfter = now.addingTimeInterval(validity)
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))
        let serverKey = P256.Signing.PrivateKey()
        let serverName = try DistinguishedName { CommonName("web.whatsapp.com") }
        let loopback: [UInt8] = [127, 0, 0, 1]
        let leaf = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: serverName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(
                    serverDNSNames.map { GeneralName.dnsName($0) }
                        + [.ipAddress(ASN1OctetString(contentBytes: loopback[...]))])
            },
            issuerPrivateKey: .init(caKey))
        let caPEM = try ca.serializeAsPEM().pemString
        return TestCertificateAuthority(
            caCertificatePEM: caPEM,
            serverChainPEM: try leaf.serializeAsPEM().pemString + "\n" + caPEM,
            serverKeyPEM: serverKey.pemRepresentation)
    }

    /// Loads `ca.pem`, `server.pem` and `server.key` from `directory`, or generates and writes them (with
    /// `ca.key` dropped: nothing needs to sign again) when any is missing.
    public static func loadOrCreate(directory: String, now: Date) throws -> TestCertificateAuthority {
        let fm = FileManager.default
        let ca = directory + "/ca.pem", chain = directory + "/server.pem", key = directory + "/server.key"
        if fm.fileExists(atPath: ca), fm.fileExists(atPath: chain), fm.fileExists(atPath: key) {
            return TestCertificateAuthority(
                caCertificatePEM: try String(contentsOfFile: ca, encoding: .utf8),
                serverChainPEM: try String(contentsOfFile: chain, encoding: .utf8),
                serverKeyPEM: try String(contentsOfFile: key, encoding: .utf8))
        }
        let made = try generate(now: now)
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try SecretFile.write(made.serverKeyPEM, to: key)
        try made.caCertificatePEM.write(toFile: ca, atomically: true, encoding: .utf8)
        try made.serverChainPEM.write(toFile: chain, atomically: true, encoding: .utf8)
        return made
    }
}

/// Writes files that hold keys: created with mode 0600 before any byte is written.
enum SecretFile {
    static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
        guard fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(bytes))
    }
}
