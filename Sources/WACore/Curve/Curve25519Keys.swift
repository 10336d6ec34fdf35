import CSodium
import Crypto

/// A Curve25519 (X25519) private key as the Signal protocol stores it: 32 bytes, clamped.
///
/// docs/protocol/upper.md §1.1: `b[0] &= 248; b[31] &= 127; b[31] |= 64`. The same scalar is the Ed25519 scalar `a`
/// used by XEdDSA (§1.2). The type is named `Curve25519PrivateKey` rather than nesting in a `Curve25519`
/// namespace so that it never clashes with swift-crypto's `Curve25519` in files importing both.
public struct Curve25519PrivateKey: Sendable, Equatable {
    /// The 32 clamped scalar bytes.
    public let rawRepresentation: [UInt8]

    /// swift-crypto's key object, kept for keys made in this process: its construction already derived the
    /// public key, and its agreement is the fastest X25519 here. Keys read from storage leave it nil and agree
    /// through libsodium, so loading a record never pays a public-key derivation per private key.
    private let agreementKey: Curve25519.KeyAgreement.PrivateKey?

    /// Wraps 32 bytes as a private key, clamping them.
    ///
    /// - Throws: `SignalError.invalidKeyLength` unless `rawRepresentation` has 32 bytes.
    public init(rawRepresentation: [UInt8]) throws(SignalError) {
        guard rawRepresentation.count == 32 else {
            throw .invalidKeyLength(expected: 32, actual: rawRepresentation.count)
        }
        self.rawRepresentation = Self.clamp(rawRepresentation)
        self.agreementKey = nil
    }

    /// Makes a fresh private key from the random source.
    public init(using random: inout some RandomNumberGenerator) {
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max, using: &random) }
        let clamped = Self.clamp(bytes)
        self.rawRepresentation = clamped
        // 32 bytes by construction, so swift-crypto cannot reject them.
        self.agreementKey = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: clamped)
    }

    public static func == (lhs: Curve25519PrivateKey, rhs: Curve25519PrivateKey) -> Bool {
        lhs.rawRepresentation == rhs.rawRepresentation
    }

    /// The X25519 public key `k·9` (RFC 7748 §6.1).
    public var publicKey: Curve25519PublicKey {
        // The raw bytes are 32 long by construction, so swift-crypto cannot reject them.
        let key = agreementKey ?? (try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: rawRepresentation))
        let raw = key.map { [UInt8]($0.publicKey.rawRepresentation) } ?? [UInt8](repeating: 0, count: 32)
        return Curve25519PublicKey(validatedRaw: raw)
    }

    /// X25519 agreement with a peer's public key (RFC 7748 §6.1).
    ///
    /// Never derives our public key: swift-crypto's key object when we have one, else libsodium's scalar
    /// multiplication on the stored scalar (building a swift-crypto key object would derive it).
    /// - Throws: `SignalError.invalidAgreement` when the result is all zero (small-order peer key).
    public func sharedSecret(with publicKey: Curve25519PublicKey) throws(SignalError) -> [UInt8] {
        var shared: [UInt8]
        if let agreementKey {
            do {
                let theirs = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: publicKey.rawRepresentation)
                shared = try agreementKey.sharedSecretFromKeyAgreement(with: theirs).withUnsafeBytes { [UInt8]($0) }
            } catch {
                throw .invalidAgreement
            }
        } else {
            guard Sodium.isReady else { throw .invalidAgreement }
            shared = [UInt8](repeating: 0, count: 32)
            // libsodium returns −1 itself for the all-zero result; the check below covers both paths.
            _ = crypto_scalarmult_curve25519(&shared, rawRepresentation, publicKey.rawRepresentation)
        }
        // RFC 7748 §6.1: a small-order peer key yields all zeros; swift-crypto on Linux does not reject it.
        guard shared.reduce(0, { $0 | $1 }) != 0 else { throw .invalidAgreement }
        return shared
    }

    private static func clamp(_ bytes: [UInt8]) -> [UInt8] {
        var clamped = bytes
        clamped[0] &= 248
        clamped[31] &= 127
        clamped[31] |= 64
        return clamped
    }
}

/// A Curve25519 (X25519 / Montgomery u-coordinate) public key.
///
/// docs/protocol/upper.md §1.1: inside Signal protobufs, MAC inputs and signatures it is *serialized* as 33 bytes
/// `0x05 ‖ u`; on the XMPP-ish wire it travels as the raw 32 bytes.
public struct Curve25519PublicKey: Sendable, Hashable {
    /// The DJB key type byte.
    public static let djbType: UInt8 = 0x05

    /// The 32-byte u-coordinate.
    public let rawRepresentation: [UInt8]

    /// Wraps a raw 32-byte public key.
    ///
    /// - Throws: `SignalError.invalidKeyLength` unless there are 32 bytes.
    @inlinable  // generic: inlined, so callers in other modules get a specialised copy
    public init(rawRepresentation: some Collection<UInt8>) throws(SignalError) {
        guard rawRepresentation.count == 32 else {
            throw .invalidKeyLength(expected: 32, actual: rawRepresentation.count)
        }
        self.rawRepresentation = Array(rawRepresentation)
    }

    /// Decodes a 33-byte serialized key `0x05 ‖ u`.
    ///
    /// - Throws: `SignalError.invalidKeyLength` unless there are 33 bytes, `SignalError.badKeyType` unless the
    ///   first byte is `0x05` (docs/protocol/upper.md §1.1, "bad key type").
    @inlinable  // generic: inlined, so callers in other modules get a specialised copy
    public init(serialized: some Collection<UInt8>) throws(SignalError) {
        guard serialized.count == 33, let type = serialized.first else {
            throw .invalidKeyLength(expected: 33, actual: serialized.count)
        }
        guard type == Self.djbType else { throw .badKeyType(type) }
        self.rawRepresentation = Array(serialized.dropFirst())
    }

    init(validatedRaw: [UInt8]) {
        self.rawRepresentation = validatedRaw
    }

    /// The 33-byte serialization `0x05 ‖ u`.
    @inlinable
    public var serialized: [UInt8] { [Self.djbType] + rawRepresentation }
}

/// A Curve25519 key pair.
public struct Curve25519KeyPair: Sendable, Equatable {
    public let privateKey: Curve25519PrivateKey
    public let publicKey: Curve25519PublicKey

    /// Builds the pair from its private key, deriving the public key.
    public init(privateKey: Curve25519PrivateKey) {
        self.privateKey = privateKey
        self.publicKey = privateKey.publicKey
    }

    /// Pairs a private key with its already known public key (a stored record), skipping the derivation.
    /// The caller vouches that they belong together.
    public init(privateKey: Curve25519PrivateKey, publicKey: Curve25519PublicKey) {
        self.privateKey = privateKey
        self.publicKey = publicKey
    }

    /// Makes a fresh key pair from the random source.
    public init(using random: inout some RandomNumberGenerator) {
        self.init(privateKey: Curve25519PrivateKey(using: &random))
    }
}

/// The long-term identity key pair of a device (docs/protocol/upper.md §1.1); it signs the signed prekey.
public typealias IdentityKeyPair = Curve25519KeyPair
