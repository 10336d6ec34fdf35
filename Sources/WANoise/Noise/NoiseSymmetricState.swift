import Crypto

/// The rules a Noise run follows. ``standard`` is the Noise spec; ``whatsApp`` is WhatsApp's variant
/// (docs/protocol/lower.md §2.3, docs/test-oracles.md §4), which differs in exactly the points listed here.
public struct NoiseRules: Sendable, Equatable {
    /// Noise §5.2: `EncryptAndHash`/`DecryptAndHash` always run `MixHash(ciphertext)`, even before any key.
    /// WhatsApp skips that MixHash while the cipher has no key, so the empty payload of XX message 1 is
    /// never hashed.
    public var hashesPayloadWithoutKey: Bool
    /// The last nonce a cipher state may use (Noise: 2^64-2; WhatsApp peers count in 32 bits: 2^32-1).
    public var maximumNonce: UInt64
    /// The largest handshake message (Noise §3: 65535 bytes; WhatsApp: a frame, 2^24-1 bytes).
    public var maximumMessageLength: Int

    public init(hashesPayloadWithoutKey: Bool, maximumNonce: UInt64, maximumMessageLength: Int) {
        self.hashesPayloadWithoutKey = hashesPayloadWithoutKey
        self.maximumNonce = maximumNonce
        self.maximumMessageLength = maximumMessageLength
    }

    /// The Noise specification, revision 34.
    public static let standard = NoiseRules(
        hashesPayloadWithoutKey: true, maximumNonce: NoiseCipherState.standardMaximumNonce,
        maximumMessageLength: 65535)
    /// WhatsApp's variant.
    public static let whatsApp = NoiseRules(
        hashesPayloadWithoutKey: false, maximumNonce: UInt64(UInt32.max), maximumMessageLength: (1 << 24) - 1)
}

/// Noise §5.2 SymmetricState: the chaining key `ck`, the handshake hash `h` and a ``NoiseCipherState``.
public struct NoiseSymmetricState: Sendable {
    /// `ck`.
    public private(set) var chainingKey: [UInt8]
    /// `h`.
    public private(set) var handshakeHash: [UInt8]
    /// The handshake's single cipher state (one key, one nonce for both directions).
    public private(set) var cipherState: NoiseCipherState
    public let rules: NoiseRules

    /// Noise §5.2 `InitializeSymmetric(protocol_name)`: `h` = the name zero-padded to HASHLEN if it fits,
    /// else `HASH(name)`; `ck = h`; no key.
    public init(protocolName: [UInt8], rules: NoiseRules = .standard) {
        let hashLength = NoiseHKDF.hashLength
        if protocolName.count <= hashLength {
            handshakeHash = protocolName + [UInt8](repeating: 0, count: hashLength - protocolName.count)
        } else {
            handshakeHash = Array(SHA256.hash(data: protocolName))
        }
        chainingKey = handshakeHash
        cipherState = NoiseCipherState(key: nil, maximumNonce: rules.maximumNonce)
        self.rules = rules
    }

    /// Noise §5.2 `MixKey(input_key_material)`: `ck, temp_k = HKDF(ck, ikm, 2)`; `InitializeKey(temp_k)`.
    public mutating func mixKey(_ inputKeyMaterial: [UInt8]) {
        let (newChainingKey, tempKey) = NoiseHKDF.deriveTwo(chainingKey: chainingKey, inputKeyMaterial: inputKeyMaterial)
        chainingKey = newChainingKey
        cipherState.initializeKey(tempKey)
    }

    /// Noise §5.2 `MixHash(data)`: `h = HASH(h || data)`.
    public mutating func mixHash(_ data: [UInt8]) {
        var hasher = SHA256()
        hasher.update(data: handshakeHash)
        hasher.update(data: data)
        handshakeHash = Array(hasher.finalize())
    }

    /// Noise §5.2 `EncryptAndHash(plaintext)`: `ciphertext = EncryptWithAd(h, plaintext)`; `MixHash(ciphertext)`.
    public mutating func encryptAndHash(_ plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        let hadKey = cipherState.hasKey
        let ciphertext = try cipherState.encryptWithAd(handshakeHash, plaintext: plaintext)
        if hadKey || rules.hashesPayloadWithoutKey { mixHash(ciphertext) }
        return ciphertext
    }

    /// Noise §5.2 `DecryptAndHash(ciphertext)`: `plaintext = DecryptWithAd(h, ciphertext)`; `MixHash(ciphertext)`.
    public mutating func decryptAndHash(_ ciphertext: [UInt8]) throws(NoiseError) -> [UInt8] {
        let hadKey = cipherState.hasKey
        let plaintext = try cipherState.decryptWithAd(handshakeHash, ciphertext: ciphertext)
        if hadKey || rules.hashesPayloadWithoutKey { mixHash(ciphertext) }
        return plaintext
    }

    /// Noise §5.2 `Split()`: `temp_k1, temp_k2 = HKDF(ck, zerolen, 2)`; two fresh cipher states.
    /// The first encrypts initiator → responder, the second responder → initiator.
    public func split() -> (NoiseCipherState, NoiseCipherState) {
        let (first, second) = NoiseHKDF.deriveTwo(chainingKey: chainingKey, inputKeyMaterial: [])
        return (
            NoiseCipherState(key: first, maximumNonce: rules.maximumNonce),
            NoiseCipherState(key: second, maximumNonce: rules.maximumNonce)
        )
    }
}
