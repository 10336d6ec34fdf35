import Crypto
import _CryptoExtras

/// The symmetric primitives the Signal protocol uses, over byte arrays (swift-crypto underneath).
enum SignalCrypto {
    /// HKDF-SHA256 (RFC 5869). Signal v3 uses the standard construction (wa-protocol-upper §1.6, §11.1 HKDFTest).
    static func hkdf(inputKeyMaterial: [UInt8], salt: [UInt8], info: [UInt8], outputByteCount: Int) -> [UInt8] {
        hkdf(inputKeyMaterial: inputKeyMaterial, salt: HMACSHA256(key: salt), info: info, outputByteCount: outputByteCount)
    }

    /// HKDF with the 32 zero bytes salt of the message keys and X3DH, keyed once per process.
    static let zeroSalt = HMACSHA256(key: [UInt8](repeating: 0, count: 32))

    /// HKDF-SHA256 with an already keyed salt: extract `PRK = HMAC(salt, IKM)`, then
    /// `T(i) = HMAC(PRK, T(i−1) ‖ info ‖ i)` until `outputByteCount` bytes (at most 255 blocks).
    static func hkdf(inputKeyMaterial: [UInt8], salt: HMACSHA256, info: [UInt8], outputByteCount: Int) -> [UInt8] {
        precondition(outputByteCount <= 255 * 32, "HKDF-SHA256 output is limited to 255 blocks")
        let expander = HMACSHA256(key: salt.code(inputKeyMaterial))
        var output: [UInt8] = []
        output.reserveCapacity(outputByteCount)
        var block: [UInt8] = []
        var counter: UInt8 = 1
        while output.count < outputByteCount {
            block = expander.code { hash in
                block.withUnsafeBytes { hash.update(bufferPointer: $0) }
                info.withUnsafeBytes { hash.update(bufferPointer: $0) }
                withUnsafeBytes(of: counter) { hash.update(bufferPointer: $0) }
            }
            output.append(contentsOf: block.prefix(outputByteCount - output.count))
            counter &+= 1
        }
        return output
    }

    /// HMAC-SHA256.
    static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        HMACSHA256(key: key).code(data)
    }

    /// HMAC-SHA256 over several parts (no concatenation copies).
    static func hmacSHA256(key: [UInt8], parts: [[UInt8]]) -> [UInt8] {
        HMACSHA256(key: key).code { hash in
            for part in parts { part.withUnsafeBytes { hash.update(bufferPointer: $0) } }
        }
    }

    /// AES-256-CBC with PKCS#7 padding (wa-protocol-upper §1.8, §2).
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
