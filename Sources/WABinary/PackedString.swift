/// NIBBLE_8 and HEX_8 packed strings (docs/protocol/lower.md §4.4 "Packed format").
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

    /// For each ASCII byte: bit 0 = packable as NIBBLE_8, bit 1 = packable as HEX_8; the nibble is in the
    /// high half (the same value in both alphabets for digits).
    private static let classes: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for digit in 0..<10 { table[Int(UInt8(ascii: "0")) + digit] = UInt8(digit) << 4 | 0b11 }
        table[Int(UInt8(ascii: "-"))] = 10 << 4 | 0b01
        table[Int(UInt8(ascii: "."))] = 11 << 4 | 0b01
        for letter in 0..<6 { table[Int(UInt8(ascii: "A")) + letter] = UInt8(10 + letter) << 4 | 0b10 }
        return table
    }()

    /// Appends the string NIBBLE_8-packed, else HEX_8-packed (docs/protocol/lower.md §4.4 rules 3–4), and returns true; or
    /// returns false, appending nothing, when the string is empty, longer than `packedMax` characters, or
    /// fits neither alphabet.
    static func packIfPossible(_ string: String, into bytes: inout [UInt8]) -> Bool {
        var string = string
        return string.withUTF8 { utf8 in
            let count = utf8.count
            guard count > 0, count <= BinaryTokens.packedMax else { return false }
            let table = classes
            var kinds: UInt8 = 0b11
            for character in utf8 {
                kinds &= table[Int(character)]
                if kinds == 0 { return false }
            }
            let kind: Kind = kinds & 0b01 != 0 ? .nibble : .hex
            bytes.append(kind.tag)
            bytes.append(UInt8((count + 1) / 2) | (count % 2 == 1 ? 0x80 : 0))
            var index = 0
            while index + 1 < count {
                bytes.append(table[Int(utf8[index])] & 0xF0 | table[Int(utf8[index + 1])] >> 4)
                index += 2
            }
            if index < count { bytes.append(table[Int(utf8[index])] & 0xF0 | 0x0F) }
            return true
        }
    }

    /// Unpacks `packed` (the bytes after the length byte) into a string of `2·count − (odd ? 1 : 0)` characters.
    static func unpack(
        _ packed: ArraySlice<UInt8>, odd: Bool, as kind: Kind
    ) throws(BinaryNodeDecodingError) -> String {
        let alphabet = kind == .nibble ? nibbleAlphabet : hexAlphabet
        let count = packed.count * 2 - (odd ? 1 : 0)
        var invalid: UInt8?
        // Every character is ASCII (both alphabets), so the bytes are valid UTF-8 by construction.
        let string = String(unsafeUninitializedCapacity: count) { buffer in
            var written = 0
            for byte in packed {
                let high = alphabet[Int(byte >> 4)]
                guard high != 0 else { invalid = byte >> 4; return 0 }
                buffer[written] = high
                written += 1
                if written == count { break }  // odd: the low nibble of the last byte is the filler, unread
                let low = alphabet[Int(byte & 0x0F)]
                guard low != 0 else { invalid = byte & 0x0F; return 0 }
                buffer[written] = low
                written += 1
            }
            return written
        }
        if let invalid { throw .invalidNibble(invalid) }
        return string
    }

    /// The character of each nibble, 0 where the nibble is invalid (15 in NIBBLE_8 is only the filler).
    private static let nibbleAlphabet: [UInt8] = (0..<16).map { Kind.nibble.character(for: UInt8($0)) ?? 0 }
    private static let hexAlphabet: [UInt8] = (0..<16).map { Kind.hex.character(for: UInt8($0)) ?? 0 }
}
