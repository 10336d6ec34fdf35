import Testing
@testable import WABinary

/// The log rendering never prints byte content unless the tag is whitelisted (style: never log secrets).
@Suite struct BinaryNodeDebugTests {
    static let node = BinaryNode(
        tag: "message", attributes: ["id": "ABC", "to": .jid(JID(user: "1", device: 2, server: JID.userServer))],
        children: [
            BinaryNode(tag: "enc", attributes: ["v": "2", "type": "msg"], bytes: [0xDE, 0xAD, 0xBE, 0xEF]),
            BinaryNode(tag: "count", bytes: [0x05]),
            BinaryNode(tag: "note", content: .string("a<b & \"c\"")),
            BinaryNode(tag: "ping"),
        ])

    @Test func bytesContentIsShownAsItsLengthOnly() {
        let text = Self.node.debugXML()
        #expect(text == #"<message id="ABC" to="1:2@s.whatsapp.net"><enc v="2" type="msg">[4 bytes]</enc>"#
            + #"<count>[1 bytes]</count><note>a&lt;b &amp; &quot;c&quot;</note><ping/></message>"#)
        #expect(!text.lowercased().contains("dead"))
        #expect(Self.node.description == text)
    }

    @Test func whitelistedTagsShowTheirBytesAsHex() {
        let text = Self.node.debugXML(revealingBytesOf: ["count"])
        #expect(text.contains("<count>05</count>"))
        #expect(text.contains("[4 bytes]"))
    }

    @Test func indentedRenderingPutsChildrenOnTheirOwnLines() {
        let text = Self.node.debugXML(indent: 2)
        #expect(text.split(separator: "\n").count == 6)
        #expect(text.contains("\n  <ping/>\n</message>"))
    }
}
