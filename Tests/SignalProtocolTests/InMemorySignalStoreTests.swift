import Testing
@testable import SignalProtocol

/// The in-memory store's transactions: a failed one leaves every table as it found it.
@Suite struct InMemorySignalStoreTests {
    struct Failure: Error {}

    @Test func failedTransactionUndoesEveryWriteIncludingRemovalsAndNewEntries() throws {
        var random = SeededGenerator(seed: 31)
        let party = Party(name: "carol", seed: 1, random: &random)
        let store = party.store
        let address = SignalAddress(name: "dave", deviceID: 2)
        let identity = Curve25519KeyPair(using: &random).publicKey
        store.storeIdentity(identity, for: address)
        let preKey = try #require(store.loadPreKey(id: party.preKeys[0].id))
        #expect(throws: Failure.self) {
            try store.transaction {
                store.storeIdentity(Curve25519KeyPair(using: &random).publicKey, for: address)
                store.removePreKey(id: preKey.id)
                store.storeSession(SessionRecord(), for: address)  // a new entry
                store.storeSession(SessionRecord(), for: address)  // written twice
                store.storePreKey(PreKeyRecord(id: 99, keyPair: Curve25519KeyPair(using: &random)))
                throw Failure()
            }
        }
        #expect(store.identity(for: address) == identity)
        #expect(store.loadPreKey(id: preKey.id) == preKey)
        #expect(store.loadSession(for: address) == nil)
        #expect(store.loadPreKey(id: 99) == nil)
    }

    @Test func failedNestedTransactionUndoesOnlyItsOwnWrites() throws {
        var random = SeededGenerator(seed: 32)
        let store = Party(name: "erin", seed: 2, random: &random).store
        let outer = SignalAddress(name: "outer", deviceID: 1), inner = SignalAddress(name: "inner", deviceID: 1)
        try store.transaction {
            store.storeSession(SessionRecord(), for: outer)
            #expect(throws: Failure.self) {
                try store.transaction {
                    store.storeSession(SessionRecord(), for: inner)
                    store.deleteSession(for: outer)
                    throw Failure()
                }
            }
            #expect(store.loadSession(for: outer) != nil && store.loadSession(for: inner) == nil)
        }
        #expect(store.loadSession(for: outer) != nil && store.loadSession(for: inner) == nil)
        // Writes outside any transaction are plain writes.
        store.deleteSession(for: outer)
        #expect(store.loadSession(for: outer) == nil)
    }
}
