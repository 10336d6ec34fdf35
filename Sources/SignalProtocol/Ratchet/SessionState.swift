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

    /// The fields no message changes (only the setup and a DH-ratchet step do), kept in one immutable box
    /// that every copy of the state shares: a state is copied once per message (its record is copied out of
    /// the store), and each field outside the box costs a retain and a release per copy.
    private struct Fixed: Sendable, Equatable {
        var sessionVersion: UInt32
        var localIdentityKey: Curve25519PublicKey
        var remoteIdentityKey: Curve25519PublicKey
        var rootKey: RootKey
        var previousCounter: UInt32
        var senderRatchetKeyPair: Curve25519KeyPair
        var localRegistrationID: UInt32
        var remoteRegistrationID: UInt32
        var aliceBaseKey: Curve25519PublicKey
    }

    private final class FixedBox: Sendable {
        let fields: Fixed
        init(_ fields: Fixed) { self.fields = fields }
    }

    private var fixed: FixedBox
    /// The sending chain key: the part of `senderChain` every encryption advances.
    var senderChainKey: ChainKey
    public var receiverChains: [ReceiverChain] = []
    public var pendingPreKey: PendingPreKey?

    init(
        sessionVersion: UInt32 = 3, localIdentityKey: Curve25519PublicKey, remoteIdentityKey: Curve25519PublicKey,
        rootKey: RootKey, previousCounter: UInt32 = 0, senderChain: SenderChain, receiverChains: [ReceiverChain] = [],
        pendingPreKey: PendingPreKey? = nil, localRegistrationID: UInt32 = 0, remoteRegistrationID: UInt32 = 0,
        aliceBaseKey: Curve25519PublicKey
    ) {
        fixed = FixedBox(
            Fixed(
                sessionVersion: sessionVersion, localIdentityKey: localIdentityKey, remoteIdentityKey: remoteIdentityKey,
                rootKey: rootKey, previousCounter: previousCounter, senderRatchetKeyPair: senderChain.ratchetKeyPair,
                localRegistrationID: localRegistrationID, remoteRegistrationID: remoteRegistrationID,
                aliceBaseKey: aliceBaseKey))
        senderChainKey = senderChain.chainKey
        self.receiverChains = receiverChains
        self.pendingPreKey = pendingPreKey
    }

    /// Replaces the box with one holding the changed fields (the box itself never changes).
    private mutating func changeFixed(_ change: (inout Fixed) -> Void) {
        var fields = fixed.fields
        change(&fields)
        fixed = FixedBox(fields)
    }

    public var sessionVersion: UInt32 {
        get { fixed.fields.sessionVersion }
        set { changeFixed { $0.sessionVersion = newValue } }
    }
    public var localIdentityKey: Curve25519PublicKey {
        get { fixed.fields.localIdentityKey }
        set { changeFixed { $0.localIdentityKey = newValue } }
    }
    public var remoteIdentityKey: Curve25519PublicKey {
        get { fixed.fields.remoteIdentityKey }
        set { changeFixed { $0.remoteIdentityKey = newValue } }
    }
    public var rootKey: RootKey {
        get { fixed.fields.rootKey }
        set { changeFixed { $0.rootKey = newValue } }
    }
    public var previousCounter: UInt32 {
        get { fixed.fields.previousCounter }
        set { changeFixed { $0.previousCounter = newValue } }
    }
    /// Our current ratchet key pair and sending chain key.
    public var senderChain: SenderChain {
        get { SenderChain(ratchetKeyPair: fixed.fields.senderRatchetKeyPair, chainKey: senderChainKey) }
        set {
            changeFixed { $0.senderRatchetKeyPair = newValue.ratchetKeyPair }
            senderChainKey = newValue.chainKey
        }
    }
    /// Our current ratchet public key (without building a `SenderChain`).
    var senderRatchetKey: Curve25519PublicKey { fixed.fields.senderRatchetKeyPair.publicKey }
    /// Our current ratchet private key (without building a `SenderChain`).
    var senderRatchetPrivateKey: Curve25519PrivateKey { fixed.fields.senderRatchetKeyPair.privateKey }

    /// The sending half of a DH-ratchet step, in one new box.
    mutating func ratchetSendingChain(rootKey: RootKey, previousCounter: UInt32, senderChain: SenderChain) {
        changeFixed {
            $0.rootKey = rootKey
            $0.previousCounter = previousCounter
            $0.senderRatchetKeyPair = senderChain.ratchetKeyPair
        }
        senderChainKey = senderChain.chainKey
    }
    public var localRegistrationID: UInt32 {
        get { fixed.fields.localRegistrationID }
        set { changeFixed { $0.localRegistrationID = newValue } }
    }
    public var remoteRegistrationID: UInt32 {
        get { fixed.fields.remoteRegistrationID }
        set { changeFixed { $0.remoteRegistrationID = newValue } }
    }
    /// The initiator's base key, identifying the X3DH run that created this state.
    public var aliceBaseKey: Curve25519PublicKey {
        get { fixed.fields.aliceBaseKey }
        set { changeFixed { $0.aliceBaseKey = newValue } }
    }

    public static func == (lhs: SessionState, rhs: SessionState) -> Bool {
        (lhs.fixed === rhs.fixed || lhs.fixed.fields == rhs.fixed.fields) && lhs.senderChainKey == rhs.senderChainKey
            && lhs.receiverChains == rhs.receiverChains && lhs.pendingPreKey == rhs.pendingPreKey
    }

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
