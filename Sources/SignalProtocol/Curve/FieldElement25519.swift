/// An element of GF(2^255 − 19), used only for the Montgomery → Edwards conversion of *public* keys.
///
/// libsodium has no public field API (docs/dependencies.md §3), so XEdDSA verification needs this one map:
/// Edwards `y = (u − 1) / (u + 1) mod p` (RFC 7748 §4.1 birational map). Sixteen signed 64-bit limbs of 16 bits
/// (the TweetNaCl representation), stored inline so arithmetic never allocates. Indices are constants, never
/// derived from input. Not constant time: it never touches secret data.
struct FieldElement25519: Equatable {
    typealias Limbs = (
        Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64,
        Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64
    )
    private var limbs: Limbs = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    private init() {}

    static let zero = FieldElement25519()
    static let one: FieldElement25519 = {
        var element = FieldElement25519()
        element.limbs.0 = 1
        return element
    }()

    static func == (a: Self, b: Self) -> Bool { a.bytes == b.bytes }

    /// Reads 32 little-endian bytes, ignoring the top bit (RFC 7748 §5: "mask the most significant bit").
    /// Values in [p, 2^255) are accepted non-canonically, like every X25519 decoder. Missing bytes read as 0.
    init(bytes: [UInt8]) {
        withLimbs { t in
            for index in 0..<16 {
                let low = index * 2 < bytes.count ? Int64(bytes[index * 2]) : 0
                let high = index * 2 + 1 < bytes.count ? Int64(bytes[index * 2 + 1]) : 0
                t[index] = low + (high << 8)
            }
            t[15] &= 0x7fff
        }
    }

    /// The canonical (fully reduced) 32-byte little-endian encoding.
    var bytes: [UInt8] {
        var copy = self
        var out = [UInt8](repeating: 0, count: 32)
        copy.withLimbs { t in
            Self.carry(t)
            Self.carry(t)
            Self.carry(t)
            // Two conditional subtractions of p bring t into [0, p).
            var m = FieldElement25519()
            m.withLimbs { m in
                for _ in 0..<2 {
                    m[0] = t[0] - 0xffed
                    for i in 1..<15 {
                        m[i] = t[i] - 0xffff - ((m[i - 1] >> 16) & 1)
                        m[i - 1] &= 0xffff
                    }
                    m[15] = t[15] - 0x7fff - ((m[14] >> 16) & 1)
                    let borrow = (m[15] >> 16) & 1
                    m[14] &= 0xffff
                    if borrow == 0 { for i in 0..<16 { t[i] = m[i] } }
                }
            }
            for i in 0..<16 {
                out[2 * i] = UInt8(t[i] & 0xff)
                out[2 * i + 1] = UInt8((t[i] >> 8) & 0xff)
            }
        }
        return out
    }

    static func + (a: Self, b: Self) -> Self {
        var result = a
        var other = b
        result.withLimbs { r in other.withLimbs { o in for i in 0..<16 { r[i] += o[i] } } }
        return result
    }

    static func - (a: Self, b: Self) -> Self {
        var result = a
        var other = b
        result.withLimbs { r in other.withLimbs { o in for i in 0..<16 { r[i] -= o[i] } } }
        return result
    }

    static func * (a: Self, b: Self) -> Self {
        var left = a, right = b, result = Self()
        var high = Self()  // product limbs 16...30
        left.withLimbs { x in
            right.withLimbs { y in
                result.withLimbs { low in
                    high.withLimbs { high in
                        for i in 0..<16 {
                            for j in 0..<16 {
                                let product = x[i] * y[j]
                                if i + j < 16 { low[i + j] += product } else { high[i + j - 16] += product }
                            }
                        }
                        // 2^256 ≡ 38 (mod p): fold the high half down.
                        for i in 0..<15 { low[i] += 38 * high[i] }
                        carry(low)
                        carry(low)
                    }
                }
            }
        }
        return result
    }

    /// `self^(2^count)`.
    private func squared(times count: Int) -> Self {
        var result = self
        for _ in 0..<count { result = result * result }
        return result
    }

    /// The multiplicative inverse `a^(p−2)`, `p − 2 = 2^255 − 21` (the ref10 addition chain: 254 squarings,
    /// 11 multiplications); the inverse of zero is zero.
    var inverse: Self {
        let z2 = self * self
        let z9 = z2.squared(times: 2) * self
        let z11 = z9 * z2
        let z2_5_0 = (z11 * z11) * z9
        let z2_10_0 = z2_5_0.squared(times: 5) * z2_5_0
        let z2_20_0 = z2_10_0.squared(times: 10) * z2_10_0
        let z2_40_0 = z2_20_0.squared(times: 20) * z2_20_0
        let z2_50_0 = z2_40_0.squared(times: 10) * z2_10_0
        let z2_100_0 = z2_50_0.squared(times: 50) * z2_50_0
        let z2_200_0 = z2_100_0.squared(times: 100) * z2_100_0
        let z2_250_0 = z2_200_0.squared(times: 50) * z2_50_0
        return z2_250_0.squared(times: 5) * z11
    }

    /// Propagates carries so every limb fits 16 bits, folding the top carry back with ×38.
    private static func carry(_ t: UnsafeMutablePointer<Int64>) {
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

    private mutating func withLimbs<R>(_ body: (UnsafeMutablePointer<Int64>) -> R) -> R {
        withUnsafeMutablePointer(to: &limbs) { tuple in
            tuple.withMemoryRebound(to: Int64.self, capacity: 16) { body($0) }
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
