import Crypto

/// HKDF with HMAC-SHA256 (RFC 5869), and the two-output form the Noise spec defines on top of it (Noise §4.3).
public enum NoiseHKDF {
    /// HASHLEN for SHA-256 (Noise §4.3).
    public static let hashLength = 32

    /// RFC 5869 §2.2: `PRK = HMAC-Hash(salt, IKM)`. An empty salt acts as HASHLEN zero bytes.
    public static func extract(salt: [UInt8], inputKeyMaterial: [UInt8]) -> [UInt8] {
        hmac(key: salt, data: inputKeyMaterial)
    }

    /// RFC 5869 §2.3: `T(i) = HMAC-Hash(PRK, T(i-1) | info | i)`, concatenated up to `outputByteCount`.
    ///
    /// - Precondition: `outputByteCount <= 255 * HASHLEN` (a programmer's choice, never peer input).
    public static func expand(pseudoRandomKey: [UInt8], info: [UInt8], outputByteCount: Int) -> [UInt8] {
        precondition(outputByteCount >= 0 && outputByteCount <= 255 * hashLength, "HKDF output length out of range")
        var output: [UInt8] = []
        output.reserveCapacity(outputByteCount)
        var previous: [UInt8] = []
        var counter: UInt8 = 1
        while output.count < outputByteCount {
            previous = hmac(key: pseudoRandomKey, data: previous + info + [counter])
            output += previous
            counter &+= 1
        }
        return Array(output.prefix(outputByteCount))
    }

    /// Noise §4.3 `HKDF(chaining_key, input_key_material, 2)`: two 32-byte outputs, empty info.
    public static func deriveTwo(chainingKey: [UInt8], inputKeyMaterial: [UInt8]) -> ([UInt8], [UInt8]) {
        let prk = extract(salt: chainingKey, inputKeyMaterial: inputKeyMaterial)
        let okm = expand(pseudoRandomKey: prk, info: [], outputByteCount: 2 * hashLength)
        return (Array(okm[0..<hashLength]), Array(okm[hashLength..<(2 * hashLength)]))
    }

    static func hmac(key: [UInt8], data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }
}
