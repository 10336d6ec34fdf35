/// Reassembles WhatsApp frames from WebSocket messages (docs/protocol/lower.md §1.2–1.3).
///
/// ```
/// server side, once:  [45 44 00 01 | len:3 | routingInfo]  57 41 06 03
/// then, both sides:   len:3 BE | payload(len) | len:3 BE | payload(len) | ...
/// ```
/// A WebSocket message may carry several frames, part of one, or part of a length header; feed each with
/// ``append(_:)`` and drain with ``nextFrame()`` until it returns nil. A length above the maximum is
/// rejected as soon as its 3 bytes are seen, before any of the payload is waited for. Errors are final:
/// after one, every call throws it again and the connection must close.
public struct WAFrameDecoder: Sendable {
    /// Which end of the connection reads.
    public enum Role: Sendable, Equatable {
        /// The client reads plain frames from the server.
        case client
        /// The server first reads the connection intro, then plain frames.
        case server
    }

    private enum State: Sendable {
        /// Server side, before the intro.
        case awaitingIntro
        /// Reading length-prefixed frames.
        case framing
        /// A fatal error was seen.
        case failed(WAFrameError)
    }

    private var state: State
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// The largest frame payload accepted.
    public let maximumFrameLength: Int
    /// The largest `ED` routing info accepted (server side).
    public let maximumRoutingInfoLength: Int
    /// The routing info from the client's `ED` block, if it sent one (server side).
    public private(set) var routingInfo: [UInt8]?

    public init(role: Role, maximumFrameLength: Int = WAFrameEncoder.maximumFrameLength, maximumRoutingInfoLength: Int = 4096) {
        state = role == .server ? .awaitingIntro : .framing
        self.maximumFrameLength = min(maximumFrameLength, WAFrameEncoder.maximumFrameLength)
        self.maximumRoutingInfoLength = maximumRoutingInfoLength
    }

    /// Bytes received but not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Adds the bytes of one received WebSocket message.
    public mutating func append(_ bytes: [UInt8]) {
        if case .failed = state { return }
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer += bytes
    }

    /// The next complete frame payload, or nil if more bytes are needed.
    public mutating func nextFrame() throws(WAFrameError) -> [UInt8]? {
        switch state {
        case .failed(let error):
            throw error
        case .awaitingIntro:
            do throws(WAFrameError) {
                guard try readIntro() else { return nil }
            } catch {
                state = .failed(error)
                throw error
            }
            state = .framing
            return try nextFrame()
        case .framing:
            guard bufferedByteCount >= 3 else { return nil }
            let length = Int(buffer[readIndex]) << 16 | Int(buffer[readIndex + 1]) << 8 | Int(buffer[readIndex + 2])
            guard length <= maximumFrameLength else {
                let error = WAFrameError.frameTooLarge(length: length, maximum: maximumFrameLength)
                state = .failed(error)
                buffer = []
                readIndex = 0
                throw error
            }
            guard bufferedByteCount - 3 >= length else { return nil }
            let start = readIndex + 3
            readIndex = start + length
            return Array(buffer[start..<readIndex])
        }
    }

    /// Consumes the intro if it is complete; false if more bytes are needed.
    private mutating func readIntro() throws(WAFrameError) -> Bool {
        let available = bufferedByteCount
        let magic = WAConnectionHeader.edgeRoutingMagic
        let header = WAConnectionHeader.bytes
        // Reject as early as the bytes allow: the prefix must match one of the two intros.
        let seen = Array(buffer[readIndex..<(readIndex + min(available, 4))])
        let couldBeEdge = seen.elementsEqual(magic.prefix(seen.count))
        let couldBeHeader = seen.elementsEqual(header.prefix(seen.count))
        guard couldBeEdge || couldBeHeader else { throw .badConnectionHeader }
        guard available >= 4 else { return false }
        if couldBeHeader {
            readIndex += 4
            return true
        }
        guard available >= 7 else { return false }
        let length = Int(buffer[readIndex + 4]) << 16 | Int(buffer[readIndex + 5]) << 8 | Int(buffer[readIndex + 6])
        guard length <= maximumRoutingInfoLength else {
            throw .routingInfoTooLarge(length: length, maximum: maximumRoutingInfoLength)
        }
        guard available >= 7 + length + 4 else { return false }
        let infoStart = readIndex + 7
        let headerStart = infoStart + length
        guard buffer[headerStart..<(headerStart + 4)].elementsEqual(header) else { throw .badConnectionHeader }
        routingInfo = Array(buffer[infoStart..<headerStart])
        readIndex = headerStart + 4
        return true
    }
}
