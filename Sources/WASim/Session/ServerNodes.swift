import WABinary

/// The nodes the simulated server sends, shaped as WhatsApp's (docs/protocol/lower.md §5.2, §6.3, §6.4).
///
/// Server JIDs are typed ``JID`` values (encoded as JID_PAIR): whatsmeow ignores a `from` written as the token
/// string `s.whatsapp.net` (docs/test-oracles.md §2).
enum ServerNodes {
    static let server = BinaryNode.AttributeValue.jid(JID.serverJID)

    /// `<iq from="s.whatsapp.net" type="set" id=… xmlns="md"><pair-device><ref>…</ref>×n</pair-device></iq>`
    static func pairDevice(id: String, refs: [String]) -> BinaryNode {
        BinaryNode(
            tag: "iq", attributes: ["from": server, "type": "set", "id": .string(id), "xmlns": "md"],
            children: [BinaryNode(tag: "pair-device", children: refs.map { BinaryNode(tag: "ref", bytes: Array($0.utf8)) })])
    }

    /// `<failure reason=… location=…/>`
    static func failure(reason: Int, location: String) -> BinaryNode {
        BinaryNode(tag: "failure", attributes: ["reason": .string(String(reason)), "location": .string(location)])
    }

    /// `<stream:error code=…><conflict type=…/></stream:error>`
    static func streamError(code: Int?, conflict: String?) -> BinaryNode {
        var attributes = BinaryNode.Attributes()
        if let code { attributes["code"] = .string(String(code)) }
        if let conflict {
            return BinaryNode(
                tag: "stream:error", attributes: attributes,
                children: [BinaryNode(tag: "conflict", attributes: ["type": .string(conflict)])])
        }
        return BinaryNode(tag: "stream:error", attributes: attributes)
    }

    /// `<xmlstreamend/>`
    static let streamEnd = BinaryNode(tag: "xmlstreamend")

    /// `<iq from="s.whatsapp.net" id=… type="result"/>`
    static func result(to iq: BinaryNode) -> BinaryNode {
        BinaryNode(tag: "iq", attributes: ["from": server, "id": .string(iq.string("id") ?? ""), "type": "result"])
    }

    /// `<iq from="s.whatsapp.net" id=… type="error"><error code=… text=…/></iq>`
    static func error(to iq: BinaryNode, code: Int, text: String) -> BinaryNode {
        BinaryNode(
            tag: "iq", attributes: ["from": server, "id": .string(iq.string("id") ?? ""), "type": "error"],
            children: [BinaryNode(tag: "error", attributes: ["code": .string(String(code)), "text": .string(text)])])
    }
}
