import Testing
@testable import SignalProtocol

@Suite struct IdentityTrustTests {
    @Test func changedIdentityIsRejectedUnderTrustOnFirstUse() throws {
        var random = SeededGenerator(seed: 40)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(), for: bob.address, store: alice.store, using: &random)
        // Bob reinstalls: same address, new identity.
        let newBob = Party(name: "bob", seed: 3, random: &random)
        #expect(throws: SignalError.untrustedIdentity(bob.address)) {
            try SessionBuilder.processBundle(newBob.bundle(), for: bob.address, store: alice.store, using: &random)
        }
        // A pkmsg from the new Bob is refused too, and nothing is stored.
        try SessionBuilder.processBundle(alice.bundle(), for: alice.address, store: newBob.store, using: &random)
        let pkmsg = try newBob.cipher(to: alice).encrypt([1])
        let before = alice.store.loadSession(for: bob.address)
        #expect(throws: SignalError.untrustedIdentity(bob.address)) {
            try deliver(pkmsg, to: alice.cipher(to: bob), random: &random)
        }
        #expect(alice.store.loadSession(for: bob.address) == before)
        // After the user accepts the change, the new identity is trusted.
        alice.store.removeIdentity(for: bob.address)
        #expect(try deliver(pkmsg, to: alice.cipher(to: bob), random: &random) == [1])
    }

    @Test func changedIdentityIsAcceptedWithEventUnderAcceptChanges() throws {
        var random = SeededGenerator(seed: 41)
        let alice = Party(name: "alice", seed: 1, trustPolicy: .acceptChanges, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(), for: bob.address, store: alice.store, using: &random)
        _ = try deliver(try alice.cipher(to: bob).encrypt([0]), to: bob.cipher(to: alice), random: &random)
        let newBob = Party(name: "bob", seed: 3, random: &random)
        try SessionBuilder.processBundle(alice.bundle(), for: alice.address, store: newBob.store, using: &random)
        let pkmsg = try newBob.cipher(to: alice).encrypt([1])
        guard case .preKeySignal(let message) = pkmsg else { Issue.record("expected pkmsg"); return }
        let decrypted = try alice.cipher(to: bob).decrypt(message, using: &random)
        #expect(decrypted.plaintext == [1])
        #expect(decrypted.events == [
            .identityChanged(
                bob.address, previous: bob.store.identityKeyPair().publicKey,
                current: newBob.store.identityKeyPair().publicKey)
        ])
        #expect(alice.store.identity(for: bob.address) == newBob.store.identityKeyPair().publicKey)
    }

    @Test func bundleProcessingReportsIdentityChangeUnderAcceptChanges() throws {
        var random = SeededGenerator(seed: 42)
        let alice = Party(name: "alice", seed: 1, trustPolicy: .acceptChanges, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        #expect(try SessionBuilder.processBundle(bob.bundle(), for: bob.address, store: alice.store, using: &random) == nil)
        let newBob = Party(name: "bob", seed: 3, random: &random)
        let event = try SessionBuilder.processBundle(newBob.bundle(), for: bob.address, store: alice.store, using: &random)
        #expect(event == .identityChanged(
            bob.address, previous: bob.store.identityKeyPair().publicKey, current: newBob.store.identityKeyPair().publicKey))
    }
}
