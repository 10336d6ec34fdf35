import Crypto
import _CryptoExtras

/// The symmetric primitives the Signal protocol uses, over byte arrays (swift-crypto underneath).
enum SignalCrypto {
    /// HKDF-SHA256 (RFC 5869). Signal v3 uses the standard construction (docs/protocol/upper.md §1.6, §11.1 HKDFTest).
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
        // T(i−1) ‖ info ‖ i in one stack buffer: one hash update per block (each update has a fixed cost).
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32 + info.count + 1) { buffer in
            var length = 0
            for byte in info { buffer[length] = byte; length += 1 }
            buffer[length] = 1
            length += 1
            while true {
                let start = output.count
                expander.code(
                    UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[0..<length])), prefix: min(32, outputByteCount - start),
                    appendingTo: &output)
                guard output.count < outputByteCount else { return output }
                let counter = buffer[length - 1] &+ 1
                length = 0
                for byte in output[start...] { buffer[length] = byte; length += 1 }  // a whole block (32 bytes)
                for byte in info { buffer[length] = byte; length += 1 }
                buffer[length] = counter
                length += 1
            }
        }
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

    /// AES-256-CBC with PKCS#7 padding (docs/protocol/upper.md §1.8, §2).
    ///
    /// The padding is ours and the cipher runs with `noPadding`: _CryptoExtras pads and unpads through
    /// `Data` appends, which cost more than the cipher on a 100-byte message.
    static func aesCBCEncrypt(_ plaintext: [UInt8], key: [UInt8], iv: [UInt8]) throws(SignalError) -> [UInt8] {
        let padding = 16 - plaintext.count % 16
        var padded = plaintext
        padded.reserveCapacity(plaintext.count + padding)
        padded.append(contentsOf: repeatElement(UInt8(padding), count: padding))
        do {
            return Array(
                try AES._CBC.encrypt(padded, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv), noPadding: true))
        } catch {
            throw .invalidCiphertext
        }
    }

    /// AES-256-CBC decryption with PKCS#7 padding check.
    ///
    /// - Throws: `SignalError.invalidCiphertext` for a length that is not a positive multiple of 16 or bad padding.
    static func aesCBCDecrypt(_ ciphertext: [UInt8], key: [UInt8], iv: [UInt8]) throws(SignalError) -> [UInt8] {
        guard !ciphertext.isEmpty, ciphertext.count % 16 == 0 else { throw .invalidCiphertext }
        var plaintext: [UInt8]
        do {
            plaintext = Array(
                try AES._CBC.decrypt(ciphertext, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv), noPadding: true))
        } catch {
            throw .invalidCiphertext
        }
        guard removePKCS7Padding(&plaintext) != nil else { throw .invalidCiphertext }
        return plaintext
    }

    /// Checks PKCS#7 padding of a whole number of 16-byte blocks and removes it; nil when it is malformed.
    ///
    /// The last block is examined in full whatever the padding length, so the time does not depend on it.
    static func removePKCS7Padding(_ bytes: inout [UInt8]) -> Int? {
        guard bytes.count >= 16, bytes.count % 16 == 0 else { return nil }
        let padding = bytes[bytes.count - 1]
        var bad: UInt8 = (padding == 0 ? 1 : 0) | (padding > 16 ? 1 : 0)
        for offset in 1...16 {
            // Bytes within the claimed padding must equal it; the others are not constrained.
            let inside: UInt8 = UInt8(offset) <= padding ? 0xFF : 0
            bad |= inside & (bytes[bytes.count - offset] ^ padding)
        }
        guard bad == 0 else { return nil }
        bytes.removeLast(Int(padding))
        return Int(padding)
    }
}
