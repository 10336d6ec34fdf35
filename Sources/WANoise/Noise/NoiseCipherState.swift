import Crypto

/// Noise §5.1 CipherState: a key `k` (or none) and a nonce `n`, with AES-256-GCM as the cipher (Noise §12.4).
///
/// The nonce layout is Noise's for AESGCM: 4 zero bytes followed by `n` as a 64-bit big-endian integer.
/// WhatsApp writes the same 12 bytes as 8 zero bytes and a 32-bit big-endian counter, which agree for every
/// `n < 2^32`; its peers keep a 32-bit counter, so the WhatsApp rules set ``maximumNonce`` to `2^32 - 1`.
public struct NoiseCipherState: Sendable {
    /// Noise §5.1: the nonce value 2^64-1 is reserved, so 2^64-2 is the last usable one.
    public static let standardMaximumNonce: UInt64 = .max - 1
    /// AES-GCM tag length (Noise §4.2: ciphertext = plaintext + 16 bytes).
    public static let tagLength = 16

    private var key: SymmetricKey?
    /// `n`: the nonce for the next encryption or decryption.
    public private(set) var nonce: UInt64
    /// The last nonce this state may use; past it every call throws ``NoiseError/nonceExhausted``.
    public let maximumNonce: UInt64

    /// Noise §5.1 `InitializeKey(key)`: sets `k` (nil = empty) and `n = 0`.
    ///
    /// - Precondition: `maximumNonce < 2^64 - 1` (the value 2^64-1 itself is reserved).
    public init(key: [UInt8]? = nil, maximumNonce: UInt64 = NoiseCipherState.standardMaximumNonce) {
        precondition(maximumNonce < .max, "the nonce 2^64-1 is reserved")
        self.key = key.map { SymmetricKey(data: $0) }
        self.nonce = 0
        self.maximumNonce = maximumNonce
    }

    /// A cipher state resumed at nonce `n` (tests of the nonce limit).
    init(key: [UInt8], nonce: UInt64, maximumNonce: UInt64) {
        self.init(key: key, maximumNonce: maximumNonce)
        self.nonce = nonce
    }

    /// Noise §5.1 `HasKey()`.
    public var hasKey: Bool { key != nil }

    /// Noise §5.1 `InitializeKey(key)`.
    public mutating func initializeKey(_ newKey: [UInt8]) {
        key = SymmetricKey(data: newKey)
        nonce = 0
    }

    /// Noise §5.1 `EncryptWithAd(ad, plaintext)`: with a key, AES-GCM seal under `n` then `n += 1`;
    /// without one, the plaintext unchanged.
    public mutating func encryptWithAd(_ ad: [UInt8], plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard let key else { return plaintext }
        guard nonce <= maximumNonce else { throw .nonceExhausted }
        let ciphertext = try AESGCMPrimitive.seal(key: key, nonce: Self.nonceBytes(nonce), ad: ad, plaintext: plaintext)
        nonce += 1
        return ciphertext
    }

    /// Noise §5.1 `DecryptWithAd(ad, ciphertext)`: with a key, AES-GCM open under `n` then `n += 1`
    /// (a failed open leaves `n` unchanged); without one, the ciphertext unchanged.
    public mutating func decryptWithAd(_ ad: [UInt8], ciphertext: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard let key else { return ciphertext }
        guard nonce <= maximumNonce else { throw .nonceExhausted }
        let plaintext = try AESGCMPrimitive.open(key: key, nonce: Self.nonceBytes(nonce), ad: ad, ciphertext: ciphertext)
        nonce += 1
        return plaintext
    }

    /// Noise §12.4 AESGCM nonce: 32 bits of zeros, then the 64-bit big-endian `n`.
    static func nonceBytes(_ n: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { bytes[4 + index] = UInt8(truncatingIfNeeded: n >> (56 - 8 * UInt64(index))) }
        return bytes
    }
}
