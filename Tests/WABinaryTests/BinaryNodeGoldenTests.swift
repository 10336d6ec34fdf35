import Testing
@testable import WABinary

/// Golden bytes from docs/protocol/lower.md §4.5 and docs/test-oracles.md §2(i).
@Suite struct BinaryNodeGoldenTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let node: BinaryNode
        let frame: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(
            name: "whatsmeow keepalive, typed server JID",
            node: BinaryNode(
                tag: "iq",
                attributes: ["id": "1.2-3", "xmlns": "w:p", "type": "get", "to": .jid(.serverJID)]),
            frame: "00 f8 09 19 08 ff 83 1b 2a 3f 16 57 04 29 11 fa 00 03"),
        Vector(
            name: "presence with a raw string",
            node: BinaryNode(tag: "presence", attributes: ["type": "available", "name": "Bob"]),
            frame: "00 f8 05 1f 04 88 89 fc 03 42 6f 62"),
        Vector(
            name: "AD_JID at s.whatsapp.net",
            node: BinaryNode(
                tag: "device",
                attributes: ["jid": .jid(JID(user: "15551234567", device: 3, server: JID.userServer))]),
            frame: "00 f8 03 3b 0c f7 00 03 ff 86 15 55 12 34 56 7f"),
        Vector(
            name: "AD_JID at lid",
            node: BinaryNode(
                tag: "device",
                attributes: ["lid": .jid(JID(user: "123456789012345", device: 3, server: JID.hiddenUserServer))]),
            frame: "00 f8 03 3b 76 f7 01 03 ff 88 12 34 56 78 90 12 34 5f"),
        Vector(
            name: "Baileys ping with the server as a token string",
            node: BinaryNode(
                tag: "iq", attributes: ["id": "1", "type": "get", "xmlns": "w:p", "to": "s.whatsapp.net"],
                children: [BinaryNode(tag: "ping")]),
            frame: "00f80a190855042916571103f801f80156"),
    ]

    @Test(arguments: vectors) func specVectorEncodesToGoldenBytes(_ vector: Vector) throws {
        #expect(hexString(try BinaryFrame.encode(vector.node)) == hexString(hexBytes(vector.frame)))
    }

    @Test(arguments: vectors) func specVectorDecodesToTheNode(_ vector: Vector) throws {
        #expect(try BinaryFrame.decode(hexBytes(vector.frame)) == vector.node)
    }

    /// docs/protocol/lower.md §4.2: byte 2 is the token `xmlstreamend`; the server's end-of-stream frame is `F8 01 02`.
    @Test func streamEndFrameDecodesAsXmlstreamendNode() throws {
        #expect(try BinaryFrame.decode([0x00, 0xF8, 0x01, 0x02]) == BinaryNode(tag: "xmlstreamend"))
    }

    /// docs/protocol/lower.md §4.6 indices: double-byte tokens are written as `236 + d, index`.
    @Test func doubleByteTokensUseTheirDictionary() throws {
        let node = BinaryNode(tag: "iq", attributes: ["type": "set"], children: [BinaryNode(tag: "pair-device")])
        #expect(try BinaryNodeEncoder.encode(node) == [0xF8, 0x04, 25, 4, 90, 0xF8, 0x01, 0xF8, 0x01, 237, 238])
        #expect(try BinaryNodeEncoder.encode(BinaryNode(tag: "failure")) == [0xF8, 0x01, 238, 60])
    }

    @Test func bytesContentUsesTheShortestLengthForm() throws {
        func header(_ count: Int) throws -> [UInt8] {
            Array(try BinaryNodeEncoder.encode(BinaryNode(tag: "enc", bytes: [UInt8](repeating: 7, count: count)))
                .prefix(8))
        }
        let enc: UInt8 = 29  // single-byte token "enc"
        #expect(try header(255) == [0xF8, 0x02, enc, 0xFC, 0xFF, 7, 7, 7])
        #expect(try header(256) == [0xF8, 0x02, enc, 0xFD, 0x00, 0x01, 0x00, 7])
        #expect(try header(0x12345) == [0xF8, 0x02, enc, 0xFD, 0x01, 0x23, 0x45, 7])
        #expect(try header(1 << 20) == [0xF8, 0x02, enc, 0xFE, 0x00, 0x10, 0x00, 0x00])
    }
}

/// The generated tables (docs/protocol/lower.md §4.6) and the encoder's index agree for every token.
@Suite struct BinaryTokensTests {
    @Test func everySingleByteTokenEncodesToItsIndexAndBack() throws {
        #expect(BinaryTokens.singleByte.count == 236)
        for (index, token) in BinaryTokens.singleByte.enumerated().dropFirst() {
            #expect(BinaryTokens.encoding(of: token) == .singleByte(UInt8(index)), "\(token)")
            #expect(BinaryTokens.singleByteToken(UInt8(index)) == token)
        }
    }

    @Test func everyDoubleByteTokenEncodesToItsDictionaryAndBack() throws {
        for (dictionary, table) in BinaryTokens.doubleByte.enumerated() {
            #expect(table.count == 256)
            for (index, token) in table.enumerated() {
                #expect(BinaryTokens.encoding(of: token) == .doubleByte(dictionary: UInt8(dictionary), index: UInt8(index)))
                let node = try BinaryFrame.decode(try BinaryFrame.encode(BinaryNode(tag: token)))
                #expect(node.tag == token)
            }
        }
    }

    @Test func nonTokensAreNotFound() {
        for text in ["", "md", "ib", "pair-success", "hosted", "interop", "IQ", "iq ", String(repeating: "x", count: 500)] {
            #expect(BinaryTokens.encoding(of: text) == nil, "\(text)")
        }
    }
}
