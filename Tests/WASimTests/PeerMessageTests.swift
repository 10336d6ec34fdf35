import Foundation
import SignalProtocol
import Testing
import WABinary
import WAProto
@testable import WASim

/// The phone's peer message to a new companion (docs/protocol/upper.md §1.6, §3.3, §5.1): a real pkmsg the companion
/// opens with the keys of its registration payload, carrying the account's push name in `notify`.
@Suite struct PeerMessageTests {
    @Test func peerMessageDecryptsWithTheCompanionsRegistrationKeysAndNamesThePushName() throws {
        var random = SystemRandomNumberGenerator()
        let phone = SimPhone(
            number: "15551234567", lid: "100000000000001", pushName: "Ana Maria", platform: "android", businessName: nil,
            identity: KeyHelper.generateIdentityKeyPair(using: &random), rawID: 77)
        let companionIdentity = KeyHelper.generateIdentityKeyPair(using: &random)
        let signed = KeyHelper.generateSignedPreKey(identityKeyPair: companionIdentity, id: 1, timestamp: 1, using: &random)
        let registration = CompanionRegistration(
            registrationID: 4321, identityKey: companionIdentity.publicKey.rawRepresentation, signedPreKeyID: 1,
            signedPreKey: signed.keyPair.publicKey.rawRepresentation, signedPreKeySignature: signed.signature)

        let node = try PeerMessage.node(
            from: phone, to: registration, device: 4, id: "3AABCDEF", now: Date(timeIntervalSince1970: 1_790_000_000),
            using: &random)
        #expect(node.tag == "message")
        #expect(node.string("notify") == "Ana Maria")
        #expect(node.string("category") == "peer")
        #expect(node.jid("from") == JID(user: "15551234567", server: JID.userServer))
        let enc = try #require(node.child("enc"))
        #expect(enc.string("type") == "pkmsg")
        #expect(enc.string("v") == "2")

        let store = InMemorySignalStore(identityKeyPair: companionIdentity, registrationID: 4321)
        store.storeSignedPreKey(signed)
        let message = try PreKeySignalMessage(serialized: try #require(enc.contentBytes))
        let opened = try SessionCipher(store: store, address: SignalAddress(name: "15551234567", deviceID: 0))
            .decrypt(message, using: &random)
        let padding = Int(try #require(opened.plaintext.last))
        #expect((1...15).contains(padding))
        #expect(opened.plaintext.suffix(padding).allSatisfy { Int($0) == padding })
        let plaintext = try WAWebProtobufsE2E_Message(serializedBytes: Array(opened.plaintext.dropLast(padding)))
        #expect(plaintext.protocolMessage.type == .initialSecurityNotificationSettingSync)
    }
}
