/// Encodes host → extension messages as framed JSON with sorted keys (stable, golden-testable output).
///
/// Responses are `{id, result}` or `{error, id}`; events are `{payload, type}` without `id`
/// (PROTOCOL.md §Envelope). An `id` that could not be read is sent as `null`. Each message is written
/// once, straight into its frame: the 4-byte header is reserved first and filled in at the end.
public enum OutboundMessage {
    /// The frame of `{"id": id, "result": result}`.
    ///
    /// - Throws: ``NativeFrameError/messageTooLarge(length:limit:)`` when the body is above 1 MiB.
    public static func responseFrame(id: RequestID, result: some JSONEncodable) throws(NativeFrameError) -> [UInt8] {
        var writer = JSONWriter(prefix: [0, 0, 0, 0], capacity: 128)
        writer.object { writer in
            writer.member("id", id)
            writer.member("result", result)
        }
        return try seal(&writer)
    }

    /// The frame of `{"error": error, "id": id | null}`; never fails (error bodies are small).
    public static func errorFrame(id: RequestID?, error: HostError) -> [UInt8] {
        var writer = JSONWriter(prefix: [0, 0, 0, 0], capacity: 128)
        writeError(&writer, id: id, error: error)
        if let frame = try? seal(&writer) { return frame }
        var fallback = JSONWriter(prefix: [0, 0, 0, 0], capacity: 128)
        writeError(&fallback, id: nil, error: .internalFailure)
        return (try? seal(&fallback)) ?? []
    }

    /// The frame of `{"payload": payload, "type": E.type}`.
    public static func eventFrame<E: HostEvent>(_ event: E.Type, _ payload: E.Payload) throws(NativeFrameError) -> [UInt8] {
        var writer = JSONWriter(prefix: [0, 0, 0, 0], capacity: 128)
        writer.object { writer in
            writer.member("payload", payload)
            writer.member("type", E.type)
        }
        return try seal(&writer)
    }

    /// JSON body (no frame) of a response, for tests and tools.
    public static func response(id: RequestID, result: some JSONEncodable) throws(NativeFrameError) -> [UInt8] {
        Array(try responseFrame(id: id, result: result).dropFirst(NativeFrameDecoder.headerLength))
    }

    /// JSON body (no frame) of an error response.
    public static func error(id: RequestID?, error: HostError) -> [UInt8] {
        Array(errorFrame(id: id, error: error).dropFirst(NativeFrameDecoder.headerLength))
    }

    /// JSON body (no frame) of an event.
    public static func event<E: HostEvent>(_ event: E.Type, payload: E.Payload) throws(NativeFrameError) -> [UInt8] {
        Array(try eventFrame(event, payload).dropFirst(NativeFrameDecoder.headerLength))
    }

    private static func writeError(_ writer: inout JSONWriter, id: RequestID?, error: HostError) {
        writer.object { writer in
            writer.member("error", error)
            if let id { writer.member("id", id) } else { writer.nullMember("id") }
        }
    }

    /// Fills in the length header; refuses bodies above Chrome's limit.
    private static func seal(_ writer: inout JSONWriter) throws(NativeFrameError) -> [UInt8] {
        let length = writer.bytes.count - NativeFrameDecoder.headerLength
        guard length <= NativeFrameEncoder.maximumMessageLength else {
            throw .messageTooLarge(length: length, limit: NativeFrameEncoder.maximumMessageLength)
        }
        let value = UInt32(length)
        writer.overwrite(
            at: 0,
            with: [
                UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
                UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24),
            ])
        return writer.bytes
    }
}
