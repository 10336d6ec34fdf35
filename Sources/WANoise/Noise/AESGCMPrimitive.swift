import Crypto

/// Noise §4.2 / §12.4 `ENCRYPT` and `DECRYPT` for AESGCM: AES-256-GCM with the 16-byte tag appended.
enum AESGCMPrimitive {
    /// `ENCRYPT(k, nonce, ad, plaintext)`: ciphertext ‖ tag.
    static func seal(key: SymmetricKey, nonce: [UInt8], ad: [UInt8], plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        do {
            let sealed = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(data: nonce), authenticating: ad)
            var out = Array(sealed.ciphertext)
            out += sealed.tag
            return out
        } catch {
            // Only a key that is not 128/192/256 bits or a 0-byte nonce can fail; Noise keys are always 32 bytes.
            throw .invalidKeyLength(expected: 32, actual: key.bitCount / 8)
        }
    }

    static func seal(key: [UInt8], nonce: [UInt8], ad: [UInt8], plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        try seal(key: SymmetricKey(data: key), nonce: nonce, ad: ad, plaintext: plaintext)
    }

    /// `DECRYPT(k, nonce, ad, ciphertext)`: the plaintext, or ``NoiseError/decryptionFailed``.
    static func open(key: SymmetricKey, nonce: [UInt8], ad: [UInt8], ciphertext: [UInt8]) throws(NoiseError) -> [UInt8] {
        let tagLength = NoiseCipherState.tagLength
        guard ciphertext.count >= tagLength else { throw .decryptionFailed }
        let split = ciphertext.count - tagLength
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext[..<split], tag: ciphertext[split...])
            return Array(try AES.GCM.open(box, using: key, authenticating: ad))
        } catch {
            throw .decryptionFailed
        }
    }
}
