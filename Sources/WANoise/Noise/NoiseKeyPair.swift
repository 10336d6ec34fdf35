import Crypto

/// A Curve25519 key pair for X25519 (Noise §4.1 `GENERATE_KEYPAIR`, `DH`).
///
/// Randomness is an input: build one from 32 private-key bytes the caller drew (or fixed test vectors).
/// `description` never shows the private key.
public struct NoiseKeyPair: Sendable, CustomStringConvertible {
    /// DHLEN (Noise §4.1).
    public static let keyLength = 32

    /// The 32-byte private scalar as given (X25519 clamps it when used).
    public let privateKey: [UInt8]
    /// The 32-byte X25519 public key.
    public let publicKey: [UInt8]

    /// Derives the public key from a 32-byte private key.
    public init(privateKey: [UInt8]) throws(NoiseError) {
        guard privateKey.count == Self.keyLength else {
            throw .invalidKeyLength(expected: Self.keyLength, actual: privateKey.count)
        }
        guard let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey) else {
            throw .invalidKeyLength(expected: Self.keyLength, actual: privateKey.count)
        }
        self.privateKey = privateKey
        self.publicKey = Array(key.publicKey.rawRepresentation)
    }

    /// A fresh key pair from the given generator (the system generator in production, a seeded one in tests).
    public static func generate(using generator: inout some RandomNumberGenerator) -> NoiseKeyPair {
        var bytes = [UInt8](repeating: 0, count: keyLength)
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        // 32 bytes always form a valid X25519 private key.
        guard let pair = try? NoiseKeyPair(privateKey: bytes) else { preconditionFailure("X25519 key from 32 bytes") }
        return pair
    }

    /// A fresh key pair from the system's secure generator.
    public static func generate() -> NoiseKeyPair {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// Noise §4.1 `DH(key_pair, public_key)`: X25519, rejecting public keys that give an all-zero secret.
    public func dh(_ publicKey: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard publicKey.count == Self.keyLength else {
            throw .invalidKeyLength(expected: Self.keyLength, actual: publicKey.count)
        }
        do {
            let local = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey)
            let remote = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: publicKey)
            let secret = try local.sharedSecretFromKeyAgreement(with: remote)
            let bytes = secret.withUnsafeBytes { Array($0) }
            guard bytes.contains(where: { $0 != 0 }) else { throw NoiseError.invalidPublicKey }
            return bytes
        } catch {
            throw .invalidPublicKey
        }
    }

    public var description: String { "NoiseKeyPair(public: \(publicKey.hexString), private: <redacted>)" }
}

extension Array where Element == UInt8 {
    /// Lower-case hex, for public values only.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
