/// The `error` member of a failed response: `{code, message, data?}` (PROTOCOL.md §Envelope).
///
/// `message` is for humans and logs and may change; `code` is the contract. `data` carries the
/// parameters listed for the code in PROTOCOL.md §Error codes. Messages never quote payload contents.
public struct HostError: Error, Equatable, Encodable, Sendable {
    public var code: HostErrorCode
    public var message: String
    public var data: JSONValue?

    public init(code: HostErrorCode, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    enum CodingKeys: String, CodingKey { case code, message, data }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(data, forKey: .data)
    }
}

extension HostError {
    static let parse = HostError(code: .parseError, message: "frame is not valid UTF-8 JSON")

    static func invalidRequest(_ reason: String) -> HostError {
        HostError(code: .invalidRequest, message: "invalid request: \(reason)")
    }

    static func unknownType(_ type: String) -> HostError {
        HostError(
            code: .unknownType, message: "unknown message type",
            data: .object(["type": .string(String(type.prefix(64)))]))
    }

    static func invalidPayload(_ failure: PayloadError) -> HostError {
        HostError(
            code: .invalidPayload, message: "invalid payload: \(failure.field) \(failure.reason.rawValue)",
            data: .object(["field": .string(failure.field), "reason": .string(failure.reason.rawValue)]))
    }

    static func frameTooLarge(length: UInt32, limit: Int) -> HostError {
        HostError(
            code: .frameTooLarge, message: "frame of \(length) bytes is above the \(limit)-byte limit",
            data: .object(["length": .number(Double(length)), "limit": .number(Double(limit))]))
    }

    static func responseTooLarge(length: Int, limit: Int) -> HostError {
        HostError(
            code: .responseTooLarge, message: "response of \(length) bytes is above the \(limit)-byte limit",
            data: .object(["length": .number(Double(length)), "limit": .number(Double(limit))]))
    }

    static let internalFailure = HostError(code: .internalError, message: "internal error")

    static let originNotAllowed = HostError(
        code: .originNotAllowed, message: "caller origin is not an allowed extension")

    static let engineUnavailable = HostError(
        code: .engineUnavailable, message: "the WhatsApp engine is not available in this host")
}
