/// The `error` member of a failed response: `{code, message, data?}` (PROTOCOL.md §Envelope).
///
/// `message` is for humans and logs and may change; `code` is the contract. `data` carries the
/// parameters listed for the code in PROTOCOL.md §Error codes. Messages never quote payload contents.
public struct HostError: Error, Equatable, Sendable, JSONEncodable {
    public var code: HostErrorCode
    public var message: String
    public var data: JSONValue?

    public init(code: HostErrorCode, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("code", code)
            writer.member("data", data)
            writer.member("message", message)
        }
    }
}

extension HostError {
    public static let parse = HostError(code: .parseError, message: "frame is not valid UTF-8 JSON")

    public static func invalidRequest(_ reason: String) -> HostError {
        HostError(code: .invalidRequest, message: "invalid request: \(reason)")
    }

    public static func unknownType(_ type: String) -> HostError {
        HostError(
            code: .unknownType, message: "unknown message type",
            data: .object(["type": .string(String(type.prefix(64)))]))
    }

    public static func invalidPayload(_ failure: PayloadError) -> HostError {
        HostError(
            code: .invalidPayload, message: "invalid payload: \(failure.field) \(failure.reason.rawValue)",
            data: .object(["field": .string(failure.field), "reason": .string(failure.reason.rawValue)]))
    }

    public static func frameTooLarge(length: UInt32, limit: Int) -> HostError {
        HostError(
            code: .frameTooLarge, message: "frame of \(length) bytes is above the \(limit)-byte limit",
            data: .object(["length": .number(Double(length)), "limit": .number(Double(limit))]))
    }

    public static func responseTooLarge(length: Int, limit: Int) -> HostError {
        HostError(
            code: .responseTooLarge, message: "response of \(length) bytes is above the \(limit)-byte limit",
            data: .object(["length": .number(Double(length)), "limit": .number(Double(limit))]))
    }

    public static let internalFailure = HostError(code: .internalError, message: "internal error")

    public static let originNotAllowed = HostError(
        code: .originNotAllowed, message: "caller origin is not an allowed extension")

    public static let engineUnavailable = HostError(
        code: .engineUnavailable, message: "the WhatsApp engine is not available in this host")

    public static let notLinked = HostError(code: .notLinked, message: "no WhatsApp account is linked")

    public static let alreadyLinked = HostError(
        code: .alreadyLinked, message: "a WhatsApp account is already linked; log out first")

    /// The settings are invalid: `data: {field, reason}`; `reason` is plain words for the user.
    public static func engineConfiguration(field: String, reason: String) -> HostError {
        HostError(
            code: .engineConfiguration, message: "invalid setting \(field): \(reason)",
            data: .object(["field": .string(field), "reason": .string(reason)]))
    }

    public static let engineBusy = HostError(
        code: .engineBusy, message: "another crm-whatsapp-host process is using the WhatsApp account", data: .object([:]))
}
