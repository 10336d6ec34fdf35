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

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Most common kinds first: each failed attempt costs a thrown DecodingError. No JSON value
        // decodes as two kinds (a number is never a Bool or a String here), so the order is free.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else {
            self = .array(try container.decode([JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
