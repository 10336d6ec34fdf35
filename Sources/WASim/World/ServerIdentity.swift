import Crypto
import Foundation
import WAEngine

/// The keys the simulated server presents: the Noise root (which clients pin), the server's Noise static key,
/// and the TLS test CA.
///
/// The root key stands in for WhatsApp's `WACertPubKey` (wa-protocol-lower §2.5): clients are configured to pin
/// ``rootPublicKey`` (`CRM_WHATSAPP_ROOT_PUBKEY`, or whatsmeow's patched copy).
public struct ServerIdentity: Sendable {
    /// Root private key (Curve25519, 32 bytes). Signs the intermediate certificate.
    public let rootPrivateKey: [UInt8]
    /// Root public key (Curve25519 Montgomery form, 32 bytes).
    public let rootPublicKey: [UInt8]
    /// The server's Noise static key pair; the leaf certificate carries its public half.
    public let staticPrivateKey: [UInt8]
    public let staticPublicKey: [UInt8]
    /// The TLS test CA and server certificate, when `wss://` is enabled.
    public let tls: TestCertificateAuthority?

    public init(rootPrivateKey: [UInt8], staticPrivateKey: [UInt8], tls: TestCertificateAuthority?) throws {
        let root = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: rootPrivateKey)
        let server = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: staticPrivateKey)
        self.rootPrivateKey = rootPrivateKey
        self.rootPublicKey = Array(root.publicKey.rawRepresentation)
        self.staticPrivateKey = staticPrivateKey
        self.staticPublicKey = Array(server.publicKey.rawRepresentation)
        self.tls = tls
    }

    /// A fresh random identity (root, static key), with the given TLS material.
    public static func generate(tls: TestCertificateAuthority? = nil) throws -> ServerIdentity {
        try ServerIdentity(
            rootPrivateKey: Array(Curve25519.KeyAgreement.PrivateKey().rawRepresentation),
            staticPrivateKey: Array(Curve25519.KeyAgreement.PrivateKey().rawRepresentation), tls: tls)
    }
}

/// The root-key file: the 32-byte root private key as 64 hex digits and a newline, mode 0600.
public enum RootKeyFile {
    public enum Error: Swift.Error, Equatable {
        /// The file exists but does not hold 64 hex digits.
        case malformed
    }

    /// Reads the root private key from `path`, or generates one and writes it there.
    public static func loadOrCreate(path: String) throws -> [UInt8] {
        if FileManager.default.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.count == 64, let key = Hex.decode(text) else { throw Error.malformed }
            return key
        }
        let key = Array(Curve25519.KeyAgreement.PrivateKey().rawRepresentation)
        try SecretFile.write(Hex.encode(key) + "\n", to: path)
        return key
    }
}
