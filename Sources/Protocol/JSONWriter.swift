/// Appends compact JSON to a byte buffer: the host's only JSON encoder (no Foundation on the hot path).
///
/// Output matches what the host has always sent: no spaces, `/` unescaped, non-ASCII as UTF-8,
/// control characters as `\n`-style or `\u00XX` escapes, integral numbers within ±2^53 without a
/// fraction. Object members are written in the order the caller gives; every ``JSONEncodable`` type
/// of the protocol writes its members sorted by name, so output stays stable and golden-testable.
public struct JSONWriter {
    public private(set) var bytes: [UInt8]
    private var needsComma = false

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Starts with `prefix` already in the buffer (a frame header to fill in later).
    init(prefix: [UInt8], capacity: Int) {
        bytes = prefix
        bytes.reserveCapacity(capacity)
    }

    /// Replaces bytes already written (the frame header, once the length is known).
    mutating func overwrite(at offset: Int, with values: [UInt8]) {
        for (index, value) in values.enumerated() { bytes[offset + index] = value }
    }

    // MARK: Objects

    /// Writes `{`, the members `body` writes with ``member(_:_:)``, then `}`.
    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `"name":value` (with a comma before it when needed).
    public mutating func member(_ name: StaticString, _ value: some JSONEncodable) {
        key(name)
        value.encode(to: &self)
        needsComma = true
    }

    /// Writes the member only when `value` is not `nil` (absent members are omitted, never `null`).
    public mutating func member(_ name: StaticString, _ value: (some JSONEncodable)?) {
        guard let value else { return }
        member(name, value)
    }

    /// Writes `"name":null`.
    public mutating func nullMember(_ name: StaticString) {
        key(name)
        bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        needsComma = true
    }

    /// Writes a member whose name is only known at run time (JSONValue objects).
    mutating func member(dynamic name: String, _ value: JSONValue) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        string(name)
        bytes.append(UInt8(ascii: ":"))
        value.encode(to: &self)
        needsComma = true
    }

    private mutating func key(_ name: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    // MARK: Arrays

    /// Writes `[`, the elements, `]`.
    public mutating func array<Element: JSONEncodable>(_ elements: some Sequence<Element>) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for element in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            needsComma = false
            element.encode(to: &self)
        }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    // MARK: Scalars

    public mutating func null() { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }

    public mutating func bool(_ value: Bool) {
        if value {
            bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
        } else {
            bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
        }
    }

    public mutating func integer(_ value: Int64) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digitCount = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digitCount += 1
        }
        var position = bytes.count + digitCount - 1
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digitCount))
        while magnitude > 0 {
            bytes[position] = UInt8(truncatingIfNeeded: magnitude % 10) + UInt8(ascii: "0")
            magnitude /= 10
            position -= 1
        }
    }

    /// A finite number: integral values within ±2^53 as integers, others in Swift's shortest form.
    public mutating func number(_ value: Double) {
        if value == value.rounded(.towardZero), abs(value) <= JSONValue.maximumSafeInteger {
            integer(Int64(value))
        } else if value.isFinite {
            bytes.append(contentsOf: value.description.utf8)
        } else {
            null()
        }
    }

    /// A string, escaped per RFC 8259 §7.
    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
                runStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A value the host sends as JSON. Implementations write object members sorted by name.
public protocol JSONEncodable {
    func encode(to writer: inout JSONWriter)
}

extension String: JSONEncodable {
    public func encode(to writer: inout JSONWriter) { writer.string(self) }
}

extension Bool: JSONEncodable {
    public func encode(to writer: inout JSONWriter) { writer.bool(self) }
}

extension Int: JSONEncodable {
    public func encode(to writer: inout JSONWriter) { writer.integer(Int64(self)) }
}

extension Int32: JSONEncodable {
    public func encode(to writer: inout JSONWriter) { writer.integer(Int64(self)) }
}

extension Int64: JSONEncodable {
    public func encode(to writer: inout JSONWriter) { writer.integer(self) }
}

extension Array: JSONEncodable where Element: JSONEncodable {
    public func encode(to writer: inout JSONWriter) { writer.array(self) }
}

extension JSONValue: JSONEncodable {
    public func encode(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .number(let value): writer.number(value)
        case .string(let value): writer.string(value)
        case .array(let elements): writer.array(elements)
        case .object(let members):
            writer.object { writer in
                for key in members.keys.sorted() { writer.member(dynamic: key, members[key]!) }
            }
        }
    }
}

/// The empty result or payload `{}`.
public struct EmptyObject: JSONEncodable, PayloadDecodable, Equatable, Sendable {
    public init() {}
    public init(json: JSONValue?) throws(PayloadError) { _ = try PayloadReader(json) }
    public func encode(to writer: inout JSONWriter) { writer.object { _ in } }
}
