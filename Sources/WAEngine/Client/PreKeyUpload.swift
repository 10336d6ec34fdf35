import SignalProtocol
import WABinary

/// The pre-key upload IQ (docs/protocol/lower.md §6.1; docs/protocol/upper.md §1.5):
/// `<iq xmlns="encrypt" type="set" to="s.whatsapp.net"><registration/><type/><identity/><list><key>…</key>…</list>
/// <skey><id/><value/><signature/></skey></iq>`.
public enum PreKeyUpload {
    public static func node(id: String, keys: DeviceKeys, preKeys: [PreKeyRecord]) -> BinaryNode {
        BinaryNode(
            tag: "iq", attributes: ["xmlns": "encrypt", "type": "set", "to": .jid(JID.serverJID), "id": .string(id)],
            children: [
                BinaryNode(tag: "registration", bytes: bigEndian(keys.registrationID, bytes: 4)),
                BinaryNode(tag: "type", bytes: [Curve25519PublicKey.djbType]),
                BinaryNode(tag: "identity", bytes: keys.identity.publicKey.rawRepresentation),
                BinaryNode(
                    tag: "list",
                    children: preKeys.map { record in
                        BinaryNode(
                            tag: "key",
                            children: [
                                BinaryNode(tag: "id", bytes: bigEndian(record.id, bytes: 3)),
                                BinaryNode(tag: "value", bytes: record.keyPair.publicKey.rawRepresentation),
                            ])
                    }),
                BinaryNode(
                    tag: "skey",
                    children: [
                        BinaryNode(tag: "id", bytes: bigEndian(keys.signedPreKey.id, bytes: 3)),
                        BinaryNode(tag: "value", bytes: keys.signedPreKey.keyPair.publicKey.rawRepresentation),
                        BinaryNode(tag: "signature", bytes: keys.signedPreKey.signature),
                    ]),
            ])
    }

    static func bigEndian(_ value: UInt32, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32(bytes - 1 - $0))) }
    }
}
