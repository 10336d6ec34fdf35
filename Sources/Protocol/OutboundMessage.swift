#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Encodes host → extension messages as JSON with sorted keys (stable, golden-testable output).
///
/// Responses are `{id, result}` or `{id, error}`; events are `{type, payload}` without `id`
/// (PROTOCOL.md §Envelope). An `id` that could not be read is sent as `null`.
public enum OutboundMessage {
    /// JSON bytes of `{"id": id, "result": result}`.
    public static func response(id: RequestID, result: some Encodable) throws -> [UInt8] {
        try encode(ResultEnvelope(id: id, result: result))
    }

    /// JSON bytes of `{"error": error, "id": id | null}`; never fails.
    public static func error(id: RequestID?, error: HostError) -> [UInt8] {
        if let bytes = try? encode(ErrorEnvelope(id: id, error: error)) { return bytes }
        // Only reachable if encoding a fixed-shape value failed; answer with a constant.
        let fallback = ErrorEnvelope(id: nil, error: .internalFailure)
        return (try? encode(fallback)) ?? Array(#"{"error":{"code":7,"message":"internal error"},"id":null}"#.utf8)
    }

    /// JSON bytes of `{"payload": payload, "type": type}`.
    public static func event(_ type: MessageType, payload: some Encodable) throws -> [UInt8] {
        try encode(EventEnvelope(type: type.rawValue, payload: payload))
    }

    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}

private struct ResultEnvelope<Result: Encodable>: Encodable {
    var id: RequestID
    var result: Result
}

private struct ErrorEnvelope: Encodable {
    var id: RequestID?
    var error: HostError

    enum CodingKeys: String, CodingKey { case id, error }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let id { try container.encode(id, forKey: .id) } else { try container.encodeNil(forKey: .id) }
        try container.encode(error, forKey: .error)
    }
}

private struct EventEnvelope<Payload: Encodable>: Encodable {
    var type: String
    var payload: Payload
}
