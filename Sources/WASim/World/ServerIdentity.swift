import WACore
import Crypto
import Foundation
import WANoise

/// The keys the simulated server presents: the Noise root (which clients pin), the intermediate, the server's
/// Noise static key with the certificate chain over it, and the TLS test CA.
///
/// The root key stands in for WhatsApp's `WACertPubKey` (docs/protocol/lower.md §2.5): clients are configured to pin
/// ``rootPublicKey`` (`CRM_WHATSAPP_ROOT_PUBKEY`, or whatsmeow's patched copy).
public struct ServerIdentity: Sendable {
    /// Root private key (Curve25519, 32 bytes). Signs the intermediate certificate.
    public let rootPrivateKey: [UInt8]
    /// Root public key (Curve25519 Montgomery form, 32 bytes).
    public let rootPublicKey: [UInt8]
    /// The server's Noise static key pair; the leaf certificate carries its public half.
    public let staticKey: NoiseKeyPair
    /// The serialized `CertChain` sent in every ServerHello: root → intermediate (serial 1, issuer serial 0)
    /// → leaf (serial 2, key = the static key), both valid from an hour before start for 30 days.
    public let certificateChain: [UInt8]
    /// The TLS test CA and server certificate, when `wss://` is enabled.
    public let tls: TestCertificateAuthority?

    /// How long the generated Noise certificates are valid.
    public static let certificateValidity: UInt64 = 30 * 24 * 3600

    public init(
        rootPrivateKey: [UInt8], staticKey: NoiseKeyPair = .generate(), tls: TestCertificateAuthority? = nil,
        now: Date = Date()
    ) throws {
        let root = try NoiseKeyPair(privateKey: rootPrivateKey)
        self.rootPrivateKey = rootPrivateKey
        self.rootPublicKey = root.publicKey
        self.staticKey = staticKey
        self.tls = tls
        let start = UInt64(max(0, now.timeIntervalSince1970)) - 3600
        var random = SystemRandomNumberGenerator()
        self.certificateChain = try WACertificateChain.build(
            rootPrivateKey: rootPrivateKey, intermediateKey: .generate(), serverStaticKey: staticKey.publicKey,
            validity: start...(start + Self.certificateValidity), random: &random)
    }

    /// A fresh random root private key.
    public static func makeRootPrivateKey() -> [UInt8] {
        NoiseKeyPair.generate().privateKey
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
        let key = ServerIdentity.makeRootPrivateKey()
        try SecretFile.write(Hex.encode(key) + "\n", to: path)
        return key
    }
}
