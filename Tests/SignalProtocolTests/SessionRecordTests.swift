import Testing
@testable import SignalProtocol

@Suite struct SessionRecordTests {
    @Test func sessionReestablishmentArchivesOldStateAndOldMessagesStillDecrypt() throws {
        var random = SeededGenerator(seed: 30)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(preKeyIndex: 0), for: bob.address, store: alice.store, using: &random)
        _ = try deliver(try alice.cipher(to: bob).encrypt([1]), to: bob.cipher(to: alice), random: &random)
        let late = try bob.cipher(to: alice).encrypt([2])  // sent on the old session, delivered later
        // Alice reinstalls her session from a fresh bundle (e.g. after a retry receipt).
        try SessionBuilder.processBundle(bob.bundle(preKeyIndex: 1), for: bob.address, store: alice.store, using: &random)
        #expect(alice.store.loadSession(for: bob.address)?.previousStates.count == 1)
        let fresh = try alice.cipher(to: bob).encrypt([3])
        #expect(try deliver(fresh, to: bob.cipher(to: alice), random: &random) == [3])
        #expect(bob.store.loadSession(for: alice.address)?.previousStates.count == 1)
        // The late message decrypts with Alice's archived state, which is promoted.
        let decrypted = try alice.cipher(to: bob).decrypt(SignalMessage(serialized: late.serialized), using: &random)
        #expect(decrypted.plaintext == [2])
        #expect(decrypted.events == [.archivedStatePromoted(bob.address)])
        // Bob keeps talking on the new session: Alice finds it in her archive and promotes it back.
        let again = try bob.cipher(to: alice).encrypt([4])
        #expect(try deliver(again, to: alice.cipher(to: bob), random: &random) == [4])
        #expect(try deliver(try alice.cipher(to: bob).encrypt([5]), to: bob.cipher(to: alice), random: &random) == [5])
    }

    @Test func archiveKeepsAtMostFortyStates() throws {
        var random = SeededGenerator(seed: 31)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        for _ in 0..<45 {
            try SessionBuilder.processBundle(bob.bundle(preKeyIndex: nil), for: bob.address, store: alice.store, using: &random)
        }
        let record = try #require(alice.store.loadSession(for: bob.address))
        #expect(record.previousStates.count == SessionRecord.maximumArchivedStates)
        #expect(record.currentState != nil)
    }

    @Test func recordSerializationRoundTripsEveryField() throws {
        var random = SeededGenerator(seed: 32)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(preKeyIndex: 3), for: bob.address, store: alice.store, using: &random)
        try SessionBuilder.processBundle(bob.bundle(preKeyIndex: 4), for: bob.address, store: alice.store, using: &random)
        let first = try alice.cipher(to: bob).encrypt([0])
        _ = try deliver(first, to: bob.cipher(to: alice), random: &random)
        for _ in 0..<3 { _ = try bob.cipher(to: alice).encrypt([1]) }  // lost: Alice will store skipped keys
        _ = try deliver(try bob.cipher(to: alice).encrypt([2]), to: alice.cipher(to: bob), random: &random)
        for party in [alice, bob] {
            let peer = party.address == alice.address ? bob.address : alice.address
            let record = try #require(party.store.loadSession(for: peer))
            #expect(try SessionRecord(serialized: record.serialized()) == record)
        }
        let aliceRecord = try #require(alice.store.loadSession(for: bob.address))
        #expect(aliceRecord.currentState?.receiverChains.last?.messageKeys.count == 3)
        #expect(aliceRecord.previousStates.first?.pendingPreKey != nil)
    }

    @Test func garbageRecordBytesAreRejectedAsMalformed() {
        var random = SeededGenerator(seed: 33)
        for length in 1..<300 {
            let bytes = random.bytes(length)
            do {
                _ = try SessionRecord(serialized: bytes)
                Issue.record("\(length) random bytes decoded as a SessionRecord")
            } catch {
                guard case .malformedMessage = error else { Issue.record("SessionRecord: \(error)"); continue }
            }
            do {
                _ = try SenderKeyRecord(serialized: bytes)
                Issue.record("\(length) random bytes decoded as a SenderKeyRecord")
            } catch {
                guard case .malformedMessage = error else { Issue.record("SenderKeyRecord: \(error)"); continue }
            }
        }
    }
}
