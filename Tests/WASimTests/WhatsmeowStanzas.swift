import Foundation
import Testing
@testable import WASim

/// Stanza fidelity: the shapes of whatsmeow's pairing and login stanzas, as wa-sim recorded them in
/// tests/suites/60-whatsmeow-sim.sh (neonize 0.5.2; the pre-key list cut to two keys), and the rule that
/// compares them with our engine's.
enum WhatsmeowStanzas {
    /// `registration`: the connection that paired (pair-device ack, pair-device-sign, unified_session);
    /// `login`: the first login after the 515 (pre-key count, upload, count, passive active).
    static let json = #"""
        {"registration": [
          {"attributes": {"id": "pd-1", "to": "s.whatsapp.net", "type": "result"}, "tag": "iq"},
          {"attributes": {"id": "ps-2", "to": "s.whatsapp.net", "type": "result"}, "children": [{"attributes": {}, "children": [{"attributes": {"key-index": "1"}, "content": "bytes:152", "tag": "device-identity"}], "tag": "pair-device-sign"}], "tag": "iq"},
          {"attributes": {}, "children": [{"attributes": {"id": "290079966"}, "tag": "unified_session"}], "tag": "ib"}
        ], "login": [
          {"attributes": {"id": "160.128-1", "to": "s.whatsapp.net", "type": "get", "xmlns": "encrypt"}, "children": [{"attributes": {}, "tag": "count"}], "tag": "iq"},
          {"attributes": {"id": "160.128-2", "to": "s.whatsapp.net", "type": "set", "xmlns": "encrypt"}, "children": [{"attributes": {}, "content": "bytes:4", "tag": "registration"}, {"attributes": {}, "content": "bytes:1", "tag": "type"}, {"attributes": {}, "content": "bytes:32", "tag": "identity"}, {"attributes": {}, "children": [{"attributes": {}, "children": [{"attributes": {}, "content": "bytes:3", "tag": "id"}, {"attributes": {}, "content": "bytes:32", "tag": "value"}], "tag": "key"}, {"attributes": {}, "children": [{"attributes": {}, "content": "bytes:3", "tag": "id"}, {"attributes": {}, "content": "bytes:32", "tag": "value"}], "tag": "key"}], "tag": "list"}, {"attributes": {}, "children": [{"attributes": {}, "content": "bytes:3", "tag": "id"}, {"attributes": {}, "content": "bytes:32", "tag": "value"}, {"attributes": {}, "content": "bytes:64", "tag": "signature"}], "tag": "skey"}], "tag": "iq"},
          {"attributes": {"id": "160.128-3", "to": "s.whatsapp.net", "type": "get", "xmlns": "encrypt"}, "children": [{"attributes": {}, "tag": "count"}], "tag": "iq"},
          {"attributes": {"id": "160.128-4", "to": "s.whatsapp.net", "type": "set", "xmlns": "passive"}, "children": [{"attributes": {}, "tag": "active"}], "tag": "iq"}
        ]}
        """#

    static func load() throws -> (registration: [StanzaShape], login: [StanzaShape]) {
        let decoded = try JSONDecoder().decode([String: [StanzaShape]].self, from: Data(json.utf8))
        return (decoded["registration"] ?? [], decoded["login"] ?? [])
    }

    /// What must match: tags, attribute names (and the values of `type`, `xmlns`, `to`), content kinds and
    /// byte lengths, child structure; a run of identical children (pre-keys) counts once. Ids and times
    /// differ between runs and are left out.
    static func signature(_ shape: StanzaShape) -> String {
        let kept: Set<String> = ["type", "xmlns", "to"]
        let attributes = shape.attributes.keys.sorted().map { kept.contains($0) ? "\($0)=\(shape.attributes[$0] ?? "")" : $0 }
        var children: [String] = []
        for child in shape.children ?? [] {
            let signature = signature(child)
            if children.last != signature { children.append(signature) }
        }
        return shape.tag + "[" + attributes.joined(separator: ",") + "]" + (shape.content.map { " " + $0 } ?? "")
            + (children.isEmpty ? "" : "{" + children.joined(separator: ";") + "}")
    }
}
