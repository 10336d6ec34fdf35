/// A `SignalProtocolStore` in memory, for tests and tools. `transaction` undoes its writes on error.
///
/// A reference type (the cipher shares it); not thread-safe, use it from one task.
public final class InMemorySignalStore: SignalProtocolStore {
    private struct Contents {
        var identities: [SignalAddress: Curve25519PublicKey] = [:]
        var preKeys: [UInt32: PreKeyRecord] = [:]
        var signedPreKeys: [UInt32: SignedPreKeyRecord] = [:]
        var sessions: [SignalAddress: SessionRecord] = [:]
        var senderKeys: [SenderKeyName: SenderKeyRecord] = [:]
    }

    /// The value a write replaced, to put back when its transaction fails.
    private enum Undo {
        case identity(SignalAddress, Curve25519PublicKey?)
        case preKey(UInt32, PreKeyRecord?)
        case signedPreKey(UInt32, SignedPreKeyRecord?)
        case session(SignalAddress, SessionRecord?)
        case senderKey(SenderKeyName, SenderKeyRecord?)
    }

    private let ourIdentity: IdentityKeyPair
    private let registrationID: UInt32
    // The store is used from one task and its methods never overlap their own accesses, so the run-time
    // exclusivity checks (two per call, on every message) are left out.
    @exclusivity(unchecked) private var contents = Contents()
    /// Writes made inside the open transactions, oldest first. An undo log rather than a snapshot of
    /// `contents`: a snapshot shares the dictionaries, so the first write of every transaction copied the
    /// whole dictionary it wrote to (every session, once per message).
    @exclusivity(unchecked) private var undoLog: [Undo] = []
    @exclusivity(unchecked) private var transactionDepth = 0
    public let trustPolicy: IdentityTrustPolicy

    public init(identityKeyPair: IdentityKeyPair, registrationID: UInt32, trustPolicy: IdentityTrustPolicy = .trustOnFirstUse) {
        self.ourIdentity = identityKeyPair
        self.registrationID = registrationID
        self.trustPolicy = trustPolicy
    }

    public func identityKeyPair() -> IdentityKeyPair { ourIdentity }
    public func localRegistrationID() -> UInt32 { registrationID }
    public func identity(for address: SignalAddress) -> Curve25519PublicKey? { contents.identities[address] }
    public func storeIdentity(_ identityKey: Curve25519PublicKey, for address: SignalAddress) {
        log(.identity(address, contents.identities.updateValue(identityKey, forKey: address)))
    }
    /// Forgets a remote identity (e.g. after the user accepted a changed security code).
    public func removeIdentity(for address: SignalAddress) {
        log(.identity(address, contents.identities.removeValue(forKey: address)))
    }

    public func loadPreKey(id: UInt32) -> PreKeyRecord? { contents.preKeys[id] }
    public func storePreKey(_ record: PreKeyRecord) {
        log(.preKey(record.id, contents.preKeys.updateValue(record, forKey: record.id)))
    }
    public func removePreKey(id: UInt32) { log(.preKey(id, contents.preKeys.removeValue(forKey: id))) }

    public func loadSignedPreKey(id: UInt32) -> SignedPreKeyRecord? { contents.signedPreKeys[id] }
    public func storeSignedPreKey(_ record: SignedPreKeyRecord) {
        log(.signedPreKey(record.id, contents.signedPreKeys.updateValue(record, forKey: record.id)))
    }

    public func loadSession(for address: SignalAddress) -> SessionRecord? { contents.sessions[address] }
    public func storeSession(_ record: SessionRecord, for address: SignalAddress) {
        log(.session(address, contents.sessions.updateValue(record, forKey: address)))
    }
    public func deleteSession(for address: SignalAddress) {
        log(.session(address, contents.sessions.removeValue(forKey: address)))
    }

    public func loadSenderKey(for name: SenderKeyName) -> SenderKeyRecord? { contents.senderKeys[name] }
    public func storeSenderKey(_ record: SenderKeyRecord, for name: SenderKeyName) {
        log(.senderKey(name, contents.senderKeys.updateValue(record, forKey: name)))
    }

    /// Runs `body`; when it throws, every write it made is undone (a nested transaction undoes only its own).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let start = undoLog.count
        transactionDepth += 1
        defer {
            transactionDepth -= 1
            if transactionDepth == 0 { undoLog.removeAll(keepingCapacity: true) }
        }
        do {
            return try body()
        } catch {
            undo(downTo: start)
            throw error
        }
    }

    /// Remembers the value a write replaced, inside a transaction.
    private func log(_ entry: Undo) {
        if transactionDepth > 0 { undoLog.append(entry) }
    }

    /// Puts back the values replaced since the log had `start` entries, newest first.
    private func undo(downTo start: Int) {
        while undoLog.count > start {
            switch undoLog.removeLast() {
            case .identity(let address, let old): contents.identities[address] = old
            case .preKey(let id, let old): contents.preKeys[id] = old
            case .signedPreKey(let id, let old): contents.signedPreKeys[id] = old
            case .session(let address, let old): contents.sessions[address] = old
            case .senderKey(let name, let old): contents.senderKeys[name] = old
            }
        }
    }
}
