/// An element of GF(2^255 − 19), used only for the Montgomery → Edwards conversion of *public* keys.
///
/// libsodium has no public field API (dependencies.md §3), so XEdDSA verification needs this one map:
/// Edwards `y = (u − 1) / (u + 1) mod p` (RFC 7748 §4.1 birational map). Sixteen signed 64-bit limbs of 16 bits,
/// in the TweetNaCl representation. Not constant time: it never touches secret data.
struct FieldElement25519: Equatable {
    private var limbs: [Int64]

    private init(limbs: [Int64]) { self.limbs = limbs }

    static let zero = FieldElement25519(limbs: [Int64](repeating: 0, count: 16))
    static let one: FieldElement25519 = {
        var limbs = [Int64](repeating: 0, count: 16)
        limbs[0] = 1
        return FieldElement25519(limbs: limbs)
    }()

    /// Reads 32 little-endian bytes, ignoring the top bit (RFC 7748 §5: "mask the most significant bit").
    /// Values in [p, 2^255) are accepted non-canonically, like every X25519 decoder.
    init(bytes: [UInt8]) {
        var limbs = [Int64](repeating: 0, count: 16)
        for index in 0..<16 {
            let low = index * 2 < bytes.count ? Int64(bytes[index * 2]) : 0
            let high = index * 2 + 1 < bytes.count ? Int64(bytes[index * 2 + 1]) : 0
            limbs[index] = low + (high << 8)
        }
        limbs[15] &= 0x7fff
        self.limbs = limbs
    }

    /// The canonical (fully reduced) 32-byte little-endian encoding.
    var bytes: [UInt8] {
        var t = limbs
        Self.carry(&t)
        Self.carry(&t)
        Self.carry(&t)
        // Two conditional subtractions of p bring t into [0, p).
        for _ in 0..<2 {
            var m = [Int64](repeating: 0, count: 16)
            m[0] = t[0] - 0xffed
            for i in 1..<15 {
                m[i] = t[i] - 0xffff - ((m[i - 1] >> 16) & 1)
                m[i - 1] &= 0xffff
            }
            m[15] = t[15] - 0x7fff - ((m[14] >> 16) & 1)
            let borrow = (m[15] >> 16) & 1
            m[14] &= 0xffff
            if borrow == 0 { t = m }
        }
        var out = [UInt8](repeating: 0, count: 32)
        for i in 0..<16 {
            out[2 * i] = UInt8(t[i] & 0xff)
            out[2 * i + 1] = UInt8((t[i] >> 8) & 0xff)
        }
        return out
    }

    static func + (a: Self, b: Self) -> Self {
        Self(limbs: (0..<16).map { a.limbs[$0] + b.limbs[$0] })
    }

    static func - (a: Self, b: Self) -> Self {
        Self(limbs: (0..<16).map { a.limbs[$0] - b.limbs[$0] })
    }

    static func * (a: Self, b: Self) -> Self {
        var product = [Int64](repeating: 0, count: 31)
        for i in 0..<16 {
            for j in 0..<16 { product[i + j] += a.limbs[i] * b.limbs[j] }
        }
        // 2^256 ≡ 38 (mod p): fold the high half down.
        for i in 0..<15 { product[i] += 38 * product[i + 16] }
        var t = Array(product[0..<16])
        carry(&t)
        carry(&t)
        return Self(limbs: t)
    }

    /// The multiplicative inverse `a^(p−2)` (Fermat); the inverse of zero is zero.
    var inverse: Self {
        var c = self
        // p − 2 = 2^255 − 21: every exponent bit is set except bits 2 and 4.
        for bit in stride(from: 253, through: 0, by: -1) {
            c = c * c
            if bit != 2 && bit != 4 { c = c * self }
        }
        return c
    }

    /// Propagates carries so every limb fits 16 bits, folding the top carry back with ×38.
    private static func carry(_ t: inout [Int64]) {
        for i in 0..<16 {
            t[i] += 1 << 16
            let c = t[i] >> 16
            if i < 15 {
                t[i + 1] += c - 1
            } else {
                t[0] += 38 * (c - 1)
            }
            t[i] -= c << 16
        }
    }
}

extension FieldElement25519 {
    /// The Edwards y-coordinate of the point with Montgomery u-coordinate `u`: `y = (u − 1) / (u + 1)`.
    static func edwardsY(fromMontgomeryU u: [UInt8]) -> [UInt8] {
        let uElement = FieldElement25519(bytes: u)
        return ((uElement - .one) * (uElement + .one).inverse).bytes
    }
}
