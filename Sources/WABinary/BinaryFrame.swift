/// The decrypted transport payload: one flag byte, then a node (docs/protocol/lower.md §4.1).
///
/// ```
/// +-------+------------------------------------------+
/// | flags | node bytes (zlib/RFC 1950 if flags & 0x02) |
/// +-------+------------------------------------------+
/// ```
/// Outgoing frames use flag `0x00` and are never compressed (whatsmeow and Baileys); `encodeCompressed`
/// exists for the simulator and tests, which must produce what the server may send.
public enum BinaryFrame {
    /// The flag bit marking a zlib-compressed node.
    public static let compressedFlag: UInt8 = 0x02

    /// `00` ‖ node.
    public static func encode(_ node: BinaryNode) throws(BinaryNodeEncodingError) -> [UInt8] {
        var encoder = BinaryNodeEncoder(prefix: [0])
        try encoder.writeNode(node)
        return encoder.bytes
    }

    /// `02` ‖ zlib(node), as a server may send it.
    public static func encodeCompressed(_ node: BinaryNode) throws(BinaryNodeEncodingError) -> [UInt8] {
        [compressedFlag] + Zlib.deflate(try BinaryNodeEncoder.encode(node))
    }

    /// Decodes a frame: reads the flag byte, inflates within `limits.maxInflatedSize` when flagged, then
    /// decodes exactly one node. Other flag bits, and bytes after the end of a zlib stream, are ignored, as
    /// whatsmeow does.
    public static func decode(
        _ frame: [UInt8], limits: BinaryNodeDecodingLimits = .default
    ) throws(BinaryNodeDecodingError) -> BinaryNode {
        guard let flags = frame.first else { throw .emptyFrame }
        if flags & compressedFlag != 0 {
            let inflated = try Zlib.inflate(frame[1...], limit: limits.maxInflatedSize)
            return try BinaryNodeDecoder.decode(inflated, limits: limits)
        }
        return try BinaryNodeDecoder.decode(frame, startIndex: 1, limits: limits)
    }
}
