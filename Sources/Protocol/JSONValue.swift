/// Any JSON value, as read from an untrusted envelope before it is checked against a message type.
///
/// RFC 8259 §3: a JSON value is an object, array, number, string, `true`, `false` or `null`.
/// Numbers are kept as `Double` (what JavaScript senders produce); integers up to 2^53 are exact.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, when this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number as an exact integer when it is one within ±(2^53 − 1), JavaScript's safe range.
    public var safeIntegerValue: Int64? {
        guard case .number(let value) = self, value.isFinite, value == value.rounded(.towardZero),
            abs(value) <= JSONValue.maximumSafeInteger
        else { return nil }
        return Int64(value)
    }

    /// `Number.MAX_SAFE_INTEGER`: 2^53 − 1.
    public static let maximumSafeInteger: Double = 9_007_199_254_740_991
}

extension JSONValue {
    /// Parses one JSON text (``JSONParser``).
    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        self = try JSONParser.parse(bytes)
    }
}
