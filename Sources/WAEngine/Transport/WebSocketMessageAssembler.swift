import NIOCore
import NIOWebSocket

/// Turns inbound WebSocket frames into whole messages (RFC 6455 §5.4 fragmentation), enforcing a limit on
/// the size of a message summed over its fragments.
///
/// The frame decoder already caps each frame; without this cap a peer could still grow one message without
/// bound through continuation frames. The check happens before a fragment is buffered.
struct WebSocketMessageAssembler {
    /// What one inbound frame amounts to.
    enum Output: Equatable {
        /// Nothing yet (a non-final fragment, or a pong).
        case none
        /// A complete binary message.
        case binary([UInt8])
        /// A complete text message (WhatsApp speaks binary only; callers ignore it).
        case text
        /// A ping; answer with a pong carrying `payload`.
        case ping(payload: [UInt8])
        /// A close frame with its status code, when it carried one.
        case close(code: Int?)
    }

    let maximumMessageSize: Int
    private var fragments: [UInt8] = []
    private var fragmentedOpcode: WebSocketOpcode?

    init(maximumMessageSize: Int) {
        self.maximumMessageSize = maximumMessageSize
    }

    /// Feeds one frame (its payload unmasked).
    /// - Throws: ``TransportError/messageTooLarge(limit:)`` or ``TransportError/protocolViolation``.
    mutating func receive(
        opcode: WebSocketOpcode, fin: Bool, payload: ByteBuffer
    ) throws(TransportError) -> Output {
        switch opcode {
        case .binary, .text:
            guard fragmentedOpcode == nil else { throw .protocolViolation }
            guard payload.readableBytes <= maximumMessageSize else {
                throw .messageTooLarge(limit: maximumMessageSize)
            }
            if fin { return Self.complete(opcode, Array(payload.readableBytesView)) }
            fragmentedOpcode = opcode
            fragments = Array(payload.readableBytesView)
            return .none
        case .continuation:
            guard let started = fragmentedOpcode else { throw .protocolViolation }
            guard payload.readableBytes <= maximumMessageSize - fragments.count else {
                fragments = []
                fragmentedOpcode = nil
                throw .messageTooLarge(limit: maximumMessageSize)
            }
            fragments.append(contentsOf: payload.readableBytesView)
            guard fin else { return .none }
            let message = fragments
            fragments = []
            fragmentedOpcode = nil
            return Self.complete(started, message)
        case .ping:
            return .ping(payload: Array(payload.readableBytesView))
        case .pong:
            return .none
        case .connectionClose:
            var payload = payload
            return .close(code: payload.readInteger(as: UInt16.self).map(Int.init))
        default:
            throw .protocolViolation
        }
    }

    private static func complete(_ opcode: WebSocketOpcode, _ bytes: [UInt8]) -> Output {
        opcode == .binary ? .binary(bytes) : .text
    }
}
