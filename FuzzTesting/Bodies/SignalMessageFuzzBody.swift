// Signal message decoding and decryption and stored-record decoding. The first input byte picks the
// target; the rest is the hostile input:
//   0: SignalMessage parse + decrypt against an established session
//   1: PreKeySignalMessage parse + decrypt against a responder with keys
//   2: SenderKeyMessage parse + group decrypt
//   3: SenderKeyDistributionMessage parse
//   4: SessionRecord / SenderKeyRecord decoding
// Property: decoders never trap, and a failed decrypt never changes the stored session.
import SignalProtocol
import TestSupport

enum SignalMessageFuzzBody {
    /// Built once, on first use (an established 1:1 session and a group sender key).
    nonisolated(unsafe) static let fixture = SignalFuzzFixture()

    static func run(_ bytes: [UInt8]) throws(FuzzFinding) {
        guard let selector = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        var random = SeededGenerator(seed: SignalFuzzFixture.seed)
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
