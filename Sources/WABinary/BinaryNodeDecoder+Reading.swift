/// Bounds-checked primitive reads (NIO naming: `readX` moves the index; a short read throws `.truncated`).
extension BinaryNodeDecoder {
    /// Throws unless `count` more bytes are available.
    func require(_ count: Int) throws(BinaryNodeDecodingError) {
        guard count <= remaining else { throw .truncated(needed: count, available: remaining) }
    }

    mutating func readByte() throws(BinaryNodeDecodingError) -> UInt8 {
        try require(1)
        defer { index += 1 }
        return input[index]
    }

    mutating func readUInt16() throws(BinaryNodeDecodingError) -> UInt16 {
        try require(2)
        defer { index += 2 }
        return UInt16(input[index]) << 8 | UInt16(input[index + 1])
    }

    /// Reads `count` bytes after checking them against the input (never allocating on a claim alone).
    mutating func readBytes(_ count: Int) throws(BinaryNodeDecodingError) -> ArraySlice<UInt8> {
        try require(count)
        defer { index += count }
        return input[index..<(index + count)]
    }

    /// The size after a list tag: nil if `tag` is not a list tag (LIST_EMPTY is size 0).
    mutating func readListSize(tag: UInt8) throws(BinaryNodeDecodingError) -> Int? {
        switch tag {
        case BinaryTokens.Tag.listEmpty: return 0
        case BinaryTokens.Tag.list8: return Int(try readByte())
        case BinaryTokens.Tag.list16: return Int(try readUInt16())
        default: return nil
        }
    }

    /// docs/protocol/lower.md §4.3 length encodings; the 20-bit form masks its first byte with `0x0F`.
    mutating func readByteLength(tag: UInt8) throws(BinaryNodeDecodingError) -> Int {
        let length: Int
        switch tag {
        case BinaryTokens.Tag.binary8:
            length = Int(try readByte())
        case BinaryTokens.Tag.binary20:
            let bytes = try readBytes(3)
            length = Int(bytes[bytes.startIndex] & 0x0F) << 16 | Int(bytes[bytes.startIndex + 1]) << 8
                | Int(bytes[bytes.startIndex + 2])
        default:
            let bytes = try readBytes(4)
            length = bytes.reduce(0) { $0 << 8 | Int($1) }
        }
        guard length <= limits.maxByteLength else { throw .bytesTooLong(length: length, limit: limits.maxByteLength) }
        return length
    }

    /// docs/protocol/lower.md §4.4 packed format: a length byte (bit 7 = odd), then `length & 0x7F` packed bytes.
    mutating func readPacked(as kind: PackedString.Kind) throws(BinaryNodeDecodingError) -> String {
        let header = try readByte()
        let count = Int(header & 0x7F)
        let odd = header & 0x80 != 0
        guard count > 0 || !odd else { throw .invalidPackedLength }
        return try PackedString.unpack(try readBytes(count), odd: odd, as: kind)
    }

    /// Strict UTF-8: invalid sequences are an error, not replacement characters.
    func utf8String(_ bytes: ArraySlice<UInt8>) throws(BinaryNodeDecodingError) -> String {
        let string = String(decoding: bytes, as: UTF8.self)
        // ASCII is always valid; otherwise a replacement character changed the bytes.
        guard bytes.allSatisfy({ $0 < 0x80 }) || string.utf8.elementsEqual(bytes) else { throw .invalidUTF8 }
        return string
    }
}
