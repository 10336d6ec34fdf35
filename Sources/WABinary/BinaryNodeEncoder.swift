/// Writes binary nodes (docs/protocol/lower.md §4.3–§4.5), byte-compatible with whatsmeow for typed JIDs and
/// with Baileys for strings.
///
/// ```
/// node   = list-header(1 + 2·attrs + hasContent) tag (key value)* content?
/// string = token | DICTIONARY_d index | NIBBLE_8/HEX_8 packed | JID | BINARY_8/20/32 raw
/// ```
public struct BinaryNodeEncoder: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]
    private let maxDepth: Int

    /// - Parameter maxDepth: refuse to write nodes nested deeper than a decoder would accept.
    /// - Parameters:
    ///   - prefix: bytes to start with (a frame's flag byte).
    public init(
        prefix: [UInt8] = [], reservingCapacity capacity: Int = 256,
        maxDepth: Int = BinaryNodeDecodingLimits.default.maxDepth
    ) {
        bytes = prefix
        bytes.reserveCapacity(capacity)
        self.maxDepth = maxDepth
    }

    /// Encodes one node (without the frame flag byte).
    public static func encode(_ node: BinaryNode) throws(BinaryNodeEncodingError) -> [UInt8] {
        var encoder = BinaryNodeEncoder()
        try encoder.writeNode(node)
        return encoder.bytes
    }

    /// docs/protocol/lower.md §4.3: list header, tag, attributes, then content if present.
    public mutating func writeNode(_ node: BinaryNode) throws(BinaryNodeEncodingError) {
        try writeNode(node, depth: 1)
    }

    private mutating func writeNode(_ node: BinaryNode, depth: Int) throws(BinaryNodeEncodingError) {
        guard depth <= maxDepth else { throw .depthLimitExceeded(limit: maxDepth) }
        guard !node.tag.isEmpty else { throw .emptyTag }
        let hasContent: Bool
        if case .none = node.content { hasContent = false } else { hasContent = true }
        try writeListStart(1 + 2 * node.attributes.count + (hasContent ? 1 : 0))
        writeString(node.tag)
        for attribute in node.attributes {
            writeString(attribute.key)
            switch attribute.value {
            case .string(let value): writeString(value)
            case .jid(let jid): try writeJID(jid)
            }
        }
        switch node.content {
        case .none: break
        case .bytes(let content): try writeBytes(content)
        case .string(let string): writeString(string)
        case .jid(let jid): try writeJID(jid)
        case .nodes(let children):
            try writeListStart(children.count)
            for child in children { try writeNode(child, depth: depth + 1) }
        }
    }

    /// `LIST_EMPTY` for 0, `LIST_8 n` below 256, else `LIST_16 hi lo`.
    mutating func writeListStart(_ count: Int) throws(BinaryNodeEncodingError) {
        switch count {
        case 0: bytes.append(BinaryTokens.Tag.listEmpty)
        case 1..<256:
            bytes.append(BinaryTokens.Tag.list8)
            bytes.append(UInt8(count))
        case 256...0xFFFF:
            bytes.append(BinaryTokens.Tag.list16)
            bytes.append(UInt8(count >> 8))
            bytes.append(UInt8(count & 0xFF))
        default: throw .listTooLarge(count: count)
        }
    }

    /// docs/protocol/lower.md §4.4, in order: single-byte token, double-byte token, nibble-packed, hex-packed, raw UTF-8.
    /// The empty string is written raw (`BINARY_8 0`), as Baileys does.
    mutating func writeString(_ string: String) {
        switch BinaryTokens.encoding(of: string) {
        case .singleByte(let byte)?:
            bytes.append(byte)
        case .doubleByte(let dictionary, let index)?:
            bytes.append(BinaryTokens.Tag.dictionary0 + dictionary)
            bytes.append(index)
        case nil:
            if PackedString.packIfPossible(string, into: &bytes) { return }
            // Strings over 4 GiB cannot occur in practice; `writeByteLength` writes BINARY_32 for them.
            let utf8 = string.utf8
            writeByteLength(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    /// `BINARY_8/20/32` length, then the bytes.
    mutating func writeBytes(_ content: [UInt8]) throws(BinaryNodeEncodingError) {
        guard content.count <= Int(UInt32.max) else { throw .bytesTooLong(count: content.count) }
        writeByteLength(content.count)
        bytes.append(contentsOf: content)
    }

    /// docs/protocol/lower.md §4.3 length encodings: `FC n`, `FD` + 20 bits in 3 bytes, `FE` + 4 bytes big-endian.
    private mutating func writeByteLength(_ length: Int) {
        if length < 1 << 8 {
            bytes.append(BinaryTokens.Tag.binary8)
            bytes.append(UInt8(length))
        } else if length < 1 << 20 {
            bytes.append(contentsOf: [
                BinaryTokens.Tag.binary20, UInt8((length >> 16) & 0x0F), UInt8((length >> 8) & 0xFF),
                UInt8(length & 0xFF),
            ])
        } else {
            bytes.append(contentsOf: [
                BinaryTokens.Tag.binary32, UInt8((length >> 24) & 0xFF), UInt8((length >> 16) & 0xFF),
                UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF),
            ])
        }
    }

    /// docs/protocol/lower.md §4.5 (whatsmeow `writeJID`): AD_JID for devices/agents at `s.whatsapp.net`/`lid` and for hosted
    /// servers; FB_JID at `msgr`; INTEROP_JID at `interop`; JID_PAIR otherwise.
    mutating func writeJID(_ jid: JID) throws(BinaryNodeEncodingError) {
        switch jid.server {
        case JID.userServer where jid.isAD, JID.hiddenUserServer where jid.isAD, JID.hostedServer,
            JID.hostedLIDServer:
            guard jid.device <= UInt16(UInt8.max) else { throw .deviceOutOfRange(jid.device) }
            bytes.append(BinaryTokens.Tag.adJID)
            bytes.append(jid.actualAgent)
            bytes.append(UInt8(jid.device))
            writeString(jid.user)
        case JID.messengerServer:
            bytes.append(BinaryTokens.Tag.fbJID)
            writeString(jid.user)
            writeUInt16(jid.device)
            writeString(jid.server)
        case JID.interopServer:
            bytes.append(BinaryTokens.Tag.interopJID)
            writeString(jid.user)
            writeUInt16(jid.device)
            writeUInt16(jid.integrator)
            writeString(jid.server)
        default:
            bytes.append(BinaryTokens.Tag.jidPair)
            if jid.user.isEmpty {
                bytes.append(BinaryTokens.Tag.listEmpty)
            } else {
                writeString(jid.user)
            }
            writeString(jid.server)
        }
    }

    private mutating func writeUInt16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }
}
