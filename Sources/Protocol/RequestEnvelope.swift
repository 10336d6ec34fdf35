/// A request from the extension: `{id, type, payload}` (PROTOCOL.md §Envelope).
public struct RequestEnvelope: Equatable, Sendable {
    public var id: RequestID
    public var type: String
    /// The raw payload; absent and `null` both read as "no payload".
    public var payload: JSONValue?

    public init(id: RequestID, type: String, payload: JSONValue? = nil) {
        self.id = id
        self.type = type
        self.payload = payload
    }

    /// Longest accepted `type`, in UTF-8 bytes.
    public static let maximumTypeLength = 64

    /// Decodes one frame body.
    ///
    /// - Parameter frame: the bytes of one native-messaging frame, untrusted.
    /// - Throws: ``EnvelopeError`` naming the first problem, with the id when it was usable.
    public static func decode(_ frame: [UInt8]) throws(EnvelopeError) -> RequestEnvelope {
        let json: JSONValue
        do {
            json = try JSONParser.parse(frame)
        } catch {
            throw .notJSON
        }
        guard case .object(let members) = json else { throw .notAnObject }
        guard let idValue = members["id"], idValue != .null else { throw .missingID }
        guard let id = RequestID(json: idValue) else { throw .invalidID }
        guard let typeValue = members["type"] else { throw .missingType(id: id) }
        guard let type = typeValue.stringValue, !type.isEmpty, type.utf8.count <= maximumTypeLength else {
            throw .invalidType(id: id)
        }
        return RequestEnvelope(id: id, type: type, payload: members["payload"])
    }
}

/// Why a frame is not a usable request envelope.
public enum EnvelopeError: Error, Equatable, Sendable {
    /// Not UTF-8 JSON (RFC 8259 §8.1), or nested deeper than the decoder allows.
    case notJSON
    /// Valid JSON, but not an object.
    case notAnObject
    /// No `id`, or `id: null`.
    case missingID
    /// `id` is neither a safe integer nor a short string.
    case invalidID
    /// No `type`.
    case missingType(id: RequestID)
    /// `type` is not a non-empty string of at most 64 bytes.
    case invalidType(id: RequestID)

    /// The id to answer with: `nil` (sent as `null`) when none was usable.
    public var requestID: RequestID? {
        switch self {
        case .notJSON, .notAnObject, .missingID, .invalidID: return nil
        case .missingType(let id), .invalidType(let id): return id
        }
    }

    /// The wire error for this failure.
    public var hostError: HostError {
        switch self {
        case .notJSON: return .parse
        case .notAnObject: return .invalidRequest("envelope is not a JSON object")
        case .missingID: return .invalidRequest("missing id")
        case .invalidID: return .invalidRequest("id must be a safe integer or a string of at most 128 bytes")
        case .missingType: return .invalidRequest("missing type")
        case .invalidType: return .invalidRequest("type must be a non-empty string of at most 64 bytes")
        }
    }
}
