/// The connection intro sent once, glued before the first client frame (docs/protocol/lower.md §1.2).
///
/// ```
/// without routing info:  57 41 06 03                          "WA", magic 6, dictionary version 3
/// with routing info:     45 44 00 01 | len:3 BE | routingInfo | 57 41 06 03
/// ```
/// Only the 4-byte WA header is the Noise prologue; the `ED` block is never hashed.
public enum WAConnectionHeader {
    /// `WA`, `WAMagicValue = 6`, dictionary version 3.
    public static let bytes: [UInt8] = [0x57, 0x41, 0x06, 0x03]
    /// The `ED` block's first four bytes: `"ED"`, `0x00`, `0x01`.
    public static let edgeRoutingMagic: [UInt8] = [0x45, 0x44, 0x00, 0x01]
    /// The largest routing info the 3-byte length of the `ED` block can carry.
    public static let maximumRoutingInfoLength = (1 << 24) - 1

    /// The intro for a new connection: the `ED` block when routing info is stored, then the WA header.
    ///
    /// Routing info comes from the server (`<ib><edge_routing>`), so its length is checked, not trusted.
    /// - Throws: ``WAFrameError/routingInfoTooLarge(length:maximum:)`` when it does not fit the 3-byte length.
    public static func intro(routingInfo: [UInt8]?) throws(WAFrameError) -> [UInt8] {
        guard let routingInfo else { return bytes }
        guard routingInfo.count <= maximumRoutingInfoLength else {
            throw .routingInfoTooLarge(length: routingInfo.count, maximum: maximumRoutingInfoLength)
        }
        let length = routingInfo.count
        return edgeRoutingMagic
            + [UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
            + routingInfo + bytes
    }
}
