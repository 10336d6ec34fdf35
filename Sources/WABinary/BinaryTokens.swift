/// The WABinary tag bytes and token dictionaries (docs/protocol/lower.md §4.2, §4.6).
///
/// Byte values are identical in whatsmeow `binary/token/token.go` and Baileys `src/WABinary/constants.ts`.
/// The token tables themselves are generated into `BinaryTokens+Tables.swift` by `scripts/gen-tokens.py`.
public enum BinaryTokens {
    /// Tag bytes (docs/protocol/lower.md §4.2).
    public enum Tag {
        /// Empty list, or an absent value (also an empty JID user).
        public static let listEmpty: UInt8 = 0
        /// `236 + d` selects double-byte dictionary `d` (0...3); the next byte indexes it.
        public static let dictionary0: UInt8 = 236
        public static let dictionary3: UInt8 = 239
        public static let interopJID: UInt8 = 245
        public static let fbJID: UInt8 = 246
        public static let adJID: UInt8 = 247
        public static let list8: UInt8 = 248
        public static let list16: UInt8 = 249
        public static let jidPair: UInt8 = 250
        public static let hex8: UInt8 = 251
        public static let binary8: UInt8 = 252
        public static let binary20: UInt8 = 253
        public static let binary32: UInt8 = 254
        public static let nibble8: UInt8 = 255
    }

    /// The longest string (in characters) that may be nibble- or hex-packed (`PACKED_MAX`).
    public static let packedMax = 127

    /// A token's encoding: one byte, or a dictionary tag and an index.
    enum Encoding: Equatable, Sendable {
        case singleByte(UInt8)
        case doubleByte(dictionary: UInt8, index: UInt8)
    }

    /// Looks a string up in the token tables (docs/protocol/lower.md §4.4 rules 1–2: single-byte first).
    static func encoding(of string: String) -> Encoding? {
        // Skips hashing long strings (ids, names, raw values), which are never tokens.
        guard string.utf8.count <= longestToken else { return nil }
        return index.encoding(of: string)
    }

    private static let longestToken = (singleByte + doubleByte.joined()).map(\.utf8.count).max() ?? 0

    /// The single-byte token for a tag byte in 1...235, or nil.
    static func singleByteToken(_ byte: UInt8) -> String? {
        let position = Int(byte)
        guard position >= 1, position < singleByte.count else { return nil }
        return singleByte[position]
    }

    /// The token at `index` of double-byte dictionary `dictionary` (0...3), or nil.
    static func doubleByteToken(dictionary: Int, index position: UInt8) -> String? {
        guard dictionary >= 0, dictionary < doubleByte.count else { return nil }
        let table = doubleByte[dictionary]
        guard Int(position) < table.count else { return nil }
        return table[Int(position)]
    }

    /// Single-byte tokens first: they win over double-byte ones (docs/protocol/lower.md §4.4 rule 1 comes first).
    private static let index = TokenIndex(
        singleByte.enumerated().dropFirst().map { ($0.element, Encoding.singleByte(UInt8($0.offset))) }
            + doubleByte.enumerated().flatMap { dictionary, table in
                table.enumerated().map { ($0.element, Encoding.doubleByte(dictionary: UInt8(dictionary), index: UInt8($0.offset))) }
            })
}
