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
        var mac = HMACSHA256(key: key)
        return next(&mac)
    }

    /// The message keys for this chain key's index.
    public func messageKeys() -> MessageKeys {
        messageKeysAndNext().0
    }

    /// This index's message keys and the next chain key, keying the HMAC once for both.
    ///
    /// The seed and the PRK stay on the stack; the 80 derived bytes land in the keys' one array.
    func messageKeysAndNext() -> (MessageKeys, ChainKey?) {
        var mac = HMACSHA256(key: key)
        let derived = [UInt8](unsafeUninitializedCapacity: MessageKeys.byteCount) { output, count in
            withUnsafeTemporaryAllocation(byteCount: HMACSHA256.codeLength, alignment: 1) { seed in
                Self.messageKeySeedInput.withUnsafeBytes { mac.code($0, into: seed) }
                SignalCrypto.hkdf(
                    inputKeyMaterial: UnsafeRawBufferPointer(seed), salt: SignalCrypto.zeroSalt, info: Self.messageKeysInfo,
                    into: UnsafeMutableRawBufferPointer(output))
                seed.initializeMemory(as: UInt8.self, repeating: 0)  // the seed is secret
            }
            count = MessageKeys.byteCount
        }
        return (MessageKeys(derived: derived, counter: index), next(&mac))
    }

    /// The next chain key from this key's HMAC, which it uses up.
    private func next(_ mac: inout HMACSHA256) -> ChainKey? {
        guard index < UInt32.max else { return nil }
        let nextKey = [UInt8](unsafeUninitializedCapacity: HMACSHA256.codeLength) { output, count in
            Self.chainKeySeedInput.withUnsafeBytes { mac.finalCode($0, into: UnsafeMutableRawBufferPointer(output)) }
            count = HMACSHA256.codeLength
        }
        return ChainKey(key: nextKey, index: index + 1)
    }
}

/// The keys for one message (docs/protocol/upper.md §1.7): the 80 bytes HKDF derives, in one array.
public struct MessageKeys: Sendable, Equatable {
    /// The length of the derived bytes: cipher key, MAC key, IV.
    static let byteCount = 80

    /// `cipherKey ‖ macKey ‖ iv`.
    private let derived: [UInt8]
    /// The chain index these keys belong to.
    public let counter: UInt32

    public init(cipherKey: [UInt8], macKey: [UInt8], iv: [UInt8], counter: UInt32) {
        precondition(cipherKey.count == 32 && macKey.count == 32 && iv.count == 16, "message key lengths")
        self.init(derived: cipherKey + macKey + iv, counter: counter)
    }

    init(derived: [UInt8], counter: UInt32) {
        self.derived = derived
        self.counter = counter
    }

    /// AES-256-CBC key.
    public var cipherKey: [UInt8] { Array(derived[0..<32]) }
    /// HMAC-SHA256 key for the 8-byte truncated MAC.
    public var macKey: [UInt8] { Array(derived[32..<64]) }
    /// AES-CBC IV (16 bytes).
    public var iv: [UInt8] { Array(derived[64..<80]) }

    /// The three keys in place, without copies.
    func withKeys<Result, Failure: Error>(
        _ body: (_ cipherKey: UnsafeRawBufferPointer, _ macKey: UnsafeRawBufferPointer, _ iv: UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        // `withUnsafeBytes` rethrows untyped errors: the typed one travels in a `Swift.Result`.
        try derived.withUnsafeBytes { bytes in
            Swift.Result { () throws(Failure) -> Result in
                try body(
                    UnsafeRawBufferPointer(rebasing: bytes[0..<32]), UnsafeRawBufferPointer(rebasing: bytes[32..<64]),
                    UnsafeRawBufferPointer(rebasing: bytes[64..<80]))
            }
        }.get()
    }
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
