import Foundation
import SignalProtocol
import WABinary
import WAProto

/// A message a simulated phone sends to one of its own companions ("peer" category), Signal-encrypted as a pkmsg
/// for the companion's registration keys (docs/protocol/upper.md §1.6, §3.3, §5.1).
///
/// After linking, WhatsApp's phone sends its new companion peer protocol messages; like every `<message>`, each
/// carries the sender's push name in `notify` (docs/protocol/upper.md §5.1) — the account's own name, which a
/// companion takes from a message of its own account (Baileys does). The sim sends one: a `ProtocolMessage` of type
/// INITIAL_SECURITY_NOTIFICATION_SETTING_SYNC, the setting off.
enum PeerMessage {
    /// Why the message could not be built (the companion's keys are unusable).
    enum BuildError: Error, Equatable {
        case badCompanionKeys
        case encryption(String)
    }

    /// `<message from="<number>@s.whatsapp.net" type="text" category="peer" notify="<push name>" id t>
    /// <enc v="2" type="pkmsg">…</enc></message>` for companion device `device` with registration `companion`.
    static func node(
        from phone: SimPhone, to companion: CompanionRegistration, device: UInt16, id: String, now: Date,
        using random: inout some RandomNumberGenerator
    ) throws(BuildError) -> BinaryNode {
        guard let identityKey = try? Curve25519PublicKey(rawRepresentation: companion.identityKey),
            let signedPreKey = try? Curve25519PublicKey(rawRepresentation: companion.signedPreKey)
        else { throw .badCompanionKeys }
        let bundle = PreKeyBundle(
            registrationID: companion.registrationID, deviceID: UInt32(device), preKeyID: nil, preKey: nil,
            signedPreKeyID: companion.signedPreKeyID, signedPreKey: signedPreKey,
            signedPreKeySignature: companion.signedPreKeySignature, identityKey: identityKey)
        // The phone keeps no session state between runs of the simulator: each peer message starts a new one.
        let store = InMemorySignalStore(
            identityKeyPair: phone.identity, registrationID: phone.rawID % 16_380 + 1, trustPolicy: .acceptChanges)
        let address = SignalAddress(name: phone.number, deviceID: UInt32(device))
        let ciphertext: CiphertextMessage
        do {
            try SessionBuilder.processBundle(bundle, for: address, store: store, using: &random)
            ciphertext = try SessionCipher(store: store, address: address).encrypt(
                padded(try plaintext().serializedBytes(), using: &random))
        } catch {
            throw .encryption(String(describing: error))
        }
        return BinaryNode(
            tag: "message",
            attributes: [
                "from": .jid(JID(user: phone.number, server: JID.userServer)), "type": "text", "category": "peer",
                "id": .string(id), "t": .string(String(Int(now.timeIntervalSince1970))),
                "notify": .string(phone.pushName),
            ],
            children: [BinaryNode(tag: "enc", attributes: ["v": "2", "type": "pkmsg"], bytes: ciphertext.serialized)])
    }

    static func plaintext() -> WAWebProtobufsE2E_Message {
        var message = WAWebProtobufsE2E_Message()
        message.protocolMessage.type = .initialSecurityNotificationSettingSync
        return message
    }

    /// docs/protocol/upper.md §3.3 (whatsmeow's rule): n ∈ 1…15 bytes of value n.
    static func padded(_ bytes: [UInt8], using random: inout some RandomNumberGenerator) -> [UInt8] {
        var count = UInt8.random(in: .min ... .max, using: &random) & 0x0F
        if count == 0 { count = 15 }
        return bytes + Array(repeating: count, count: Int(count))
    }

    /// Peer message ids: 20 upper-case hex characters after `3A` (a phone's shape).
    static func makeID(using random: inout some RandomNumberGenerator) -> String {
        "3A" + (0..<9).map { _ in String(format: "%02X", UInt8.random(in: .min ... .max, using: &random)) }.joined()
    }
}
