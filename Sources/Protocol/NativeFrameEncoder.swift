/// Encodes outbound native-messaging frames (host → browser).
///
/// Chrome closes the port when a host sends a message longer than `kMaximumNativeMessageSize`
/// (1024 * 1024 bytes, extensions/browser/api/messaging/native_message_process_host.cc), so the
/// encoder refuses such bodies instead of writing them; large data must be split at the message level.
/// The length counts UTF-8 bytes, never characters.
public enum NativeFrameEncoder {
    /// Chrome's host → browser limit, in bytes of the JSON body.
    public static let maximumMessageLength = 1024 * 1024

    /// Prefixes `body` with its 4-byte little-endian length.
    ///
    /// - Parameter body: the UTF-8 JSON bytes of one message.
    /// - Returns: header + body, ready to write to stdout.
    /// - Throws: ``NativeFrameError/messageTooLarge(length:limit:)`` above ``maximumMessageLength``.
    public static func encode(_ body: [UInt8]) throws(NativeFrameError) -> [UInt8] {
        guard body.count <= maximumMessageLength else {
            throw .messageTooLarge(length: body.count, limit: maximumMessageLength)
        }
        let length = UInt32(body.count)
        var frame: [UInt8] = []
        frame.reserveCapacity(NativeFrameDecoder.headerLength + body.count)
        frame.append(UInt8(truncatingIfNeeded: length))
        frame.append(UInt8(truncatingIfNeeded: length >> 8))
        frame.append(UInt8(truncatingIfNeeded: length >> 16))
        frame.append(UInt8(truncatingIfNeeded: length >> 24))
        frame.append(contentsOf: body)
        return frame
    }
}
