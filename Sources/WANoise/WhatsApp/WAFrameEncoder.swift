/// Writes WhatsApp frames: a 3-byte big-endian length, then the payload (docs/protocol/lower.md §1.3).
///
/// The client-side encoder puts the connection intro (``WAConnectionHeader``) in front of its first frame,
/// in the same WebSocket message; the server-side encoder never does.
public struct WAFrameEncoder: Sendable {
    /// Which end of the connection writes.
    public enum Role: Sendable, Equatable {
        /// The client: the first frame carries the intro, with the `ED` block if routing info is stored.
        case client(routingInfo: [UInt8]?)
        /// The server: plain frames.
        case server
    }

    /// The protocol's ceiling: the largest value of a 3-byte length.
    public static let maximumFrameLength = (1 << 24) - 1

    /// The intro still to send, or why it cannot be built (routing info too long); the error is reported by
    /// every ``encode(_:)``.
    private var pendingIntro: Result<[UInt8], WAFrameError>?
    /// The largest payload this encoder accepts (at most ``maximumFrameLength``).
    public let maximumFrameLength: Int

    public init(role: Role, maximumFrameLength: Int = WAFrameEncoder.maximumFrameLength) {
        switch role {
        case .client(let routingInfo):
            pendingIntro = Result { () throws(WAFrameError) in try WAConnectionHeader.intro(routingInfo: routingInfo) }
        case .server: pendingIntro = nil
        }
        self.maximumFrameLength = min(maximumFrameLength, Self.maximumFrameLength)
    }

    /// True until the first frame (with the intro) has been encoded on the client side.
    public var introPending: Bool { pendingIntro != nil }

    /// One WebSocket message: [intro] ‖ length(3, BE) ‖ payload.
    /// - Throws: ``WAFrameError/frameTooLarge(length:maximum:)``, or
    ///   ``WAFrameError/routingInfoTooLarge(length:maximum:)`` when the client's routing info cannot be sent.
    public mutating func encode(_ payload: [UInt8]) throws(WAFrameError) -> [UInt8] {
        if case .failure(let error) = pendingIntro { throw error }
        guard payload.count <= maximumFrameLength else {
            throw .frameTooLarge(length: payload.count, maximum: maximumFrameLength)
        }
        var out: [UInt8] = []
        if case .success(let intro) = pendingIntro { out = intro }
        pendingIntro = nil
        out.reserveCapacity(out.count + 3 + payload.count)
        let length = payload.count
        out.append(UInt8(truncatingIfNeeded: length >> 16))
        out.append(UInt8(truncatingIfNeeded: length >> 8))
        out.append(UInt8(truncatingIfNeeded: length))
        out += payload
        return out
    }
}
