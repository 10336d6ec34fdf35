import Crypto
import _CryptoExtras

/// The symmetric primitives the Signal protocol uses, over byte arrays (swift-crypto underneath).
enum SignalCrypto {
    /// HKDF-SHA256 (RFC 5869). Signal v3 uses the standard construction (docs/protocol/upper.md §1.6, §11.1 HKDFTest).
    static func hkdf(inputKeyMaterial: [UInt8], salt: [UInt8], info: [UInt8], outputByteCount: Int) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: inputKeyMaterial), salt: salt, info: info,
            outputByteCount: outputByteCount)
        return key.withUnsafeBytes { [UInt8]($0) }
    }

    /// HMAC-SHA256.
    static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    /// Incremental HMAC-SHA256 over several parts (no concatenation copies).
    static func hmacSHA256(key: [UInt8], parts: [[UInt8]]) -> [UInt8] {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: key))
        for part in parts { mac.update(data: part) }
        return Array(mac.finalize())
    }

    /// AES-256-CBC with PKCS#7 padding (docs/protocol/upper.md §1.8, §2).
    static func aesCBCEncrypt(_ plaintext: [UInt8], key: [UInt8], iv: [UInt8]) throws(SignalError) -> [UInt8] {
        do {
            return Array(try AES._CBC.encrypt(plaintext, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv)))
        } catch {
            throw .invalidCiphertext
        }
    }

    /// AES-256-CBC decryption with PKCS#7 padding check.
    ///
    /// - Throws: `SignalError.invalidCiphertext` for a length that is not a positive multiple of 16 or bad padding.
    static func aesCBCDecrypt(_ ciphertext: [UInt8], key: [UInt8], iv: [UInt8]) throws(SignalError) -> [UInt8] {
        guard !ciphertext.isEmpty, ciphertext.count % 16 == 0 else { throw .invalidCiphertext }
        do {
            return Array(try AES._CBC.decrypt(ciphertext, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv)))
        } catch {
            throw .invalidCiphertext
        }
    }
}
