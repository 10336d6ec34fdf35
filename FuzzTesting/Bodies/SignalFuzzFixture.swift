import SignalProtocol
import TestSupport

/// Bob's store with an established session from Alice and Alice's group sender key: what
/// SignalMessageFuzzBody decrypts against.
final class SignalFuzzFixture {
    /// The seed of every generator the fixture and the body use, so a run repeats exactly.
    static let seed: UInt64 = 0x1234_5678
    let bob: InMemorySignalStore
    let aliceAddress = SignalAddress(name: "alice", deviceID: 1)
    let group = SenderKeyName(groupID: "g@g.us", sender: SignalAddress(name: "alice", deviceID: 1))

    init() {
        var random = SeededGenerator(seed: SignalFuzzFixture.seed)
        let aliceIdentity = KeyHelper.generateIdentityKeyPair(using: &random)
        let bobIdentity = KeyHelper.generateIdentityKeyPair(using: &random)
        let alice = InMemorySignalStore(identityKeyPair: aliceIdentity, registrationID: 1)
        bob = InMemorySignalStore(identityKeyPair: bobIdentity, registrationID: 2)
        let signed = KeyHelper.generateSignedPreKey(identityKeyPair: bobIdentity, id: 1, timestamp: 0, using: &random)
        bob.storeSignedPreKey(signed)
        let preKeys = KeyHelper.generatePreKeys(start: 1, count: 3, using: &random)
        for preKey in preKeys { bob.storePreKey(preKey) }
        let bobAddress = SignalAddress(name: "bob", deviceID: 1)
        do {
            try SessionBuilder.processBundle(
                PreKeyBundle(
                    registrationID: 2, deviceID: 1, preKeyID: 1, preKey: preKeys[0].keyPair.publicKey,
                    signedPreKeyID: 1, signedPreKey: signed.keyPair.publicKey, signedPreKeySignature: signed.signature,
                    identityKey: bobIdentity.publicKey),
                for: bobAddress, store: alice, using: &random)
            let first = try SessionCipher(store: alice, address: bobAddress).encrypt([1])
            if case .preKeySignal(let message) = first {
                _ = try SessionCipher(store: bob, address: aliceAddress).decrypt(message, using: &random)
            }
            let aliceGroup = GroupCipher(store: alice, name: group)
            try GroupCipher(store: bob, name: group).process(aliceGroup.distributionMessage(using: &random))
        } catch {
            fatalError("fixture setup failed: \(error)")
        }
    }
}

/// Built once, on first use.
