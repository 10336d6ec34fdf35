/// A sender-key chain step (docs/protocol/upper.md §2): seed = HMAC(chainKey, 0x01), next = HMAC(chainKey, 0x02).
public struct SenderChainKey: Sendable, Equatable {
    public let iteration: UInt32
    public let seed: [UInt8]

    public init(iteration: UInt32, seed: [UInt8]) {
        self.iteration = iteration
        self.seed = seed
    }

    /// The message key for this iteration.
    public func messageKey() -> SenderMessageKey {
        SenderMessageKey(iteration: iteration, seed: SignalCrypto.hmacSHA256(key: seed, data: ChainKey.messageKeySeedInput))
    }

    /// The next chain key; nil when the iteration would overflow.
    public func next() -> SenderChainKey? {
        guard iteration < UInt32.max else { return nil }
        return SenderChainKey(
            iteration: iteration + 1, seed: SignalCrypto.hmacSHA256(key: seed, data: ChainKey.chainKeySeedInput))
    }
}

/// A sender message key: `HKDF(seed, salt 0×32, "WhisperGroup", 48)` → IV [0:16], cipherKey [16:48] (docs/protocol/upper.md §2).
public struct SenderMessageKey: Sendable, Equatable {
    public let iteration: UInt32
    public let seed: [UInt8]

    static let info = Array("WhisperGroup".utf8)

    var derived: (iv: [UInt8], cipherKey: [UInt8]) {
        let bytes = SignalCrypto.hkdf(
            inputKeyMaterial: seed, salt: SignalCrypto.zeroSalt, info: Self.info, outputByteCount: 48)
        return (Array(bytes[0..<16]), Array(bytes[16..<48]))
    }
}

/// One sender-key chain of a group sender.
public struct SenderKeyState: Sendable, Equatable {
    /// Skip at most this many iterations; keep at most this many skipped keys (docs/protocol/upper.md §2 limits).
    public static let maximumFutureMessages: UInt32 = 2000
    public static let maximumMessageKeys = 2000

    public var keyID: UInt32
    public var chainKey: SenderChainKey
    public var signingKey: Curve25519PublicKey
    /// Present only for our own chains.
    public var signingPrivateKey: Curve25519PrivateKey?
    /// Skipped message keys, oldest first.
    public var messageKeys: [SenderMessageKey] = []

    mutating func takeMessageKey(iteration: UInt32) -> SenderMessageKey? {
        guard let index = messageKeys.firstIndex(where: { $0.iteration == iteration }) else { return nil }
        return messageKeys.remove(at: index)
    }

    mutating func storeMessageKey(_ key: SenderMessageKey) {
        messageKeys.append(key)
        if messageKeys.count > Self.maximumMessageKeys { messageKeys.removeFirst(messageKeys.count - Self.maximumMessageKeys) }
    }
}

/// All sender-key states of one (group, sender), newest first, at most `maximumStates` (docs/protocol/upper.md §2).
public struct SenderKeyRecord: Sendable, Equatable {
    public static let maximumStates = 5

    public var states: [SenderKeyState]

    public init(states: [SenderKeyState] = []) { self.states = states }

    public var isEmpty: Bool { states.isEmpty }

    func stateIndex(keyID: UInt32) -> Int? { states.firstIndex { $0.keyID == keyID } }

    /// Adds a state as the newest, dropping the oldest beyond the limit.
    mutating func addState(_ state: SenderKeyState) {
        states.insert(state, at: 0)
        if states.count > Self.maximumStates { states.removeLast(states.count - Self.maximumStates) }
    }
}
