/// One double-ratchet session between our device and one remote device (docs/protocol/upper.md §1.6–§1.10).
///
/// A value type: the cipher works on a copy and the caller stores it only after a successful operation, so a
/// failed decrypt never changes stored state.
public struct SessionState: Sendable, Equatable {
    /// The sending half of the ratchet: our current ratchet key pair and chain key.
    public struct SenderChain: Sendable, Equatable {
        public var ratchetKeyPair: Curve25519KeyPair
        public var chainKey: ChainKey
    }

    /// A receiving chain for one of the peer's ratchet keys, with the keys of skipped messages.
    public struct ReceiverChain: Sendable, Equatable {
        public var ratchetKey: Curve25519PublicKey
        public var chainKey: ChainKey
        /// Keys of messages skipped on this chain, oldest first, at most `maximumMessageKeys`.
        public var messageKeys: [MessageKeys]
    }

    /// The prekey details the initiator repeats in every message until the responder answers (docs/protocol/upper.md §1.6).
    public struct PendingPreKey: Sendable, Equatable {
        public var preKeyID: UInt32?
        public var signedPreKeyID: UInt32
        public var baseKey: Curve25519PublicKey
    }

    /// Skip ahead at most this many messages in one chain (docs/protocol/upper.md §1.10).
    public static let maximumFutureMessages: UInt32 = 2000
    /// Keep at most this many skipped message keys per chain, oldest dropped (docs/protocol/upper.md §1.10).
    public static let maximumMessageKeys = 2000
    /// Keep at most this many receiver chains, oldest dropped (docs/protocol/upper.md §1.10).
    public static let maximumReceiverChains = 5

    public var sessionVersion: UInt32 = 3
    public var localIdentityKey: Curve25519PublicKey
    public var remoteIdentityKey: Curve25519PublicKey
    public var rootKey: RootKey
    public var previousCounter: UInt32 = 0
    public var senderChain: SenderChain
    public var receiverChains: [ReceiverChain] = []
    public var pendingPreKey: PendingPreKey?
    public var localRegistrationID: UInt32 = 0
    public var remoteRegistrationID: UInt32 = 0
    /// The initiator's base key, identifying the X3DH run that created this state.
    public var aliceBaseKey: Curve25519PublicKey

    func receiverChainIndex(for ratchetKey: Curve25519PublicKey) -> Int? {
        receiverChains.firstIndex { $0.ratchetKey == ratchetKey }
    }

    mutating func addReceiverChain(ratchetKey: Curve25519PublicKey, chainKey: ChainKey) {
        receiverChains.append(ReceiverChain(ratchetKey: ratchetKey, chainKey: chainKey, messageKeys: []))
        if receiverChains.count > Self.maximumReceiverChains {
            receiverChains.removeFirst(receiverChains.count - Self.maximumReceiverChains)
        }
    }

    /// Removes and returns the stored skipped key for `counter` on the chain at `chainIndex`.
    mutating func takeMessageKeys(chainIndex: Int, counter: UInt32) -> MessageKeys? {
        guard let keyIndex = receiverChains[chainIndex].messageKeys.firstIndex(where: { $0.counter == counter }) else {
            return nil
        }
        return receiverChains[chainIndex].messageKeys.remove(at: keyIndex)
    }

    mutating func storeMessageKeys(_ keys: MessageKeys, chainIndex: Int) {
        receiverChains[chainIndex].messageKeys.append(keys)
        let excess = receiverChains[chainIndex].messageKeys.count - Self.maximumMessageKeys
        if excess > 0 { receiverChains[chainIndex].messageKeys.removeFirst(excess) }
    }
}
