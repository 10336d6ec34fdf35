/// Storage behind the Signal protocol, one small protocol per concern (libsignal-shaped).
///
/// Implementations: `InMemorySignalStore` (tests) and `WAStore.SQLiteSignalStore` (the engine).
/// The cipher reads, computes on copies, and writes only after success, inside `transaction`, so every
/// key change lands in the same transaction as the session state that depends on it.

/// Our own identity and the identities of remote devices.
public protocol IdentityKeyStore {
    /// Our long-term identity key pair.
    func identityKeyPair() throws -> IdentityKeyPair
    /// Our registration id.
    func localRegistrationID() throws -> UInt32
    /// The stored identity of a remote device, if any.
    func identity(for address: SignalAddress) throws -> Curve25519PublicKey?
    /// Stores a remote identity, replacing any previous one.
    func storeIdentity(_ identityKey: Curve25519PublicKey, for address: SignalAddress) throws
    /// The trust policy applied by `SessionBuilder`/`SessionCipher`.
    var trustPolicy: IdentityTrustPolicy { get }
}

/// Our one-time prekeys.
public protocol PreKeyStore {
    func loadPreKey(id: UInt32) throws -> PreKeyRecord?
    func storePreKey(_ record: PreKeyRecord) throws
    func removePreKey(id: UInt32) throws
}

/// Our signed prekeys.
public protocol SignedPreKeyStore {
    func loadSignedPreKey(id: UInt32) throws -> SignedPreKeyRecord?
    func storeSignedPreKey(_ record: SignedPreKeyRecord) throws
}

/// Session records, one per remote device.
public protocol SessionStore {
    func loadSession(for address: SignalAddress) throws -> SessionRecord?
    func storeSession(_ record: SessionRecord, for address: SignalAddress) throws
    func deleteSession(for address: SignalAddress) throws
}

/// Sender-key records, one per (group, sender device).
public protocol SenderKeyStore {
    func loadSenderKey(for name: SenderKeyName) throws -> SenderKeyRecord?
    func storeSenderKey(_ record: SenderKeyRecord, for name: SenderKeyName) throws
}

/// Everything the cipher needs, plus an atomic unit of work.
public protocol SignalProtocolStore: IdentityKeyStore, PreKeyStore, SignedPreKeyStore, SessionStore, SenderKeyStore {
    /// Runs `body` atomically: either all of its writes persist or none do.
    func transaction<T>(_ body: () throws -> T) throws -> T
}

/// Identifies a sender-key chain: a group and one sender device (docs/protocol/upper.md §2).
public struct SenderKeyName: Hashable, Sendable, CustomStringConvertible {
    public var groupID: String
    public var sender: SignalAddress

    public init(groupID: String, sender: SignalAddress) {
        self.groupID = groupID
        self.sender = sender
    }

    public var description: String { "\(groupID)::\(sender.name)::\(sender.deviceID)" }
}
