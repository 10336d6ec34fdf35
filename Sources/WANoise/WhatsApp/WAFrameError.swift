/// Errors of the WhatsApp frame codec (docs/protocol/lower.md §1.2–1.3).
public enum WAFrameError: Error, Equatable, Sendable {
    /// A frame's 3-byte length is above the decoder's maximum; nothing of it was buffered.
    case frameTooLarge(length: Int, maximum: Int)
    /// The server side received a connection intro that is not `57 41 06 03` (optionally after an `ED` block).
    case badConnectionHeader
    /// The `ED` routing-info block announces more bytes than the decoder's maximum.
    case routingInfoTooLarge(length: Int, maximum: Int)
}
