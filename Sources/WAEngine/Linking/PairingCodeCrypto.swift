import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SignalProtocol
import _CryptoExtras

/// The crypto of "link with phone number" (docs/protocol/lower.md §5.7), pure: randomness comes in as bytes.
public enum PairingCodeCrypto {
    /// The code alphabet: base 32 without `0`, `I`, `O`, `U`.
    public static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTVWXYZ")
    /// PBKDF2 iterations: `2 << 16`.
    public static let iterations = 2 << 16
    public static let keyBundleInfo = "link_code_pairing_key_bundle_encryption_key"
    public static let advSecretInfo = "adv_secret"

    /// The 8-character code for 5 random bytes: big-endian bits, 5 per character, no padding.
    public static func code(from random: [UInt8]) -> String {
        precondition(random.count == 5, "a pairing code takes 5 random bytes")
        let value = random.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return String((0..<8).map { alphabet[Int((value >> UInt64(35 - 5 * $0)) & 0x1F)] })
    }

    /// `PBKDF2-HMAC-SHA256(code, salt, 131072, 32)`.
    public static func codeKey(code: String, salt: [UInt8]) -> [UInt8] {
        let key = try! KDF.Insecure.PBKDF2.deriveKey(
            from: Array(code.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: iterations)
        return key.withUnsafeBytes { Array($0) }
    }

    /// `salt(32) ‖ iv(16) ‖ AES-256-CTR(codeKey(salt), iv, publicKey)`: 80 bytes.
    public static func wrap(publicKey: [UInt8], code: String, salt: [UInt8], iv: [UInt8]) throws(PairingCodeError) -> [UInt8] {
        guard publicKey.count == 32, salt.count == 32, iv.count == 16 else { throw .malformed }
        return salt + iv + (try ctr(publicKey, key: codeKey(code: code, salt: salt), iv: iv))
    }

    /// Opens an 80-byte wrapped key (the primary's ephemeral key in `primary_hello`).
    public static func unwrap(_ wrapped: [UInt8], code: String) throws(PairingCodeError) -> [UInt8] {
        guard wrapped.count >= 80 else { throw .malformed }
        let salt = Array(wrapped[0..<32]), iv = Array(wrapped[32..<48]), ciphertext = Array(wrapped[48..<80])
        return try ctr(ciphertext, key: codeKey(code: code, salt: salt), iv: iv)
    }

    /// Step 3's result: the `companion_finish` key bundle and the new ADV secret.
    public struct Finish: Sendable, Equatable {
        /// `keyBundleSalt(32) ‖ nonce(12) ‖ AES-256-GCM(…)`: 156 bytes.
        public var wrappedKeyBundle: [UInt8]
        /// Replaces the stored ADV secret; the HMAC key of the later `pair-success`.
        public var advSecret: [UInt8]
    }

    /// Step 3 (docs/protocol/lower.md §5.7): from the primary's wrapped ephemeral key and identity key.
    public static func finish(
        code: String, wrappedPrimaryEphemeral: [UInt8], primaryIdentityPublicKey: [UInt8],
        companionEphemeral: Curve25519PrivateKey, companionIdentity: IdentityKeyPair,
        advSecretRandom: [UInt8], keyBundleSalt: [UInt8], keyBundleNonce: [UInt8]
    ) throws(PairingCodeError) -> Finish {
        guard advSecretRandom.count == 32, keyBundleSalt.count == 32, keyBundleNonce.count == 12 else { throw .malformed }
        let primaryEphemeral = try unwrap(wrappedPrimaryEphemeral, code: code)
        guard let primaryEphemeralKey = try? Curve25519PublicKey(rawRepresentation: primaryEphemeral),
            let primaryIdentity = try? Curve25519PublicKey(rawRepresentation: primaryIdentityPublicKey),
            let ephemeralShared = try? companionEphemeral.sharedSecret(with: primaryEphemeralKey),
            let identityShared = try? companionIdentity.privateKey.sharedSecret(with: primaryIdentity)
        else { throw .badKey }
        let bundleKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: ephemeralShared), salt: keyBundleSalt, info: Array(keyBundleInfo.utf8),
            outputByteCount: 32)
        let plaintext = companionIdentity.publicKey.rawRepresentation + primaryIdentityPublicKey + advSecretRandom
        guard let nonce = try? AES.GCM.Nonce(data: keyBundleNonce),
            let sealed = try? AES.GCM.seal(plaintext, using: bundleKey, nonce: nonce)
        else { throw .malformed }
        let bundle = keyBundleSalt + keyBundleNonce + Array(sealed.ciphertext) + Array(sealed.tag)
        let advSecret = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: ephemeralShared + identityShared + advSecretRandom),
            info: Array(advSecretInfo.utf8), outputByteCount: 32)
        return Finish(wrappedKeyBundle: bundle, advSecret: advSecret.withUnsafeBytes { Array($0) })
    }

    static func ctr(_ bytes: [UInt8], key: [UInt8], iv: [UInt8]) throws(PairingCodeError) -> [UInt8] {
        guard let nonce = try? AES._CTR.Nonce(nonceBytes: iv),
            let output = try? AES._CTR.encrypt(bytes, using: SymmetricKey(data: key), nonce: nonce)
        else { throw .malformed }
        return Array(output)
    }
}

/// Why a pairing-code step failed.
public enum PairingCodeError: Error, Sendable, Equatable {
    /// A wrapped key, salt, IV or nonce has the wrong length.
    case malformed
    /// A public key is not usable for X25519 (e.g. gives an all-zero secret).
    case badKey
}
