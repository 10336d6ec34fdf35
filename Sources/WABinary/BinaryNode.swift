/// One WhatsApp binary XML node: a tag, attributes and optional content (docs/protocol/lower.md §4.3).
///
/// ```
/// <iq id="1" type="get" xmlns="w:p" to="s.whatsapp.net"><ping/></iq>
/// BinaryNode(tag: "iq", attributes: ["id": "1", "type": "get", "xmlns": "w:p", "to": .jid(.serverJID)],
///            content: .nodes([BinaryNode(tag: "ping")]))
/// ```
public struct BinaryNode: Equatable, Sendable {
    /// The content of a node (docs/protocol/lower.md §4.3 "Content may be").
    public enum Content: Equatable, Sendable {
        /// No content (odd list size).
        case none
        /// Raw bytes (BINARY_8/20/32): ciphertexts, keys, refs.
        case bytes([UInt8])
        /// A string written as a token or a packed string. Raw strings travel as `.bytes`.
        case string(String)
        /// A JID written as content.
        case jid(JID)
        /// Child nodes.
        case nodes([BinaryNode])
    }

    public var tag: String
    public var attributes: Attributes
    public var content: Content

    public init(tag: String, attributes: Attributes = [:], content: Content = .none) {
        self.tag = tag
        self.attributes = attributes
        self.content = content
    }

    /// A node whose content is child nodes.
    public init(tag: String, attributes: Attributes = [:], children: [BinaryNode]) {
        self.init(tag: tag, attributes: attributes, content: .nodes(children))
    }

    /// A node whose content is bytes.
    public init(tag: String, attributes: Attributes = [:], bytes: [UInt8]) {
        self.init(tag: tag, attributes: attributes, content: .bytes(bytes))
    }

    /// The child nodes, or an empty array when the content is not a list.
    public var children: [BinaryNode] {
        if case .nodes(let nodes) = content { return nodes }
        return []
    }

    /// The first child with the given tag.
    public func child(_ tag: String) -> BinaryNode? {
        children.first { $0.tag == tag }
    }

    /// Every child with the given tag.
    public func children(_ tag: String) -> [BinaryNode] {
        children.filter { $0.tag == tag }
    }

    /// Follows a path of child tags (whatsmeow `GetOptionalChildByTag`).
    public func child(path tags: String...) -> BinaryNode? {
        var node = self
        for tag in tags {
            guard let next = node.child(tag) else { return nil }
            node = next
        }
        return node
    }

    /// The content as bytes: `.bytes` as is, `.string` as its UTF-8.
    public var contentBytes: [UInt8]? {
        switch content {
        case .bytes(let bytes): bytes
        case .string(let string): Array(string.utf8)
        case .none, .jid, .nodes: nil
        }
    }
}
