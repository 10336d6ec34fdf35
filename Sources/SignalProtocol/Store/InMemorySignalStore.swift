/// A `SignalProtocolStore` in memory, for tests and tools. `transaction` restores a snapshot on error.
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

    private let ourIdentity: IdentityKeyPair
    private let registrationID: UInt32
    private var contents = Contents()
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
        contents.identities[address] = identityKey
    }
    /// Forgets a remote identity (e.g. after the user accepted a changed security code).
    public func removeIdentity(for address: SignalAddress) { contents.identities[address] = nil }

    public func loadPreKey(id: UInt32) -> PreKeyRecord? { contents.preKeys[id] }
    public func storePreKey(_ record: PreKeyRecord) { contents.preKeys[record.id] = record }
    public func removePreKey(id: UInt32) { contents.preKeys[id] = nil }

    public func loadSignedPreKey(id: UInt32) -> SignedPreKeyRecord? { contents.signedPreKeys[id] }
    public func storeSignedPreKey(_ record: SignedPreKeyRecord) { contents.signedPreKeys[record.id] = record }

    public func loadSession(for address: SignalAddress) -> SessionRecord? { contents.sessions[address] }
    public func storeSession(_ record: SessionRecord, for address: SignalAddress) { contents.sessions[address] = record }
    public func deleteSession(for address: SignalAddress) { contents.sessions[address] = nil }

    public func loadSenderKey(for name: SenderKeyName) -> SenderKeyRecord? { contents.senderKeys[name] }
    public func storeSenderKey(_ record: SenderKeyRecord, for name: SenderKeyName) {
        contents.senderKeys[name] = record
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let snapshot = contents
        do {
            return try body()
        } catch {
            contents = snapshot
            throw error
        }
    }
}
