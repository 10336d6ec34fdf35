/// Why a native-messaging frame could not be read or written.
///
/// Chrome native messaging (developer.chrome.com/docs/extensions/develop/concepts/native-messaging,
/// "Native messaging protocol"): every message is UTF-8 JSON preceded by a 32-bit length in native
/// byte order. See PROTOCOL.md §Framing.
public enum NativeFrameError: Error, Equatable, Sendable {
    /// An inbound length field above the decoder's cap. The body is skipped, never buffered.
    case frameTooLarge(length: UInt32, limit: Int)
    /// An outbound message above Chrome's 1 MiB host→browser limit (`kMaximumNativeMessageSize`).
    case messageTooLarge(length: Int, limit: Int)
    /// End of input inside the 4-byte length header.
    case truncatedHeader(available: Int)
    /// End of input inside a frame body.
    case truncatedBody(expected: Int, available: Int)
}
