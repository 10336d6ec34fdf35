/// A strict RFC 8259 JSON parser over UTF-8 bytes, written for the host's hot path.
///
/// One pass, no Foundation: strings without escapes are sliced straight from the input, integers of up
/// to 15 digits are read without going through text. Rejects what RFC 8259 rejects (trailing commas,
/// leading zeros, unescaped control characters, invalid UTF-8 (§8.1), lone surrogate escapes), numbers
/// outside `Double`'s range, and nesting deeper than ``maximumDepth``. Duplicate member names: the last
/// one wins (RFC 8259 §4 leaves this to the implementation).
public struct JSONParser {
    /// Deepest accepted nesting of arrays and objects.
    public static let maximumDepth = 256

    /// Parses one JSON text (whitespace around it allowed, nothing else).
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSONValue in
            var parser = JSONParser(buffer)
            parser.skipWhitespace()
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw JSONParseError(offset: parser.index) }
            return value
        }
    }

    private let input: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ input: UnsafeBufferPointer<UInt8>) { self.input = input }

    private func fail() -> JSONParseError { JSONParseError(offset: index) }

    private mutating func skipWhitespace() {
        while index < input.count {
            switch input[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < input.count else { throw fail() }
        switch input[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard input.count - index >= count else { throw fail() }
        for offset in 0..<count where input[index + offset] != word.utf8Start[offset] { throw fail() }
        index += count
    }

    private mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw fail() }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < input.count, input[index] == UInt8(ascii: "\"") else { throw fail() }
            let key = try string()
            skipWhitespace()
            guard index < input.count, input[index] == UInt8(ascii: ":") else { throw fail() }
            index += 1
            skipWhitespace()
            members[key] = try value(depth: depth)
            skipWhitespace()
            guard index < input.count else { throw fail() }
            if input[index] == UInt8(ascii: ",") {
                index += 1
            } else if input[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            } else {
                throw fail()
            }
        }
    }

    private mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw fail() }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard index < input.count else { throw fail() }
            if input[index] == UInt8(ascii: ",") {
                index += 1
            } else if input[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            } else {
                throw fail()
            }
        }
    }

    /// Reads a string starting at its opening quote.
    private mutating func string() throws(JSONParseError) -> String {
        index += 1
        let start = index
        var ascii = true
        // Fast path: no escapes. Stops at the closing quote or the first backslash.
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: input[start..<index])
                index += 1
                guard ascii || Self.isValidUTF8(slice) else { throw JSONParseError(offset: start) }
                return String(decoding: slice, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail() }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        guard index < input.count else { throw fail() }
        // Slow path: collect bytes, decoding escapes, then validate the whole as UTF-8.
        var bytes = Array(UnsafeBufferPointer(rebasing: input[start..<index]))
        while index < input.count {
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard bytes.withUnsafeBufferPointer(Self.isValidUTF8) else { throw JSONParseError(offset: start) }
                return String(decoding: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < input.count else { throw fail() }
                let escaped = input[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escaped)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"): appendScalar(try unicodeEscape(), to: &bytes)
                default: throw fail()
                }
            case 0..<0x20:
                throw fail()
            default:
                bytes.append(byte)
                index += 1
            }
        }
        throw fail()
    }

    /// Reads the `XXXX` after `\u` (and a following low-surrogate escape when the first is a high one).
    private mutating func unicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let first = try hex4()
        switch first {
        case 0xD800...0xDBFF:
            guard input.count - index >= 6, input[index] == UInt8(ascii: "\\"), input[index + 1] == UInt8(ascii: "u")
            else { throw fail() }
            index += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw fail() }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else { throw fail() }
            return scalar
        case 0xDC00...0xDFFF:
            throw fail()
        default:
            guard let scalar = Unicode.Scalar(first) else { throw fail() }
            return scalar
        }
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard input.count - index >= 4 else { throw fail() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = input[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail()
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private func appendScalar(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        for unit in UTF8.encode(scalar)! { bytes.append(unit) }
    }

    /// Reads a number (RFC 8259 §6 grammar); integers of at most 15 digits skip text conversion.
    private mutating func number() throws(JSONParseError) -> Double {
        let start = index
        var negative = false
        if input[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < input.count, isDigit(input[index]) else { throw fail() }
        var integer: Int64 = 0
        var digits = 0
        if input[index] == UInt8(ascii: "0") {
            index += 1
            digits = 1
        } else {
            while index < input.count, isDigit(input[index]) {
                if digits < 18 { integer = integer * 10 + Int64(input[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
        }
        var simple = digits <= 15
        if index < input.count, input[index] == UInt8(ascii: ".") {
            simple = false
            index += 1
            guard index < input.count, isDigit(input[index]) else { throw fail() }
            while index < input.count, isDigit(input[index]) { index += 1 }
        }
        if index < input.count, input[index] == UInt8(ascii: "e") || input[index] == UInt8(ascii: "E") {
            simple = false
            index += 1
            if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") { index += 1 }
            guard index < input.count, isDigit(input[index]) else { throw fail() }
            while index < input.count, isDigit(input[index]) { index += 1 }
        }
        if simple { return negative ? -Double(integer) : Double(integer) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw JSONParseError(offset: start) }
        return value
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Well-formed UTF-8 (The Unicode Standard 15, section 3.9, table 3-7): no overlong forms, no surrogates, at most U+10FFFF.
    /// (`String(validating:)` would do, but needs macOS 15; the package supports macOS 14.)
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
        var index = 0
        let count = bytes.count
        while index < count {
            let first = bytes[index]
            switch first {
            case 0x00...0x7F:
                index += 1
            case 0xC2...0xDF:
                guard index + 1 < count, isContinuation(bytes[index + 1]) else { return false }
                index += 2
            case 0xE0...0xEF:
                guard index + 2 < count else { return false }
                let second = bytes[index + 1]
                let range: ClosedRange<UInt8> = first == 0xE0 ? 0xA0...0xBF : first == 0xED ? 0x80...0x9F : 0x80...0xBF
                guard range.contains(second), isContinuation(bytes[index + 2]) else { return false }
                index += 3
            case 0xF0...0xF4:
                guard index + 3 < count else { return false }
                let second = bytes[index + 1]
                let range: ClosedRange<UInt8> = first == 0xF0 ? 0x90...0xBF : first == 0xF4 ? 0x80...0x8F : 0x80...0xBF
                guard range.contains(second), isContinuation(bytes[index + 2]), isContinuation(bytes[index + 3]) else {
                    return false
                }
                index += 4
            default:
                return false
            }
        }
        return true
    }
}

/// Where a JSON text stopped being valid.
public struct JSONParseError: Error, Equatable, Sendable {
    /// Byte offset of the first problem.
    public var offset: Int
}
