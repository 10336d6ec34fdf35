// Signal message decoding and decryption and stored-record decoding. The first input byte picks the
// target; the rest is the hostile input:
//   0: SignalMessage parse + decrypt against an established session
//   1: PreKeySignalMessage parse + decrypt against a responder with keys
//   2: SenderKeyMessage parse + group decrypt
//   3: SenderKeyDistributionMessage parse
//   4: SessionRecord / SenderKeyRecord decoding
// Property: decoders never trap, and a failed decrypt never changes the stored session.
import SignalProtocol

enum SignalMessageFuzzBody {
    /// Built once, on first use (an established 1:1 session and a group sender key).
    nonisolated(unsafe) static let fixture = Fixture()

    static func run(_ bytes: [UInt8]) throws(FuzzFinding) {
        guard let selector = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        var random = FixedGenerator()
        let cipher = SessionCipher(store: fixture.bob, address: fixture.aliceAddress)
        let before = fixture.bob.loadSession(for: fixture.aliceAddress)
        switch selector % 5 {
        case 0:
            if let message = try? SignalMessage(serialized: body), (try? cipher.decrypt(message, using: &random)) == nil {
                try FuzzFinding.check(
                    fixture.bob.loadSession(for: fixture.aliceAddress) == before, "a failed SignalMessage decrypt changed the session")
            }
        case 1:
            if let message = try? PreKeySignalMessage(serialized: body), (try? cipher.decrypt(message, using: &random)) == nil {
                try FuzzFinding.check(
                    fixture.bob.loadSession(for: fixture.aliceAddress) == before, "a failed PreKeySignalMessage decrypt changed the session")
            }
        case 2:
            let groupBefore = fixture.bob.loadSenderKey(for: fixture.group)
            let group = GroupCipher(store: fixture.bob, name: fixture.group)
            if let message = try? SenderKeyMessage(serialized: body), (try? group.decrypt(message)) == nil {
                try FuzzFinding.check(
                    fixture.bob.loadSenderKey(for: fixture.group) == groupBefore, "a failed SenderKeyMessage decrypt changed the sender key")
            }
        case 3:
            _ = try? SenderKeyDistributionMessage(serialized: body)
        default:
            _ = try? SessionRecord(serialized: body)
            _ = try? SenderKeyRecord(serialized: body)
        }
    }
}

struct FixedGenerator: RandomNumberGenerator {
    var state: UInt64 = 0x1234_5678
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class Fixture {
    let bob: InMemorySignalStore
    let aliceAddress = SignalAddress(name: "alice", deviceID: 1)
    let group = SenderKeyName(groupID: "g@g.us", sender: SignalAddress(name: "alice", deviceID: 1))

    init() {
        var random = FixedGenerator()
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
