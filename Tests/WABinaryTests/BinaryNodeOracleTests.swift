import Foundation
import Testing
@testable import WABinary

/// Our codec against pyaileys' `wabinary` (docs/test-oracles.md §2): Swift frames compared byte for byte where
/// the encoders must agree and decoded by pyaileys to the same meaning; pyaileys frames decoded here to the
/// same meaning and re-encoded to the same bytes. The Python side is tests/oracles/binary_oracle.py.
@Suite(.enabled(if: OracleSupport.venv != nil, OracleSupport.skipMessage))
struct BinaryNodeOracleTests {
    @Test func framesAgreeWithPyaileysInBothDirections() throws {
        let directory = try OracleSupport.makeWorkDirectory("binary-oracle")
        var entries: [[String: Any]] = []
        for node in Self.corpus {
            entries.append([
                "node": Self.json(node), "hex": hexString(try BinaryFrame.encode(node)),
                "byteExact": Self.baileysWritesTheSameBytes(node),
            ])
        }
        #expect(entries.filter { $0["byteExact"] as? Bool == true }.count >= 12)
        try OracleSupport.writeJSON(entries, to: directory.appendingPathComponent("swift.json"))

        let (status, output) = try OracleSupport.run(script: "binary_oracle.py", directory: directory)
        #expect(status == 0, "\(output)")

        let theirs = try OracleSupport.readJSONArray(directory.appendingPathComponent("python.json"))
        #expect(theirs.count >= 15)
        for entry in theirs {
            let frame = hexBytes(entry["hex"] as? String ?? "")
            let expected = entry["node"] as? [String: Any] ?? [:]
            let node = try BinaryFrame.decode(frame)
            #expect(Self.matches(node, expected), "decoded \(node) vs \(expected)")
            if entry["byteExact"] as? Bool == true {
                #expect(try BinaryFrame.encode(node) == frame, "re-encoding <\(node.tag)> differs from pyaileys")
            }
        }
    }

    // MARK: corpus

    static let me = JID(user: "15551234567", device: 2, server: JID.userServer)
    static let corpus: [BinaryNode] = BinaryNodeRoundTripTests.corpus.filter { $0.tag != "big" } + [
        BinaryNode(tag: "iq", attributes: ["id": "1", "type": "get", "xmlns": "w:p", "to": "s.whatsapp.net"],
                   children: [BinaryNode(tag: "ping")]),
        BinaryNode(tag: "iq", attributes: ["id": "2", "type": "result", "to": .jid(.serverJID)]),
        BinaryNode(tag: "iq", attributes: ["xmlns": "usync", "type": "get", "id": "3"], children: [
            BinaryNode(tag: "usync", attributes: ["sid": "abc", "mode": "query", "last": "true", "index": "0", "context": "message"],
                       children: [
                        BinaryNode(tag: "query", children: [BinaryNode(tag: "devices", attributes: ["version": "2"])]),
                        BinaryNode(tag: "list", children: [BinaryNode(tag: "user", attributes: ["jid": .jid(me.userJID)])]),
                       ]),
        ]),
        BinaryNode(tag: "presence", attributes: ["type": "unavailable", "name": "Jo Ann-Marie"]),
        BinaryNode(tag: "receipt", attributes: ["id": "A", "to": .jid(me), "type": "retry"],
                   children: [BinaryNode(tag: "retry", attributes: ["count": "1", "id": "A", "t": "1764000000", "v": "1"]),
                              BinaryNode(tag: "registration", bytes: [0, 0, 4, 210])]),
        BinaryNode(tag: "stream:error", attributes: ["code": "515"]),
        BinaryNode(tag: "failure", attributes: ["reason": "401", "location": "frc"]),
        BinaryNode(tag: "success", attributes: ["t": "1764000000", "props": "5", "lid": .jid(JID(user: "99887766554433", server: JID.hiddenUserServer))]),
        BinaryNode(tag: "ib", children: [BinaryNode(tag: "edge_routing", children: [
            BinaryNode(tag: "routing_info", bytes: [8, 8, 8, 2])])]),
    ]

    /// Whether a Baileys-style encoder given our JIDs as strings writes the same bytes: JIDs must be pairs
    /// with a user (Baileys writes the bare server as a token) or have a device, at servers Baileys encodes
    /// like whatsmeow (not msgr/interop, and hosted only with a device), and no raw agent.
    static func baileysWritesTheSameBytes(_ node: BinaryNode) -> Bool {
        func ok(_ jid: JID) -> Bool {
            guard jid.rawAgent == 0, jid.server != JID.messengerServer, jid.server != JID.interopServer else { return false }
            if jid.server == JID.hostedServer || jid.server == JID.hostedLIDServer { return jid.device > 0 }
            if jid.device > 0 { return jid.server == JID.userServer || jid.server == JID.hiddenUserServer }
            return true
        }
        for attribute in node.attributes {
            if case .jid(let jid) = attribute.value, !ok(jid) { return false }
        }
        switch node.content {
        case .jid(let jid): return ok(jid)
        case .nodes(let children): return children.allSatisfy(baileysWritesTheSameBytes)
        case .none, .bytes, .string: return true
        }
    }

    // MARK: JSON form shared with binary_oracle.py

    static func json(_ jid: JID) -> [String: Any] {
        let baileys: String
        if jid.user.isEmpty && jid.device == 0 {
            baileys = "@" + jid.server
        } else if jid.server == JID.interopServer {
            baileys = jid.description
        } else {
            baileys = jid.device > 0 ? "\(jid.user):\(jid.device)@\(jid.server)" : "\(jid.user)@\(jid.server)"
        }
        return ["user": jid.user, "agent": Int(jid.rawAgent), "device": Int(jid.device),
                "integrator": Int(jid.integrator), "server": jid.server, "baileys": baileys]
    }

    static func json(_ node: BinaryNode) -> [String: Any] {
        let attributes: [[Any]] = node.attributes.map { attribute in
            switch attribute.value {
            case .string(let string): [attribute.key, ["string": string]]
            case .jid(let jid): [attribute.key, ["jid": json(jid)]]
            }
        }
        let content: Any
        switch node.content {
        case .none: content = NSNull()
        case .bytes(let bytes): content = ["bytes": hexString(bytes)]
        case .string(let string): content = ["string": string]
        case .jid(let jid): content = ["jid": json(jid)]
        case .nodes(let children): content = ["nodes": children.map { json($0) }]
        }
        return ["tag": node.tag, "attrs": attributes, "content": content]
    }

    /// Compares a decoded node with the oracle's JSON node by meaning: strings equal, JIDs equal as JIDs.
    static func matches(_ node: BinaryNode, _ expected: [String: Any]) -> Bool {
        guard node.tag == expected["tag"] as? String else { return false }
        let attributes = expected["attrs"] as? [[Any]] ?? []
        guard attributes.count == node.attributes.count else { return false }
        for pair in attributes {
            guard pair.count == 2, let key = pair[0] as? String, let value = pair[1] as? [String: Any],
                let ours = node.attributes[key], matches(ours, value)
            else { return false }
        }
        switch (node.content, expected["content"]) {
        case (.none, is NSNull), (.none, nil):
            return true
        case (.bytes(let bytes), let value as [String: Any]):
            // A raw string sent as content comes back as bytes (docs/protocol/lower.md §4.3); pyaileys decodes it as bytes too.
            if let string = value["string"] as? String { return Array(string.utf8) == bytes }
            return value["bytes"] as? String == hexString(bytes)
        case (.string(let string), let value as [String: Any]):
            return value["string"] as? String == string
        case (.jid(let jid), let value as [String: Any]):
            return matches(.jid(jid), value)
        case (.nodes(let children), let value as [String: Any]):
            let theirs = value["nodes"] as? [[String: Any]] ?? []
            return theirs.count == children.count && zip(children, theirs).allSatisfy { matches($0, $1) }
        default:
            return false
        }
    }

    static func matches(_ value: BinaryNode.AttributeValue, _ expected: [String: Any]) -> Bool {
        switch value {
        case .string(let string):
            return expected["string"] as? String == string
        case .jid(let jid):
            guard let theirs = expected["jid"] as? [String: Any] else { return false }
            return theirs["user"] as? String == jid.user && theirs["server"] as? String == jid.server
                && theirs["device"] as? Int == Int(jid.device) && theirs["integrator"] as? Int == Int(jid.integrator)
        }
    }
}
