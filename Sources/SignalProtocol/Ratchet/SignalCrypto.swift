import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
    static func hkdf(inputKeyMaterial: [UInt8], salt: consuming HMACSHA256, info: [UInt8], outputByteCount: Int) -> [UInt8] {
        precondition(outputByteCount <= 255 * 32, "HKDF-SHA256 output is limited to 255 blocks")
        var keyed = Optional(salt)  // moved into the closure below without a copy
        return [UInt8](unsafeUninitializedCapacity: outputByteCount) { output, count in
            inputKeyMaterial.withUnsafeBytes { ikm in
                hkdf(inputKeyMaterial: ikm, salt: keyed.take()!, info: info, into: UnsafeMutableRawBufferPointer(output))
            }
            count = outputByteCount
        }
    }

    /// HKDF-SHA256 into `output` (at most 255 blocks), without a heap copy of the PRK or of any block.
    static func hkdf(
        inputKeyMaterial: UnsafeRawBufferPointer, salt: consuming HMACSHA256, info: [UInt8],
        into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(output.count <= 255 * 32, "HKDF-SHA256 output is limited to 255 blocks")
        var keyed = Optional(salt)
        var expander = withUnsafeTemporaryAllocation(byteCount: 32, alignment: 1) { prk in
            keyed!.finalCode(inputKeyMaterial, into: prk)  // in place when the caller passed its last copy
            defer { prk.initializeMemory(as: UInt8.self, repeating: 0) }  // the PRK is secret
            return HMACSHA256(key: UnsafeRawBufferPointer(prk))
        }
        // T(i−1) ‖ info ‖ i in one stack buffer: one hash update per block (each update has a fixed cost).
        withUnsafeTemporaryAllocation(byteCount: 32 + info.count + 1, alignment: 1) { buffer in
            var length = 0
            var counter: UInt8 = 1
            var start = 0
            while true {
                for byte in info { buffer[length] = byte; length += 1 }
                buffer[length] = counter
                length += 1
                let end = min(start + 32, output.count)
                let block = UnsafeMutableRawBufferPointer(rebasing: output[start..<end])
                let input = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
                guard end < output.count else {
                    expander.finalCode(input, into: block)
                    break
                }
                expander.code(input, into: block)
                buffer.copyMemory(from: UnsafeRawBufferPointer(block))  // a whole block (32 bytes)
                length = 32
                counter &+= 1
                start = end
            }
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
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
    static func aesCBCEncrypt(_ plaintext: [UInt8], key: [UInt8], iv: [UInt8]) throws(SignalError) -> [UInt8] {
        // `withUnsafeBytes` rethrows untyped errors: the typed one travels in a `Result`.
        try key.withUnsafeBytes { key in
            iv.withUnsafeBytes { iv in
                Result { () throws(SignalError) -> [UInt8] in Array(try aesCBCEncrypt(plaintext, key: key, iv: iv)) }
            }
        }.get()
    }

    /// AES-256-CBC with PKCS#7 padding, keys in place.
    ///
    /// The padding is ours and the cipher runs with `noPadding`: _CryptoExtras pads and unpads through
    /// `Data` appends, which cost more than the cipher on a 100-byte message. The padded plaintext is built
    /// in a temporary buffer (on the stack for a message of ordinary size) and handed over as contiguous bytes.
    static func aesCBCEncrypt(
        _ plaintext: [UInt8], key: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer
    ) throws(SignalError) -> Data {
        let padding = 16 - plaintext.count % 16
        let encrypted = withUnsafeTemporaryAllocation(byteCount: plaintext.count + padding, alignment: 16) { padded in
            plaintext.withUnsafeBytes { padded.copyMemory(from: $0) }
            for index in plaintext.count..<padded.count { padded[index] = UInt8(padding) }
            defer { padded.initializeMemory(as: UInt8.self, repeating: 0) }  // plaintext
            return try? AES._CBC.encrypt(
                UnsafeRawBufferPointer(padded), using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv), noPadding: true)
        }
        guard let encrypted else { throw .invalidCiphertext }
        return encrypted
    }

    /// AES-256-CBC decryption with PKCS#7 padding check.
    ///
    /// - Throws: `SignalError.invalidCiphertext` for a length that is not a positive multiple of 16 or bad padding.
    static func aesCBCDecrypt(_ ciphertext: [UInt8], key: [UInt8], iv: [UInt8]) throws(SignalError) -> [UInt8] {
        try ciphertext.withUnsafeBytes { ciphertext in
            key.withUnsafeBytes { key in
                iv.withUnsafeBytes { iv in
                    Result { () throws(SignalError) -> [UInt8] in try aesCBCDecrypt(ciphertext, key: key, iv: iv) }
                }
            }
        }.get()
    }

    /// AES-256-CBC decryption with PKCS#7 padding check, ciphertext and keys in place.
    ///
    /// - Throws: `SignalError.invalidCiphertext` for a length that is not a positive multiple of 16 or bad padding.
    static func aesCBCDecrypt(
        _ ciphertext: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer
    ) throws(SignalError) -> [UInt8] {
        guard !ciphertext.isEmpty, ciphertext.count % 16 == 0 else { throw .invalidCiphertext }
        guard
            let padded = try? AES._CBC.decrypt(
                ciphertext, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv), noPadding: true),
            padded.count == ciphertext.count
        else { throw .invalidCiphertext }
        let plaintext = padded.withUnsafeBytes { (bytes) -> [UInt8]? in
            guard let padding = pkcs7PaddingLength(bytes) else { return nil }
            return Array(bytes[0..<(bytes.count - padding)])
        }
        guard let plaintext else { throw .invalidCiphertext }
        return plaintext
    }

    /// Checks PKCS#7 padding of a whole number of 16-byte blocks and removes it; nil when it is malformed.
    static func removePKCS7Padding(_ bytes: inout [UInt8]) -> Int? {
        guard let padding = bytes.withUnsafeBytes({ pkcs7PaddingLength($0) }) else { return nil }
        bytes.removeLast(padding)
        return padding
    }

    /// The PKCS#7 padding length of a whole number of 16-byte blocks; nil when the padding is malformed.
    ///
    /// The last block is examined in full whatever the padding length, so the time does not depend on it.
    static func pkcs7PaddingLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 16, bytes.count % 16 == 0 else { return nil }
        let padding = bytes[bytes.count - 1]
        var bad: UInt8 = (padding == 0 ? 1 : 0) | (padding > 16 ? 1 : 0)
        for offset in 1...16 {
            // Bytes within the claimed padding must equal it; the others are not constrained.
            let inside: UInt8 = UInt8(offset) <= padding ? 0xFF : 0
            bad |= inside & (bytes[bytes.count - offset] ^ padding)
        }
        guard bad == 0 else { return nil }
        return Int(padding)
    }
}
