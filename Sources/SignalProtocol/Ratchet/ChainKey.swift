/// A symmetric-ratchet chain key and its index (docs/protocol/upper.md §1.7).
///
/// `messageKeySeed = HMAC-SHA256(chainKey, 0x01)`, `next = HMAC-SHA256(chainKey, 0x02)`, message keys =
/// `HKDF(seed, salt 0×32, "WhisperMessageKeys", 80)` → cipherKey [0:32], macKey [32:64], iv [64:80].
public struct ChainKey: Sendable, Equatable {
    /// The 32-byte chain key.
    public let key: [UInt8]
    /// The index of this chain key: the counter of the message it encrypts.
    public let index: UInt32

    public init(key: [UInt8], index: UInt32) {
        self.key = key
        self.index = index
    }

    static let messageKeySeedInput: [UInt8] = [0x01]
    static let chainKeySeedInput: [UInt8] = [0x02]
    static let messageKeysInfo = Array("WhisperMessageKeys".utf8)

    /// The next chain key (index + 1); nil when the 32-bit index would overflow.
    public func next() -> ChainKey? {
        next(HMACSHA256(key: key))
    }

    /// The message keys for this chain key's index.
    public func messageKeys() -> MessageKeys {
        messageKeys(HMACSHA256(key: key))
    }

    /// This index's message keys and the next chain key, keying the HMAC once for both.
    func messageKeysAndNext() -> (MessageKeys, ChainKey?) {
        let mac = HMACSHA256(key: key)
        return (messageKeys(mac), next(mac))
    }

    private func next(_ mac: HMACSHA256) -> ChainKey? {
        guard index < UInt32.max else { return nil }
        return ChainKey(key: mac.code(Self.chainKeySeedInput), index: index + 1)
    }

    private func messageKeys(_ mac: HMACSHA256) -> MessageKeys {
        let derived = SignalCrypto.hkdf(
            inputKeyMaterial: mac.code(Self.messageKeySeedInput), salt: SignalCrypto.zeroSalt,
            info: Self.messageKeysInfo, outputByteCount: 80)
        return MessageKeys(
            cipherKey: Array(derived[0..<32]), macKey: Array(derived[32..<64]), iv: Array(derived[64..<80]),
            counter: index)
    }
}

/// The keys for one message (docs/protocol/upper.md §1.7).
public struct MessageKeys: Sendable, Equatable {
    /// AES-256-CBC key.
    public let cipherKey: [UInt8]
    /// HMAC-SHA256 key for the 8-byte truncated MAC.
    public let macKey: [UInt8]
    /// AES-CBC IV (16 bytes).
    public let iv: [UInt8]
    /// The chain index these keys belong to.
    public let counter: UInt32
}

/// The root key of the DH ratchet (docs/protocol/upper.md §1.7, KDF_RK).
public struct RootKey: Sendable, Equatable {
    /// The 32-byte root key.
    public let key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    static let ratchetInfo = Array("WhisperRatchet".utf8)

    /// One DH-ratchet step: `HKDF(DH(ours, theirs), salt = rootKey, "WhisperRatchet", 64)` → new root, chain key 0.
    public func createChain(
        theirRatchetKey: Curve25519PublicKey, ourRatchetKey: Curve25519PrivateKey
    ) throws(SignalError) -> (RootKey, ChainKey) {
        let shared = try ourRatchetKey.sharedSecret(with: theirRatchetKey)
        let derived = SignalCrypto.hkdf(
            inputKeyMaterial: shared, salt: key, info: Self.ratchetInfo, outputByteCount: 64)
        return (RootKey(key: Array(derived[0..<32])), ChainKey(key: Array(derived[32..<64]), index: 0))
    }
}
