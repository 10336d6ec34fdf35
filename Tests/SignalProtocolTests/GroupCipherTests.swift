import Testing
@testable import SignalProtocol

@Suite struct GroupCipherTests {
    func setUp(_ random: inout SeededGenerator) throws -> (GroupCipher<InMemorySignalStore>, GroupCipher<InMemorySignalStore>) {
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        let name = SenderKeyName(groupID: "120363000000000000@g.us", sender: alice.address)
        let aliceGroup = GroupCipher(store: alice.store, name: name)
        let bobGroup = GroupCipher(store: bob.store, name: name)
        let distribution = try aliceGroup.distributionMessage(using: &random)
        try bobGroup.process(SenderKeyDistributionMessage(serialized: distribution.serialized))
        return (aliceGroup, bobGroup)
    }

    @Test func groupMessagesDecryptInOrderAndOutOfOrder() throws {
        var random = SeededGenerator(seed: 70)
        let (alice, bob) = try setUp(&random)
        var messages: [(SenderKeyMessage, [UInt8])] = []
        for index in 0..<50 {
            let text = Array("group \(index)".utf8)
            messages.append((try alice.encrypt(text, using: &random), text))
        }
        #expect(try bob.decrypt(SenderKeyMessage(serialized: messages[0].0.serialized)) == messages[0].1)
        var rest = Array(messages.dropFirst())
        rest.shuffle(using: &random)
        for (message, text) in rest { #expect(try bob.decrypt(SenderKeyMessage(serialized: message.serialized)) == text) }
    }

    @Test func groupDuplicateAndForgedMessagesAreRejectedWithoutStateChange() throws {
        var random = SeededGenerator(seed: 71)
        let (alice, bob) = try setUp(&random)
        let message = try alice.encrypt([1, 2, 3], using: &random)
        _ = try bob.decrypt(message)
        let before = bob.store.loadSenderKey(for: bob.name)
        #expect(throws: SignalError.duplicateMessage(chainIndex: 1, counter: 0)) { try bob.decrypt(message) }
        let next = try alice.encrypt([4], using: &random)
        // Flip a byte of the signature, then a byte of the ciphertext (covered by the signature).
        for offset in [20, XEdDSA.signatureLength + 3] {
            var forged = next.serialized
            forged[forged.count - offset] ^= 1
            #expect(throws: SignalError.invalidSignature) { try bob.decrypt(SenderKeyMessage(serialized: forged)) }
        }
        #expect(bob.store.loadSenderKey(for: bob.name) == before)
        #expect(try bob.decrypt(next) == [4])
    }

    @Test func groupMessageWithUnknownKeyIDIsRejected() throws {
        var random = SeededGenerator(seed: 72)
        let (alice, _) = try setUp(&random)
        let stranger = Party(name: "carol", seed: 9, random: &random)
        let carol = GroupCipher(store: stranger.store, name: alice.name)
        let message = try alice.encrypt([1], using: &random)
        #expect(throws: SignalError.noSenderKeyState(keyID: message.keyID)) { try carol.decrypt(message) }
    }

    @Test func groupChainFarInTheFutureIsRejected() throws {
        var random = SeededGenerator(seed: 73)
        let (alice, bob) = try setUp(&random)
        for _ in 0..<2001 { _ = try alice.encrypt([0], using: &random) }
        let far = try alice.encrypt([1], using: &random)
        #expect(throws: SignalError.tooFarIntoFuture(counter: 2001)) { try bob.decrypt(far) }
    }

    @Test func senderKeyRecordSerializationRoundTrips() throws {
        var random = SeededGenerator(seed: 74)
        let (alice, bob) = try setUp(&random)
        for _ in 0..<3 { _ = try alice.encrypt([0], using: &random) }
        _ = try bob.decrypt(try alice.encrypt([1], using: &random))
        for store in [alice.store, bob.store] {
            let record = try #require(store.loadSenderKey(for: alice.name))
            #expect(try SenderKeyRecord(serialized: record.serialized()) == record)
        }
    }
}
