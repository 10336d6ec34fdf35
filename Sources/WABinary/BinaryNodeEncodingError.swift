/// Why a node cannot be written (docs/protocol/lower.md §4).
public enum BinaryNodeEncodingError: Error, Equatable, Sendable {
    /// A node's tag is empty (decoders reject it).
    case emptyTag
    /// A list (attributes + content, or children) has more entries than LIST_16 can hold.
    case listTooLarge(count: Int)
    /// An AD_JID carries the device in one byte; this JID's device does not fit.
    case deviceOutOfRange(UInt16)
    /// Bytes longer than BINARY_32 can carry.
    case bytesTooLong(count: Int)
    /// Children nested deeper than the decoder's limit would accept.
    case depthLimitExceeded(limit: Int)
}
