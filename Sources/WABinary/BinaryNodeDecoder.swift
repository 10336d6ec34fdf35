/// Reads binary nodes from hostile bytes (docs/protocol/lower.md §4.3–§4.5).
///
/// Every read is bounds-checked; every length or count is checked against the bytes left and the
/// `BinaryNodeDecodingLimits` before anything is allocated, so a 4-byte length claim costs nothing.
public struct BinaryNodeDecoder: Sendable {
    let input: [UInt8]
    var index: Int
    let limits: BinaryNodeDecodingLimits
    /// Nodes read so far, checked against `limits.maxNodeCount`.
    var nodeCount = 0

    /// - Parameters:
    ///   - input: the bytes; decoding starts at `startIndex` (a frame skips its flag byte without a copy).
    public init(_ input: [UInt8], startIndex: Int = 0, limits: BinaryNodeDecodingLimits = .default) {
        self.input = input
        self.index = min(max(startIndex, 0), input.count)
        self.limits = limits
    }

    /// Decodes exactly one node (no frame flag byte) starting at `startIndex`; trailing bytes are an error.
    public static func decode(
        _ input: [UInt8], startIndex: Int = 0, limits: BinaryNodeDecodingLimits = .default
    ) throws(BinaryNodeDecodingError) -> BinaryNode {
        var decoder = BinaryNodeDecoder(input, startIndex: startIndex, limits: limits)
        let node = try decoder.readNode()
        guard decoder.remaining == 0 else { throw .trailingBytes(count: decoder.remaining) }
        return node
    }

    /// Bytes not yet read.
    public var remaining: Int { input.count - index }

    /// Reads one node: list header, tag, `(size − 1) / 2` attributes, content iff the size is even.
    public mutating func readNode() throws(BinaryNodeDecodingError) -> BinaryNode {
        try readNode(depth: 1)
    }

    /// A decoded value before it is placed (docs/protocol/lower.md §4.3 "When decoding content").
    enum Value {
        /// LIST_EMPTY.
        case absent
        /// A token, a packed string, or (outside content) raw UTF-8.
        case string(String)
        /// Raw bytes (content only).
        case bytes([UInt8])
        case jid(JID)
        case nodes([BinaryNode])
    }

    private mutating func readNode(depth: Int) throws(BinaryNodeDecodingError) -> BinaryNode {
        guard depth <= limits.maxDepth else { throw .depthLimitExceeded(limit: limits.maxDepth) }
        nodeCount += 1
        guard nodeCount <= limits.maxNodeCount else { throw .nodeCountLimitExceeded(limit: limits.maxNodeCount) }
        let header = try readByte()
        guard let size = try readListSize(tag: header), size > 0 else { throw .invalidNodeHeader(tag: header) }
        // Every entry of the list takes at least one byte.
        try require(size)
        guard case .string(let tag) = try readValue(depth: depth, context: .string), !tag.isEmpty else {
            throw .invalidNodeTag
        }
        let attributes = try readAttributes(count: (size - 1) >> 1, depth: depth)
        var content = BinaryNode.Content.none
        if size % 2 == 0 {
            switch try readValue(depth: depth, context: .content) {
            // LIST_EMPTY as content is an empty child list (Baileys reads it so; encoders write `.nodes([])`
            // this way), which keeps decode → encode → decode a fixed point.
            case .absent: content = .nodes([])
            case .string(let string): content = .string(string)
            case .bytes(let bytes): content = .bytes(bytes)
            case .jid(let jid): content = .jid(jid)
            case .nodes(let children): content = .nodes(children)
            }
        }
        return BinaryNode(tag: tag, attributes: attributes, content: content)
    }

    /// Up to `scannedAttributes` keys are checked for repeats by a scan; past that a hashed index keeps
    /// duplicate-key handling linear (a hostile node may claim 32,767 attributes).
    static let scannedAttributes = 16

    /// Reads `count` key/value pairs; a repeated key keeps its first position and its last value.
    private mutating func readAttributes(
        count: Int, depth: Int
    ) throws(BinaryNodeDecodingError) -> BinaryNode.Attributes {
        guard count > 0 else { return BinaryNode.Attributes() }
        var elements: [BinaryNode.Attributes.Element] = []
        // `readNode` checked that the input holds at least `2·count` more bytes, so this is bounded by it.
        elements.reserveCapacity(count)
        var positions: [String: Int]?
        for _ in 0..<count {
            guard case .string(let key) = try readValue(depth: depth, context: .string) else {
                throw .invalidAttributeKey
            }
            let value: BinaryNode.AttributeValue
            switch try readValue(depth: depth, context: .attributeValue) {
            case .string(let string): value = .string(string)
            case .jid(let jid): value = .jid(jid)
            case .absent: value = .string("")
            // readValue(context: .attributeValue) turns raw bytes into strings and rejects lists.
            case .bytes, .nodes: throw .unexpectedTag(BinaryTokens.Tag.list8)
            }
            let existing: Int?
            if positions == nil, elements.count >= Self.scannedAttributes {
                var index: [String: Int] = [:]
                for (position, element) in elements.enumerated() { index[element.key] = position }
                positions = index
            }
            if let index = positions {
                existing = index[key]
                if existing == nil { positions?[key] = elements.count }
            } else {
                existing = elements.firstIndex { $0.key == key }
            }
            if let existing {
                elements[existing].value = value
            } else {
                elements.append(BinaryNode.Attributes.Element(key: key, value: value))
            }
        }
        return BinaryNode.Attributes(uniqueElements: elements)
    }

    /// Where a value is read, which decides what it may be.
    enum Context {
        /// A tag, key, JID part: tokens, packed or strict UTF-8 raw strings only.
        case string
        /// Strings (raw ones decoded leniently) or JIDs.
        case attributeValue
        /// Anything; raw bytes stay bytes.
        case content
    }

    mutating func readValue(depth: Int, context: Context) throws(BinaryNodeDecodingError) -> Value {
        let tag = try readByte()
        switch tag {
        case BinaryTokens.Tag.listEmpty:
            return .absent
        case BinaryTokens.Tag.list8, BinaryTokens.Tag.list16:
            guard context == .content, let count = try readListSize(tag: tag) else { throw .unexpectedTag(tag) }
            guard count <= limits.maxListSize else { throw .listTooLarge(count: count, limit: limits.maxListSize) }
            // The smallest child node is three bytes (LIST_8, size, tag token).
            try require(count * 3)
            var children: [BinaryNode] = []
            children.reserveCapacity(count)
            for _ in 0..<count { children.append(try readNode(depth: depth + 1)) }
            return .nodes(children)
        case BinaryTokens.Tag.binary8, BinaryTokens.Tag.binary20, BinaryTokens.Tag.binary32:
            let length = try readByteLength(tag: tag)
            let raw = try readBytes(length)
            switch context {
            case .content: return .bytes(Array(raw))
            // whatsmeow keeps any bytes as an attribute value (issue 11): invalid UTF-8 becomes U+FFFD
            // rather than failing the whole node (a push name cut inside a character, say).
            case .attributeValue: return .string(String(decoding: raw, as: UTF8.self))
            case .string: return .string(try utf8String(raw))
            }
        case BinaryTokens.Tag.nibble8, BinaryTokens.Tag.hex8:
            return .string(try readPacked(as: tag == BinaryTokens.Tag.nibble8 ? .nibble : .hex))
        case BinaryTokens.Tag.jidPair, BinaryTokens.Tag.adJID, BinaryTokens.Tag.fbJID, BinaryTokens.Tag.interopJID:
            guard context != .string else { throw .unexpectedTag(tag) }
            return .jid(try readJID(tag: tag, depth: depth))
        case BinaryTokens.Tag.dictionary0...BinaryTokens.Tag.dictionary3:
            let position = try readByte()
            guard
                let token = BinaryTokens.doubleByteToken(
                    dictionary: Int(tag - BinaryTokens.Tag.dictionary0), index: position)
            else { throw .unexpectedTag(tag) }
            return .string(token)
        default:
            guard let token = BinaryTokens.singleByteToken(tag) else { throw .unexpectedTag(tag) }
            return .string(token)
        }
    }

    /// A string where the wire allows LIST_EMPTY for "empty" (JID users).
    mutating func readString(depth: Int) throws(BinaryNodeDecodingError) -> String {
        switch try readValue(depth: depth, context: .string) {
        case .string(let string): return string
        case .absent: return ""
        case .bytes, .jid, .nodes: throw .invalidJID
        }
    }

    /// docs/protocol/lower.md §4.5: JID_PAIR, AD_JID, FB_JID, INTEROP_JID.
    private mutating func readJID(tag: UInt8, depth: Int) throws(BinaryNodeDecodingError) -> JID {
        switch tag {
        case BinaryTokens.Tag.jidPair:
            let user = try readString(depth: depth)
            let server = try readString(depth: depth)
            return JID(user: user, server: server)
        case BinaryTokens.Tag.adJID:
            let domain = try readByte()
            let device = try readByte()
            let user = try readString(depth: depth)
            return JID(user: user, domain: domain, device: device)
        case BinaryTokens.Tag.fbJID:
            let user = try readString(depth: depth)
            let device = try readUInt16()
            let server = try readString(depth: depth)
            guard server == JID.messengerServer else { throw .invalidJID }
            return JID(user: user, device: device, server: server)
        default:
            let user = try readString(depth: depth)
            let device = try readUInt16()
            let integrator = try readUInt16()
            let server = try readString(depth: depth)
            guard server == JID.interopServer else { throw .invalidJID }
            return JID(user: user, device: device, integrator: integrator, server: server)
        }
    }
}
