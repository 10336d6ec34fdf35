/// String → token lookup for the encoder: an open-addressing table keyed by FNV-1a over the UTF-8 bytes,
/// which avoids the seeded SipHash a `Dictionary<String, _>` pays for every string written.
struct TokenIndex: Sendable {
    private let slots: [Int32]
    private let mask: Int
    private let bytes: [UInt8]
    private let starts: [Int]
    private let encodings: [BinaryTokens.Encoding]

    /// Earlier entries win over later ones with the same string.
    init(_ entries: [(String, BinaryTokens.Encoding)]) {
        var capacity = 16
        while capacity < entries.count * 4 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        var encodings: [BinaryTokens.Encoding] = []
        for (token, encoding) in entries {
            let utf8 = Array(token.utf8)
            var slot = Int(Self.hash(utf8)) & (capacity - 1)
            var duplicate = false
            while slots[slot] >= 0 {
                let entry = Int(slots[slot])
                if bytes[starts[entry]..<starts[entry + 1]].elementsEqual(utf8) {
                    duplicate = true
                    break
                }
                slot = (slot + 1) & (capacity - 1)
            }
            if duplicate { continue }
            slots[slot] = Int32(encodings.count)
            bytes.append(contentsOf: utf8)
            starts.append(bytes.count)
            encodings.append(encoding)
        }
        self.slots = slots
        self.mask = capacity - 1
        self.bytes = bytes
        self.starts = starts
        self.encodings = encodings
    }

    func encoding(of string: String) -> BinaryTokens.Encoding? {
        var string = string
        return string.withUTF8 { utf8 in
            var slot = Int(Self.hash(utf8)) & mask
            while true {
                let entry = Int(slots[slot])
                if entry < 0 { return nil }
                let start = starts[entry]
                let end = starts[entry + 1]
                if end - start == utf8.count {
                    var equal = true
                    var offset = 0
                    while offset < utf8.count {
                        if bytes[start + offset] != utf8[offset] {
                            equal = false
                            break
                        }
                        offset += 1
                    }
                    if equal { return encodings[entry] }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }
}
