import Foundation
import Testing
@testable import WASim

/// Stanza fidelity: the shapes of whatsmeow's pairing and login stanzas, as wa-sim recorded them in
/// tests/suites/60-whatsmeow-sim.sh (neonize 0.5.2; the pre-key list cut to two keys), and the rule that
/// compares them with our engine's.
enum WhatsmeowStanzas {
    /// `registration`: the connection that paired (pair-device ack, pair-device-sign, unified_session);
    /// `login`: the first login after the 515 (pre-key count, upload, count, passive active);
    /// `code`: linking by phone number (companion_hello, the ack of primary_hello, companion_finish).
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
        ], "code": [
          {"attributes": {"id": "147.0-1", "to": "s.whatsapp.net", "type": "set", "xmlns": "md"}, "children": [{"attributes": {"jid": "15557654321@s.whatsapp.net", "should_show_push_notification": "true", "stage": "companion_hello"}, "children": [{"attributes": {}, "content": "bytes:80", "tag": "link_code_pairing_wrapped_companion_ephemeral_pub"}, {"attributes": {}, "content": "bytes:32", "tag": "companion_server_auth_key_pub"}, {"attributes": {}, "content": "text:1", "tag": "companion_platform_id"}, {"attributes": {}, "content": "bytes:15", "tag": "companion_platform_display"}, {"attributes": {}, "content": "bytes:1", "tag": "link_code_pairing_nonce"}], "tag": "link_code_companion_reg"}], "tag": "iq"},
          {"attributes": {"class": "notification", "id": "lc-4", "to": "s.whatsapp.net", "type": "link_code_companion_reg"}, "tag": "ack"},
          {"attributes": {"id": "147.0-2", "to": "s.whatsapp.net", "type": "set", "xmlns": "md"}, "children": [{"attributes": {"jid": "15557654321@s.whatsapp.net", "stage": "companion_finish"}, "children": [{"attributes": {}, "content": "bytes:156", "tag": "link_code_pairing_wrapped_key_bundle"}, {"attributes": {}, "content": "bytes:32", "tag": "companion_identity_public"}, {"attributes": {}, "content": "bytes:22", "tag": "link_code_pairing_ref"}], "tag": "link_code_companion_reg"}], "tag": "iq"}
        ]}
        """#

    static func load() throws -> (registration: [StanzaShape], login: [StanzaShape], code: [StanzaShape]) {
        let decoded = try JSONDecoder().decode([String: [StanzaShape]].self, from: Data(json.utf8))
        return (decoded["registration"] ?? [], decoded["login"] ?? [], decoded["code"] ?? [])
    }

    /// Text whose length is configuration (the browser and OS shown on the phone) or the server's choice.
    static let variableLength: Set<String> = [
        "companion_platform_display", "companion_platform_id", "link_code_pairing_ref",
        // ADVSignedDeviceIdentity: its varints (key index, timestamp) vary in length between runs.
        "device-identity",
    ]

    /// What must match: tags, attribute names (and the values of `type`, `xmlns`, `to`), byte lengths, child
    /// structure; a run of identical children (pre-keys) counts once. Ids and times differ between runs and are
    /// left out; content written as a string (token or packed) counts as bytes, the wire form being the
    /// encoder's choice; ``variableLength`` fields keep only their presence.
    static func signature(_ shape: StanzaShape) -> String {
        var shape = shape
        if let content = shape.content, content.hasPrefix("text:") { shape.content = "bytes:" + content.dropFirst(5) }
        if variableLength.contains(shape.tag), shape.content != nil { shape.content = "bytes" }
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
