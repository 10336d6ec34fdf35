import Testing
@testable import SignalProtocol

@Suite struct SessionCipherTests {
    @Test(arguments: [true, false]) func firstMessageSetsUpSessionWithAndWithoutOneTimePreKey(withPreKey: Bool) throws {
        var random = SeededGenerator(seed: 10)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(preKeyIndex: withPreKey ? 2 : nil), for: bob.address, store: alice.store, using: &random)
        let first = try alice.cipher(to: bob).encrypt(Array("hello bob".utf8))
        guard case .preKeySignal(let pkmsg) = first else { Issue.record("first message must be a pkmsg"); return }
        #expect(pkmsg.preKeyID == (withPreKey ? bob.preKeys[2].id : nil))
        #expect(pkmsg.serialized[0] == 0x33)
        #expect(try deliver(first, to: bob.cipher(to: alice), random: &random) == Array("hello bob".utf8))
        // The used one-time prekey is gone, the others remain.
        #expect(bob.store.loadPreKey(id: bob.preKeys[2].id) == (withPreKey ? nil : bob.preKeys[2]))
        #expect(bob.store.loadPreKey(id: bob.preKeys[0].id) != nil)
        // Bob answers with a plain msg; afterwards Alice stops sending pkmsgs.
        let reply = try bob.cipher(to: alice).encrypt(Array("hi alice".utf8))
        guard case .signal = reply else { Issue.record("reply must be a msg"); return }
        #expect(try deliver(reply, to: alice.cipher(to: bob), random: &random) == Array("hi alice".utf8))
        guard case .signal = try alice.cipher(to: bob).encrypt([1]) else { Issue.record("pending prekey not cleared"); return }
    }

    @Test func longConversationWithBothSidesRatchetingDecryptsEverything() throws {
        var random = SeededGenerator(seed: 11)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(), for: bob.address, store: alice.store, using: &random)
        for round in 0..<60 {
            let (sender, receiver) = round % 3 == 2 ? (bob, alice) : (alice, bob)
            let burst = 1 + round % 4
            for index in 0..<burst {
                let text = Array("round \(round) message \(index)".utf8)
                let ciphertext = try sender.cipher(to: receiver).encrypt(text)
                #expect(try deliver(ciphertext, to: receiver.cipher(to: sender), random: &random) == text)
            }
        }
    }

    @Test func outOfOrderMessagesAcrossRatchetStepsDecrypt() throws {
        var random = SeededGenerator(seed: 12)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(), for: bob.address, store: alice.store, using: &random)
        let hello = try alice.cipher(to: bob).encrypt([0])
        _ = try deliver(hello, to: bob.cipher(to: alice), random: &random)
        // Bob sends 10 on one chain, Alice replies (new ratchet), Bob sends 10 more on a new chain.
        var pending: [(CiphertextMessage, [UInt8])] = []
        for index in 0..<10 { let text = [1, UInt8(index)]; pending.append((try bob.cipher(to: alice).encrypt(text), text)) }
        _ = try deliver(try alice.cipher(to: bob).encrypt([2]), to: bob.cipher(to: alice), random: &random)
        for index in 0..<10 { let text = [3, UInt8(index)]; pending.append((try bob.cipher(to: alice).encrypt(text), text)) }
        var order = Array(pending.indices)
        order.shuffle(using: &random)
        for index in order {
            #expect(try deliver(pending[index].0, to: alice.cipher(to: bob), random: &random) == pending[index].1)
        }
    }

    @Test func duplicateMessageIsRejectedAndLeavesStateUnchanged() throws {
        var random = SeededGenerator(seed: 13)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(), for: bob.address, store: alice.store, using: &random)
        _ = try deliver(try alice.cipher(to: bob).encrypt([0]), to: bob.cipher(to: alice), random: &random)
        let message = try bob.cipher(to: alice).encrypt([7])
        _ = try deliver(message, to: alice.cipher(to: bob), random: &random)
        let before = alice.store.loadSession(for: bob.address)
        #expect(throws: SignalError.duplicateMessage(chainIndex: 1, counter: 0)) {
            try deliver(message, to: alice.cipher(to: bob), random: &random)
        }
        #expect(alice.store.loadSession(for: bob.address) == before)
    }

    @Test func tamperedMessageFailsMACAndLeavesStateUnchanged() throws {
        var random = SeededGenerator(seed: 14)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(), for: bob.address, store: alice.store, using: &random)
        _ = try deliver(try alice.cipher(to: bob).encrypt([0]), to: bob.cipher(to: alice), random: &random)
        let message = try bob.cipher(to: alice).encrypt(Array(repeating: 9, count: 40))
        let before = alice.store.loadSession(for: bob.address)
        for position in 0..<message.serialized.count {
            var bytes = message.serialized
            bytes[position] ^= 0x40
            do {
                _ = try alice.cipher(to: bob).decrypt(SignalMessage(serialized: bytes), using: &random)
                Issue.record("tampered byte \(position) decrypted")
            } catch {
                #expect(error is SignalError)
            }
            #expect(alice.store.loadSession(for: bob.address) == before)
        }
        #expect(try deliver(message, to: alice.cipher(to: bob), random: &random) == Array(repeating: 9, count: 40))
    }

    @Test func lostMessagesDoNotBreakTheSession() throws {
        var random = SeededGenerator(seed: 15)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(), for: bob.address, store: alice.store, using: &random)
        _ = try deliver(try alice.cipher(to: bob).encrypt([0]), to: bob.cipher(to: alice), random: &random)
        for round in 0..<20 {
            let (sender, receiver) = round.isMultiple(of: 2) ? (bob, alice) : (alice, bob)
            for index in 0..<5 {
                let ciphertext = try sender.cipher(to: receiver).encrypt([UInt8(round), UInt8(index)])
                if index.isMultiple(of: 2) { continue }  // lost
                #expect(try deliver(ciphertext, to: receiver.cipher(to: sender), random: &random) == [UInt8(round), UInt8(index)])
            }
        }
    }

    @Test func messageTooFarInTheFutureIsRejected() throws {
        var random = SeededGenerator(seed: 16)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(), for: bob.address, store: alice.store, using: &random)
        _ = try deliver(try alice.cipher(to: bob).encrypt([0]), to: bob.cipher(to: alice), random: &random)
        for _ in 0..<2001 { _ = try alice.cipher(to: bob).encrypt([1]) }
        let far = try alice.cipher(to: bob).encrypt([2])
        let before = bob.store.loadSession(for: alice.address)
        #expect(throws: SignalError.tooFarIntoFuture(counter: 2002)) { try deliver(far, to: bob.cipher(to: alice), random: &random) }
        #expect(bob.store.loadSession(for: alice.address) == before)
    }

    @Test func exactlyTwoThousandSkippedMessagesAreAcceptedAndKept() throws {
        var random = SeededGenerator(seed: 17)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(), for: bob.address, store: alice.store, using: &random)
        _ = try deliver(try alice.cipher(to: bob).encrypt([0]), to: bob.cipher(to: alice), random: &random)
        var skipped: [CiphertextMessage] = []
        for _ in 0..<2000 { skipped.append(try alice.cipher(to: bob).encrypt([1])) }
        #expect(try deliver(try alice.cipher(to: bob).encrypt([2]), to: bob.cipher(to: alice), random: &random) == [2])
        #expect(try deliver(skipped[0], to: bob.cipher(to: alice), random: &random) == [1])
        #expect(try deliver(skipped[1999], to: bob.cipher(to: alice), random: &random) == [1])
    }

    @Test func unknownPreKeyIsRejectedWithoutStoringAnything() throws {
        var random = SeededGenerator(seed: 18)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(preKeyIndex: 1), for: bob.address, store: alice.store, using: &random)
        let first = try alice.cipher(to: bob).encrypt([1])
        bob.store.removePreKey(id: bob.preKeys[1].id)
        #expect(throws: SignalError.unknownPreKey(id: bob.preKeys[1].id)) {
            try deliver(first, to: bob.cipher(to: alice), random: &random)
        }
        #expect(bob.store.loadSession(for: alice.address) == nil)
        #expect(bob.store.identity(for: alice.address) == nil)
    }

    @Test func bundleWithBadSignedPreKeySignatureIsRejected() throws {
        var random = SeededGenerator(seed: 19)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        var bundle = bob.bundle()
        bundle.signedPreKeySignature[5] ^= 1
        #expect(throws: SignalError.invalidSignature) {
            try SessionBuilder.processBundle(bundle, for: bob.address, store: alice.store, using: &random)
        }
        #expect(alice.store.loadSession(for: bob.address) == nil)
    }

    @Test func encryptWithoutSessionFails() throws {
        var random = SeededGenerator(seed: 20)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        #expect(throws: SignalError.noSession) { try alice.cipher(to: bob).encrypt([1]) }
    }

    @Test func retransmittedPreKeyMessageIsADuplicateNotANewSession() throws {
        var random = SeededGenerator(seed: 21)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(preKeyIndex: nil), for: bob.address, store: alice.store, using: &random)
        let first = try alice.cipher(to: bob).encrypt([1])
        _ = try deliver(first, to: bob.cipher(to: alice), random: &random)
        let before = bob.store.loadSession(for: alice.address)
        #expect(throws: SignalError.duplicateMessage(chainIndex: 1, counter: 0)) {
            try deliver(first, to: bob.cipher(to: alice), random: &random)
        }
        #expect(bob.store.loadSession(for: alice.address) == before)
    }
}
