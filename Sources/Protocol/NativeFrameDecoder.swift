/// Incremental decoder for inbound native-messaging frames (browser → host).
///
/// Chrome native messaging, "Native messaging protocol": each message is serialized as UTF-8 JSON and
/// preceded by a 32-bit message length in native byte order. Chrome only ships on little-endian
/// desktop targets, so the length is read as explicit little-endian.
///
/// ```
///  0               4                        4 + length
///  +---------------+------------------------+
///  | length UInt32 | UTF-8 JSON (length B)  |
///  | little-endian |                        |
///  +---------------+------------------------+
/// ```
///
/// Reads may stop anywhere: feed whatever arrived with ``append(_:)`` and call ``nextFrame()`` until it
/// returns `nil`. A length above ``maximumFrameLength`` is rejected as soon as its header is complete,
/// before any of its body is buffered: ``nextFrame()`` throws ``NativeFrameError/frameTooLarge(length:limit:)``
/// once, then the decoder skips (drops) the announced body as it arrives and carries on with the next
/// frame, so one hostile frame does not end the session. Call ``finish()`` at end of input.
public struct NativeFrameDecoder: Sendable {
    /// Default inbound cap: 8 MiB (Chrome itself permits up to 64 MiB browser → host).
    public static let defaultMaximumFrameLength = 8 * 1024 * 1024
    /// Size of the length header.
    public static let headerLength = 4

    /// Largest accepted frame body, in bytes.
    public let maximumFrameLength: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Bytes of a rejected frame's body still to drop.
    private var bytesToSkip = 0

    /// Creates a decoder.
    ///
    /// - Parameter maximumFrameLength: the largest body accepted; longer frames are rejected unbuffered.
    public init(maximumFrameLength: Int = NativeFrameDecoder.defaultMaximumFrameLength) {
        self.maximumFrameLength = max(0, maximumFrameLength)
    }

    /// Number of bytes buffered and not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// True while the body of a rejected frame is being dropped.
    public var isSkippingRejectedFrame: Bool { bytesToSkip > 0 }

    /// Adds bytes read from the input. Bytes belonging to a rejected frame are dropped here.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        if bytesToSkip > 0 {
            let dropped = min(bytesToSkip, bytes.count)
            bytesToSkip -= dropped
            buffer.append(contentsOf: bytes.dropFirst(dropped))
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Returns the next complete frame body, or `nil` when more input is needed.
    ///
    /// - Throws: ``NativeFrameError/frameTooLarge(length:limit:)`` when a header announces a body above
    ///   the cap. The decoder stays usable: later calls continue after the rejected frame.
    public mutating func nextFrame() throws(NativeFrameError) -> [UInt8]? {
        skipBufferedRejectedBytes()
        guard bytesToSkip == 0, bufferedByteCount >= Self.headerLength else { return nil }
        let length = Self.readLength(buffer, at: readIndex)
        guard Int(length) <= maximumFrameLength else {
            readIndex += Self.headerLength
            bytesToSkip = Int(length)
            skipBufferedRejectedBytes()
            compact()
            throw .frameTooLarge(length: length, limit: maximumFrameLength)
        }
        let bodyStart = readIndex + Self.headerLength
        guard buffer.count - bodyStart >= Int(length) else { return nil }
        let body = Array(buffer[bodyStart..<(bodyStart + Int(length))])
        readIndex = bodyStart + Int(length)
        compact()
        return body
    }

    /// Reports what end of input left unfinished.
    ///
    /// - Returns: `nil` when input ended exactly on a frame boundary, otherwise the truncation.
    public func finish() -> NativeFrameError? {
        if bytesToSkip > 0 {
            return .truncatedBody(expected: bytesToSkip + bufferedByteCount, available: bufferedByteCount)
        }
        let available = bufferedByteCount
        if available == 0 { return nil }
        if available < Self.headerLength { return .truncatedHeader(available: available) }
        let length = Int(Self.readLength(buffer, at: readIndex))
        return .truncatedBody(expected: length, available: available - Self.headerLength)
    }

    /// Reads the little-endian length at `index`; the caller guarantees four bytes are there.
    private static func readLength(_ bytes: [UInt8], at index: Int) -> UInt32 {
        UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16
            | UInt32(bytes[index + 3]) << 24
    }

    private mutating func skipBufferedRejectedBytes() {
        guard bytesToSkip > 0 else { return }
        let dropped = min(bytesToSkip, bufferedByteCount)
        readIndex += dropped
        bytesToSkip -= dropped
        compact()
    }

    /// Releases consumed bytes once they are at least half the buffer (amortised O(1) per byte).
    private mutating func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 16)
            readIndex = 0
        } else if readIndex > 4096, readIndex * 2 >= buffer.count {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }
}
