import WABinary

/// The shape of one stanza a client sent: tag, attributes, child structure; bytes as their length only, so
/// no key, ciphertext or message body is ever kept. Lets a test compare our engine's stanzas with
/// whatsmeow's ("stanza fidelity").
public struct StanzaShape: Codable, Sendable, Equatable {
    public var tag: String
    public var attributes: [String: String]
    /// `bytes:N`, `text:N`, `jid`, or nil for none / children.
    public var content: String?
    public var children: [StanzaShape]?

    public init(_ node: BinaryNode, depth: Int = 0) {
        tag = node.tag
        var attributes: [String: String] = [:]
        for element in node.attributes {
            attributes[element.key] = element.value.description
        }
        self.attributes = attributes
        switch node.content {
        case .none: content = nil
        case .bytes(let bytes): content = "bytes:\(bytes.count)"
        case .string(let text): content = "text:\(text.utf8.count)"
        case .jid: content = "jid"
        case .nodes(let nodes):
            content = nil
            // Deep enough for every pairing/login stanza; a pre-key upload keeps the first few keys only.
            children = depth < 6 ? nodes.prefix(8).map { StanzaShape($0, depth: depth + 1) } : []
        }
    }
}
