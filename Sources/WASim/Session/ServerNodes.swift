import Foundation
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

    /// `<iq from="s.whatsapp.net" id=… type="result"/>`, with `children` when given.
    static func result(to iq: BinaryNode, children: [BinaryNode]? = nil) -> BinaryNode {
        let attributes: BinaryNode.Attributes = ["from": server, "id": .string(iq.string("id") ?? ""), "type": "result"]
        guard let children else { return BinaryNode(tag: "iq", attributes: attributes) }
        return BinaryNode(tag: "iq", attributes: attributes, children: children)
    }

    /// `pair-success` (docs/protocol/lower.md §5.5): the signed device identity, the device's JID and LID, the phone's platform and
    /// business name, the pairing props.
    static func pairSuccess(
        id: String, time: Date, deviceIdentity: [UInt8], jid: JID, lid: JID, platform: String, businessName: String?,
        clientProps: [UInt8]
    ) -> BinaryNode {
        var children = [
            BinaryNode(tag: "device-identity", bytes: deviceIdentity),
            BinaryNode(tag: "device", attributes: ["jid": .jid(jid), "lid": .jid(lid)]),
            BinaryNode(tag: "platform", attributes: ["name": .string(platform)]),
        ]
        if let businessName { children.append(BinaryNode(tag: "biz", attributes: ["name": .string(businessName)])) }
        children.append(BinaryNode(tag: "client-props", bytes: clientProps))
        return BinaryNode(
            tag: "iq",
            attributes: [
                "from": server, "type": "set", "id": .string(id), "xmlns": "md",
                "t": .string(String(Int(time.timeIntervalSince1970))),
            ],
            children: [BinaryNode(tag: "pair-success", children: children)])
    }

    /// `<success t=… lid=… creation=… location=… props=… abprops=…/>` (docs/protocol/lower.md §6.1: clients read `t` and `lid`).
    static func success(time: Date, lid: JID, creation: Date) -> BinaryNode {
        BinaryNode(
            tag: "success",
            attributes: [
                "t": .string(String(Int(time.timeIntervalSince1970))), "lid": .jid(lid),
                "creation": .string(String(Int(creation.timeIntervalSince1970))), "location": "sim", "props": "1",
                "abprops": "1",
            ])
    }

    /// `<failure reason=… location=… [code=…] [expire=…]/>` (docs/protocol/lower.md §6.4; 402 carries the ban code and its duration).
    static func failure(reason: Int, location: String, code: Int?, expire: Int?) -> BinaryNode {
        var attributes: BinaryNode.Attributes = ["reason": .string(String(reason)), "location": .string(location)]
        if let code { attributes["code"] = .string(String(code)) }
        if let expire { attributes["expire"] = .string(String(expire)) }
        return BinaryNode(tag: "failure", attributes: attributes)
    }

    /// `<iq from="s.whatsapp.net" id=… type="error"><error code=… text=…/></iq>`
    static func error(to iq: BinaryNode, code: Int, text: String) -> BinaryNode {
        BinaryNode(
            tag: "iq", attributes: ["from": server, "id": .string(iq.string("id") ?? ""), "type": "error"],
            children: [BinaryNode(tag: "error", attributes: ["code": .string(String(code)), "text": .string(text)])])
    }
}
