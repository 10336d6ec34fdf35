import Crypto
import Foundation
import _CryptoExtras

/// The phone's cryptography of phone-number linking (docs/protocol/lower.md §5.7). Pure.
enum LinkCodeCrypto {
    static let pbkdf2Rounds = 2 << 16
    static let wrappedKeyLength = 80
    static let keyBundleLength = 156
    static let keyBundleInfo = Array("link_code_pairing_key_bundle_encryption_key".utf8)
    static let advSecretInfo = Array("adv_secret".utf8)
    /// Crockford-like alphabet of the 8-character code.
    static let alphabet = Set("123456789ABCDEFGHJKLMNPQRSTVWXYZ")

    enum Failure: Error, Equatable {
        case badCode
        case wrongLength
        case cryptoFailed
        case keyBundleDoesNotOpen
    }

    /// `ABCD-1234` or `abcd1234` → `ABCD1234`; nil when it is not 8 characters of the alphabet.
    static func normalize(_ code: String) -> String? {
        let cleaned = code.uppercased().filter { $0 != "-" && $0 != " " }
        guard cleaned.count == 8, cleaned.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return cleaned
    }

    static func codeKey(_ code: String, salt: [UInt8]) throws(Failure) -> SymmetricKey {
        do {
            return try KDF.Insecure.PBKDF2.deriveKey(
                from: Array(code.utf8), salt: salt, using: .sha256, outputByteCount: 32,
                unsafeUncheckedRounds: pbkdf2Rounds)
        } catch { throw .cryptoFailed }
    }

    /// Opens `salt(32) ‖ iv(16) ‖ AES-256-CTR(PBKDF2(code, salt), iv, key(32))`. A wrong code gives a wrong
    /// key, not an error: CTR cannot tell.
    static func unwrap(_ wrapped: [UInt8], code: String) throws(Failure) -> [UInt8] {
        guard wrapped.count == wrappedKeyLength else { throw .wrongLength }
        let key = try codeKey(code, salt: Array(wrapped[0..<32]))
        do {
            let nonce = try AES._CTR.Nonce(nonceBytes: Array(wrapped[32..<48]))
            return Array(try AES._CTR.decrypt(Array(wrapped[48..<80]), using: key, nonce: nonce))
        } catch { throw .cryptoFailed }
    }

    /// The inverse of ``unwrap(_:code:)`` with the given salt and iv.
    static func wrap(_ publicKey: [UInt8], code: String, salt: [UInt8], iv: [UInt8]) throws(Failure) -> [UInt8] {
        let key = try codeKey(code, salt: salt)
        do {
            let nonce = try AES._CTR.Nonce(nonceBytes: iv)
            return salt + iv + Array(try AES._CTR.encrypt(publicKey, using: key, nonce: nonce))
        } catch { throw .cryptoFailed }
    }

    /// Opens the companion's key bundle `salt(32) ‖ nonce(12) ‖ AES-256-GCM(...)` (docs/protocol/lower.md §5.7 step 3.6) and returns
    /// `companionIdentity(32) ‖ primaryIdentity(32) ‖ advSecretRandom(32)` split in three.
    static func openKeyBundle(_ bundle: [UInt8], ephemeralShared: [UInt8]) throws(Failure)
        -> (companionIdentity: [UInt8], primaryIdentity: [UInt8], advSecretRandom: [UInt8])
    {
        guard bundle.count == keyBundleLength else { throw .wrongLength }
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: ephemeralShared), salt: Array(bundle[0..<32]), info: keyBundleInfo,
            outputByteCount: 32)
        let plaintext: [UInt8]
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: Array(bundle[32..<44])), ciphertext: Array(bundle[44..<140]),
                tag: Array(bundle[140..<156]))
            plaintext = Array(try AES.GCM.open(box, using: key))
        } catch { throw .keyBundleDoesNotOpen }
        guard plaintext.count == 96 else { throw .keyBundleDoesNotOpen }
        return (Array(plaintext[0..<32]), Array(plaintext[32..<64]), Array(plaintext[64..<96]))
    }

    /// The companion's half of step 3.6, for tests that play the companion: seals
    /// `companionIdentity ‖ primaryIdentity ‖ advSecretRandom` into the 156-byte key bundle.
    static func sealKeyBundle(
        companionIdentity: [UInt8], primaryIdentity: [UInt8], advSecretRandom: [UInt8], ephemeralShared: [UInt8],
        salt: [UInt8], nonce: [UInt8]
    ) throws(Failure) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: ephemeralShared), salt: salt, info: keyBundleInfo, outputByteCount: 32)
        do {
            let box = try AES.GCM.seal(
                companionIdentity + primaryIdentity + advSecretRandom, using: key, nonce: AES.GCM.Nonce(data: nonce))
            return salt + nonce + Array(box.ciphertext) + Array(box.tag)
        } catch { throw .cryptoFailed }
    }

    /// `advSecret = HKDF-SHA256(ephemeralShared ‖ identityShared ‖ advSecretRandom, no salt, "adv_secret")`.
    static func advSecret(ephemeralShared: [UInt8], identityShared: [UInt8], advSecretRandom: [UInt8]) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: ephemeralShared + identityShared + advSecretRandom),
            info: advSecretInfo, outputByteCount: 32)
        return key.withUnsafeBytes { Array($0) }
    }
}
