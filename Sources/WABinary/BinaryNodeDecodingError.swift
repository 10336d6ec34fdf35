/// Why bytes are not a valid binary node or frame (docs/protocol/lower.md §4). Every decoder failure is one
/// of these; the decoder never traps on input.
public enum BinaryNodeDecodingError: Error, Equatable, Sendable {
    /// The input ended: `needed` more bytes were required, `available` were left.
    case truncated(needed: Int, available: Int)
    /// A frame without even its flag byte.
    case emptyFrame
    /// A node did not start with a list header (LIST_8/LIST_16), or its list size was 0.
    case invalidNodeHeader(tag: UInt8)
    /// A node's tag is empty or not a string (a JID, bytes or a list).
    case invalidNodeTag
    /// An attribute key is not a string.
    case invalidAttributeKey
    /// A string was expected but this tag byte came (a list, or an unassigned tag 240–244).
    case unexpectedTag(UInt8)
    /// A NIBBLE_8 nibble outside 0–11 (15 is allowed only as the filler).
    case invalidNibble(UInt8)
    /// A packed length byte that claims an odd length of zero characters (`0x80`).
    case invalidPackedLength
    /// Raw string bytes that are not UTF-8.
    case invalidUTF8
    /// A JID part has the wrong form: FB_JID not at `msgr`, INTEROP_JID not at `interop`, or a user that is
    /// itself a JID.
    case invalidJID
    /// Nodes nested deeper than the limit.
    case depthLimitExceeded(limit: Int)
    /// A list claims more entries than the limit allows.
    case listTooLarge(count: Int, limit: Int)
    /// A byte string claims more bytes than the limit allows.
    case bytesTooLong(length: Int, limit: Int)
    /// Bytes left over after the node (whatsmeow `Unmarshal` rejects these too).
    case trailingBytes(count: Int)
    /// The zlib stream of a compressed frame is corrupt or incomplete.
    case inflateFailed
    /// A compressed frame inflates beyond the limit.
    case inflatedSizeLimitExceeded(limit: Int)
    /// More nodes in one frame than the limit allows (each costs far more memory than its 3 wire bytes).
    case nodeCountLimitExceeded(limit: Int)
}

/// Caps applied while decoding hostile input. Every length or count is also checked against the bytes
/// actually left before anything is allocated.
public struct BinaryNodeDecodingLimits: Equatable, Sendable {
    /// Deepest nesting of nodes (the top node is depth 1).
    public var maxDepth: Int
    /// Most entries in one list (LIST_16 allows 65,535).
    public var maxListSize: Int
    /// Longest byte string (BINARY_32 allows 4 GiB).
    public var maxByteLength: Int
    /// Largest inflated size of a compressed frame.
    public var maxInflatedSize: Int
    /// Most nodes in one frame, all levels together. Without it a 16 KB zlib frame inflating to 16 MiB of
    /// minimal 3-byte nodes decodes into about 5 million nodes (hundreds of MB).
    public var maxNodeCount: Int

    public init(maxDepth: Int = 64, maxListSize: Int = 65_535, maxByteLength: Int = 16 << 20,
                maxInflatedSize: Int = 16 << 20, maxNodeCount: Int = 250_000) {
        self.maxDepth = maxDepth
        self.maxListSize = maxListSize
        self.maxByteLength = maxByteLength
        self.maxInflatedSize = maxInflatedSize
        self.maxNodeCount = maxNodeCount
    }

    /// The defaults: depth 64, lists up to 65,535, byte strings and inflated frames up to 16 MiB (the largest
    /// WebSocket frame whatsmeow reads, docs/protocol/lower.md §1.1), 250,000 nodes per frame (far above any real stanza).
    public static let `default` = BinaryNodeDecodingLimits()
}
