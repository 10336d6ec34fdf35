/// Why a request's `payload` does not match its message schema (PROTOCOL.md §Messages).
///
/// Sent to the extension as `invalidPayload` with `data: {field, reason}`.
public struct PayloadError: Error, Equatable, Sendable {
    /// Why a field was refused.
    public enum Reason: String, Sendable {
        /// The payload itself, or a required member, is absent.
        case missing
        /// The member has the wrong JSON type.
        case wrongType
        /// The member has the right type but a value outside the allowed set or shape.
        case invalidValue
        /// The member is longer than its limit.
        case tooLong
    }

    /// Dotted path of the offending member (`payload` for the payload itself).
    public var field: String
    public var reason: Reason

    public init(field: String, reason: Reason) {
        self.field = field
        self.reason = reason
    }
}

/// A request payload: read from the envelope's `payload` member and checked against its schema.
public protocol PayloadDecodable: Sendable {
    /// - Parameter json: the `payload` member; `nil` when absent.
    init(json: JSONValue?) throws(PayloadError)
}

/// Field-by-field checks of a payload object; every failure is a typed ``PayloadError``.
struct PayloadReader {
    let members: [String: JSONValue]

    /// Accepts an object payload; an absent or `null` payload reads as `{}`.
    init(_ payload: JSONValue?) throws(PayloadError) {
        switch payload {
        case nil, .null?: members = [:]
        case .object(let object)?: members = object
        default: throw PayloadError(field: "payload", reason: .wrongType)
        }
    }

    func string(_ key: String, maxBytes: Int) throws(PayloadError) -> String {
        guard let value = try optionalString(key, maxBytes: maxBytes) else {
            throw PayloadError(field: key, reason: .missing)
        }
        return value
    }

    func optionalString(_ key: String, maxBytes: Int) throws(PayloadError) -> String? {
        switch members[key] {
        case nil, .null?: return nil
        case .string(let value)?:
            guard value.utf8.count <= maxBytes else { throw PayloadError(field: key, reason: .tooLong) }
            return value
        default: throw PayloadError(field: key, reason: .wrongType)
        }
    }

    func optionalInteger(_ key: String) throws(PayloadError) -> Int64? {
        switch members[key] {
        case nil, .null?: return nil
        case let value?:
            guard let integer = value.safeIntegerValue else { throw PayloadError(field: key, reason: .wrongType) }
            return integer
        }
    }
}
