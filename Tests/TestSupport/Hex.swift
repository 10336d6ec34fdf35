/// Bytes from hex text: "00 f8 0a…" or "00f80a…" (whitespace ignored, either case). Test fixtures only:
/// an odd digit count or a non-hex character is a broken fixture and traps with its position.
public func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8.filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D })
    precondition(digits.count % 2 == 0, "hex fixture with an odd number of digits: \(text)")
    func value(_ index: Int) -> UInt8 {
        switch digits[index] {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digits[index] - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digits[index] - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digits[index] - UInt8(ascii: "A") + 10
        default: preconditionFailure("not a hex digit at \(index) in the fixture \(text)")
        }
    }
    return stride(from: 0, to: digits.count, by: 2).map { value($0) << 4 | value($0 + 1) }
}

/// Lowercase hex, two digits per byte, no separators.
public func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
}

extension Array where Element == UInt8 {
    /// Bytes from hex text (see ``hexBytes(_:)``).
    public init(hex: String) {
        self = hexBytes(hex)
    }

    /// Lowercase hex (see ``hexString(_:)``).
    public var hex: String { hexString(self) }
}
