/// The `id` of a request, echoed in its response (PROTOCOL.md §Envelope).
///
/// An id is a JSON integer within ±(2^53 − 1) or a string of at most ``maximumStringLength`` UTF-8
/// bytes. Anything else makes the envelope `invalidRequest`, answered with `id: null`.
public enum RequestID: Hashable, Sendable {
    case number(Int64)
    case string(String)

    /// Longest accepted string id, in UTF-8 bytes.
    public static let maximumStringLength = 128

    /// Reads an id from an envelope member, or `nil` when it is not a usable id.
    public init?(json: JSONValue) {
        if let number = json.safeIntegerValue {
            self = .number(number)
        } else if let string = json.stringValue, string.utf8.count <= Self.maximumStringLength {
            self = .string(string)
        } else {
            return nil
        }
    }
}

extension RequestID: JSONEncodable {
    public func encode(to writer: inout JSONWriter) {
        switch self {
        case .number(let value): writer.integer(value)
        case .string(let value): writer.string(value)
        }
    }
}

extension RequestID: CustomStringConvertible {
    /// The id as it appears in JSON: `7` or `"abc"`.
    public var description: String {
        switch self {
        case .number(let value): return String(value)
        case .string(let value): return "\"\(value)\""
        }
    }
}
