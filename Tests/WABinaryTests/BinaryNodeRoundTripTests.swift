import Testing
@testable import WABinary

/// Encode → decode round trips over realistic stanzas (docs/protocol/lower.md §4, docs/protocol/upper.md §4–§5).
@Suite struct BinaryNodeRoundTripTests {
    static let me = JID(user: "15551234567", device: 2, server: JID.userServer)
    static let peer = JID(user: "4915112345678", server: JID.userServer)
    static let group = JID(user: "120363025246125486", server: JID.groupServer)
    static let lid = JID(user: "123456789012345", device: 7, server: JID.hiddenUserServer)

    static let corpus: [BinaryNode] = [
        BinaryNode(
            tag: "message",
            attributes: ["id": "3EB0C4A1B2C3D4E5F6", "type": "text", "to": .jid(peer), "t": "1764000000"],
            children: [
                BinaryNode(tag: "participants", children: [
                    BinaryNode(tag: "to", attributes: ["jid": .jid(me)], children: [
                        BinaryNode(tag: "enc", attributes: ["v": "2", "type": "pkmsg"], bytes: Array(0..<200))
                    ])
                ]),
                BinaryNode(tag: "device-identity", bytes: [UInt8](repeating: 0xAB, count: 300)),
            ]),
        BinaryNode(
            tag: "receipt",
            attributes: ["id": "ABCDEF0123", "from": .jid(lid), "participant": .jid(me), "type": "read", "t": "1"]),
        BinaryNode(
            tag: "notification",
            attributes: ["from": .jid(group), "type": "w:gp2", "id": "12345", "participant": .jid(peer)],
            content: .nodes([BinaryNode(tag: "add", children: [BinaryNode(tag: "participant", attributes: ["jid": .jid(peer)])])])),
        BinaryNode(
            tag: "iq", attributes: ["to": .jid(.serverJID), "type": "set", "xmlns": "encrypt", "id": "1.2-3"],
            children: [
                BinaryNode(tag: "registration", bytes: [0, 0, 0x30, 0x39]),
                BinaryNode(tag: "type", bytes: [5]),
                BinaryNode(tag: "list", children: (0..<300).map { BinaryNode(tag: "key", children: [
                    BinaryNode(tag: "id", bytes: [0, 0, UInt8($0 & 0xFF)]),
                    BinaryNode(tag: "value", bytes: [UInt8](repeating: UInt8($0 & 0xFF), count: 32)),
                ]) }),
            ]),
        BinaryNode(tag: "count", content: .string("0")),
        BinaryNode(tag: "hex", content: .string("DEADBEEF0123")),
        BinaryNode(tag: "user", attributes: ["jid": .jid(JID(user: "1234", device: 5, server: JID.messengerServer))]),
        BinaryNode(
            tag: "user",
            attributes: ["jid": .jid(JID(user: "999", device: 3, integrator: 42, server: JID.interopServer))]),
        BinaryNode(tag: "user", attributes: ["jid": .jid(JID(user: "55", device: 1, server: JID.hostedServer))]),
        BinaryNode(tag: "user", attributes: ["jid": .jid(JID(user: "55", server: JID.hostedLIDServer))]),
        BinaryNode(tag: "user", attributes: ["jid": .jid(JID(user: "55", rawAgent: 9, device: 1, server: JID.userServer))]),
        BinaryNode(tag: "ref", content: .jid(peer)),
        BinaryNode(tag: "name", attributes: ["text": "Grüße 👋 <&>", "empty": ""]),
        BinaryNode(tag: "big", bytes: [UInt8](repeating: 1, count: (1 << 20) + 3)),
    ]

    @Test(arguments: corpus.indices) func encodedNodeDecodesToItself(_ index: Int) throws {
        let node = Self.corpus[index]
        let frame = try BinaryFrame.encode(node)
        #expect(frame.first == 0)
        #expect(try BinaryFrame.decode(frame) == node)
    }

    @Test(arguments: corpus.indices) func compressedFrameDecodesToTheSameNode(_ index: Int) throws {
        let node = Self.corpus[index]
        let frame = try BinaryFrame.encodeCompressed(node)
        #expect(frame.first == BinaryFrame.compressedFlag)
        #expect(try BinaryFrame.decode(frame) == node)
    }

    @Test func packedStringsRoundTripAtEveryLengthUpToTheMaximum() throws {
        for length in 1...BinaryTokens.packedMax {
            let digits = String((0..<length).map { Character(String("0123456789-."[String.Index(utf16Offset: $0 % 12, in: "0123456789-.")])) })
            let hex = String((0..<length).map { Character(String("0123456789ABCDEF"[String.Index(utf16Offset: $0 % 16, in: "0123456789ABCDEF")])) })
            for text in [digits, hex] {
                let bytes = try BinaryNodeEncoder.encode(BinaryNode(tag: "x", attributes: ["v": .string(text)]))
                let tag = bytes[bytes.count - (length + 1) / 2 - 2]
                #expect(tag == BinaryTokens.Tag.nibble8 || tag == BinaryTokens.Tag.hex8 || BinaryTokens.encoding(of: text) != nil)
                #expect(try BinaryNodeDecoder.decode(bytes).string("v") == text)
            }
        }
    }

    @Test func stringsOutsideThePackedRulesAreWrittenRaw() throws {
        // 128 digits exceed PACKED_MAX; lowercase hex is not hex-packable.
        for text in [String(repeating: "1", count: 128), "deadbeef", "1a"] {
            let bytes = try BinaryNodeEncoder.encode(BinaryNode(tag: "x", attributes: ["v": .string(text)]))
            #expect(bytes.contains(BinaryTokens.Tag.binary8))
            #expect(try BinaryNodeDecoder.decode(bytes).string("v") == text)
        }
    }

    @Test func attributeOrderDoesNotAffectEquality() {
        let a = BinaryNode(tag: "iq", attributes: ["id": "1", "type": "get"])
        let b = BinaryNode(tag: "iq", attributes: ["type": "get", "id": "1"])
        #expect(a == b)
        #expect(a != BinaryNode(tag: "iq", attributes: ["id": "1", "type": "set"]))
    }

    @Test func attributeAccessorsReadTypedValues() throws {
        let node = BinaryNode(
            tag: "success",
            attributes: ["t": "1764000000", "lid": .jid(Self.lid), "to": "15551234567:2@s.whatsapp.net", "active": "true"])
        #expect(node.int("t") == 1_764_000_000)
        #expect(node.uint64("t") == 1_764_000_000)
        #expect(node.jid("lid") == Self.lid)
        #expect(node.jid("to") == Self.me)
        #expect(node.string("lid") == "123456789012345:7@lid")
        #expect(node.bool("active") == true)
        #expect(node.int("missing") == nil)
        var copy = node
        copy.attributes["t"] = nil
        #expect(copy.attributes.count == 3)
    }

    @Test func childAccessorsFindNodesByTag() {
        let node = Self.corpus[0]
        #expect(node.child("participants")?.child("to")?.jid("jid") == Self.me)
        #expect(node.child(path: "participants", "to", "enc")?.string("type") == "pkmsg")
        #expect(node.children("device-identity").count == 1)
        #expect(node.child("missing") == nil)
    }
}
