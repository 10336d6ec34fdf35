/// NIBBLE_8 and HEX_8 packed strings (wa-protocol-lower.md §4.4 "Packed format").
///
/// ```
/// tag | length byte: ceil(n/2), bit 7 set when n is odd | two characters per byte, high nibble first;
///                                                         odd n ends with the filler nibble 0xF
/// ```
enum PackedString {
    enum Kind {
        /// `0-9 - .` (NIBBLE_8).
        case nibble
        /// `0-9 A-F`, uppercase only (HEX_8).
        case hex

        var tag: UInt8 {
            switch self {
            case .nibble: BinaryTokens.Tag.nibble8
            case .hex: BinaryTokens.Tag.hex8
            }
        }

        /// The nibble for an ASCII character, or nil if it cannot be packed.
        func nibble(for character: UInt8) -> UInt8? {
            switch (self, character) {
            case (_, UInt8(ascii: "0")...UInt8(ascii: "9")): character - UInt8(ascii: "0")
            case (.nibble, UInt8(ascii: "-")): 10
            case (.nibble, UInt8(ascii: ".")): 11
            case (.hex, UInt8(ascii: "A")...UInt8(ascii: "F")): character - UInt8(ascii: "A") + 10
            default: nil
            }
        }

        /// The ASCII character for a nibble, or nil if invalid (15 in NIBBLE_8 is only the filler).
        func character(for nibble: UInt8) -> UInt8? {
            switch (self, nibble) {
            case (_, 0...9): UInt8(ascii: "0") + nibble
            case (.nibble, 10): UInt8(ascii: "-")
            case (.nibble, 11): UInt8(ascii: ".")
            case (.hex, 10...15): UInt8(ascii: "A") + nibble - 10
            default: nil
            }
        }
    }

    /// Appends the packed form and returns true, or returns false (appending nothing) when the string is
    /// empty, longer than `packedMax` characters, or has a character outside the kind's alphabet.
    static func pack(_ string: String, as kind: Kind, into bytes: inout [UInt8]) -> Bool {
        let utf8 = string.utf8
        let count = utf8.count
        guard count > 0, count <= BinaryTokens.packedMax else { return false }
        for character in utf8 where kind.nibble(for: character) == nil { return false }
        bytes.append(kind.tag)
        bytes.append(UInt8((count + 1) / 2) | (count % 2 == 1 ? 0x80 : 0))
        var high: UInt8?
        for character in utf8 {
            let nibble = kind.nibble(for: character) ?? 0
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        if let first = high { bytes.append(first << 4 | 0x0F) }
        return true
    }

    /// Unpacks `packed` (the bytes after the length byte) into a string of `2·count − (odd ? 1 : 0)` characters.
    static func unpack(
        _ packed: ArraySlice<UInt8>, odd: Bool, as kind: Kind
    ) throws(BinaryNodeDecodingError) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity(packed.count * 2)
        for (offset, byte) in packed.enumerated() {
            let isLast = offset == packed.count - 1
            guard let high = kind.character(for: byte >> 4) else { throw .invalidNibble(byte >> 4) }
            characters.append(high)
            if isLast && odd { continue }  // the low nibble is the filler; it is dropped unread
            guard let low = kind.character(for: byte & 0x0F) else { throw .invalidNibble(byte & 0x0F) }
            characters.append(low)
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
