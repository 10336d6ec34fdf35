/// An element of GF(2^255 − 19), used only for the Montgomery → Edwards conversion of *public* keys.
///
/// libsodium has no public field API (docs/dependencies.md §3), so XEdDSA verification needs this one map:
/// Edwards `y = (u − 1) / (u + 1) mod p` (RFC 7748 §4.1 birational map). Five unsigned 64-bit limbs of 51 bits
/// (radix 2^51), products through `multipliedFullWidth`; stored inline so arithmetic never allocates. The
/// inversion is 254 squarings, so the limb count matters: 16-bit limbs made it cost more than the Ed25519
/// verification it prepares. Not constant time: it never touches secret data.
struct FieldElement25519: Equatable {
    private var l0: UInt64 = 0, l1: UInt64 = 0, l2: UInt64 = 0, l3: UInt64 = 0, l4: UInt64 = 0

    private static let mask: UInt64 = (1 << 51) - 1

    private init() {}

    private init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64, _ l4: UInt64) {
        (self.l0, self.l1, self.l2, self.l3, self.l4) = (l0, l1, l2, l3, l4)
    }

    static let zero = FieldElement25519()
    static let one = FieldElement25519(1, 0, 0, 0, 0)

    static func == (a: Self, b: Self) -> Bool { a.bytes == b.bytes }

    /// Reads 32 little-endian bytes, ignoring the top bit (RFC 7748 §5: "mask the most significant bit").
    /// Values in [p, 2^255) are accepted non-canonically, like every X25519 decoder. Missing bytes read as 0.
    init(bytes: [UInt8]) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        func word(_ index: Int) -> UInt64 {
            var value: UInt64 = 0
            for offset in (0..<8).reversed() {
                let position = index * 8 + offset
                value = value << 8 | (position < bytes.count ? UInt64(bytes[position]) : 0)
            }
            return value
        }
        words = (word(0), word(1), word(2), word(3) & 0x7FFF_FFFF_FFFF_FFFF)
        self.init(
            words.0 & Self.mask, (words.0 >> 51 | words.1 << 13) & Self.mask, (words.1 >> 38 | words.2 << 26) & Self.mask,
            (words.2 >> 25 | words.3 << 39) & Self.mask, words.3 >> 12)
    }

    /// The canonical (fully reduced) 32-byte little-endian encoding.
    var bytes: [UInt8] {
        var t = self.carried()
        // t < 2^255 + small: subtract p once if t ≥ p (q = 1 exactly then).
        var q = (t.l0 + 19) >> 51
        q = (t.l1 + q) >> 51
        q = (t.l2 + q) >> 51
        q = (t.l3 + q) >> 51
        q = (t.l4 + q) >> 51
        t.l0 += 19 * q
        t.l1 += t.l0 >> 51; t.l0 &= Self.mask
        t.l2 += t.l1 >> 51; t.l1 &= Self.mask
        t.l3 += t.l2 >> 51; t.l2 &= Self.mask
        t.l4 += t.l3 >> 51; t.l3 &= Self.mask
        t.l4 &= Self.mask
        let words = [t.l0 | t.l1 << 51, t.l1 >> 13 | t.l2 << 38, t.l2 >> 26 | t.l3 << 25, t.l3 >> 39 | t.l4 << 12]
        var out = [UInt8](repeating: 0, count: 32)
        for (index, word) in words.enumerated() {
            for offset in 0..<8 { out[index * 8 + offset] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(offset))) }
        }
        return out
    }

    /// Limbs below 2^51 again (the top carry folds back ×19, since 2^255 ≡ 19).
    private func carried() -> Self {
        var t = self
        t.l1 += t.l0 >> 51; t.l0 &= Self.mask
        t.l2 += t.l1 >> 51; t.l1 &= Self.mask
        t.l3 += t.l2 >> 51; t.l2 &= Self.mask
        t.l4 += t.l3 >> 51; t.l3 &= Self.mask
        t.l0 += 19 * (t.l4 >> 51); t.l4 &= Self.mask
        t.l1 += t.l0 >> 51; t.l0 &= Self.mask
        return t
    }

    static func + (a: Self, b: Self) -> Self {
        Self(a.l0 + b.l0, a.l1 + b.l1, a.l2 + b.l2, a.l3 + b.l3, a.l4 + b.l4).carried()
    }

    /// `a − b` as `a + 2p − b`: limbs of `2p` exceed every carried limb of `b`, so nothing underflows.
    static func - (a: Self, b: Self) -> Self {
        let a = a.carried(), b = b.carried()
        let twoP0: UInt64 = (1 << 52) - 38, twoP: UInt64 = (1 << 52) - 2
        return Self(a.l0 + twoP0 - b.l0, a.l1 + twoP - b.l1, a.l2 + twoP - b.l2, a.l3 + twoP - b.l3, a.l4 + twoP - b.l4)
            .carried()
    }

    /// A 128-bit accumulator for the schoolbook product.
    private struct Wide {
        var high: UInt64 = 0
        var low: UInt64 = 0

        mutating func add(_ x: UInt64, times y: UInt64) {
            let product = x.multipliedFullWidth(by: y)
            let (sum, overflow) = low.addingReportingOverflow(product.low)
            low = sum
            high &+= product.high &+ (overflow ? 1 : 0)
        }

        mutating func add(_ x: UInt64) {
            let (sum, overflow) = low.addingReportingOverflow(x)
            low = sum
            high &+= overflow ? 1 : 0
        }

        /// The bits above 51 (fits 64 bits for every sum formed here: below 2^115).
        var carry: UInt64 { high << 13 | low >> 51 }
    }

    static func * (a: Self, b: Self) -> Self {
        let a = a.carried(), b = b.carried()
        // 2^255 ≡ 19: limb products landing at 2^(51·k), k ≥ 5, fold down times 19.
        let b1 = 19 * b.l1, b2 = 19 * b.l2, b3 = 19 * b.l3, b4 = 19 * b.l4
        var r0 = Wide(), r1 = Wide(), r2 = Wide(), r3 = Wide(), r4 = Wide()
        r0.add(a.l0, times: b.l0); r0.add(a.l1, times: b4); r0.add(a.l2, times: b3); r0.add(a.l3, times: b2)
        r0.add(a.l4, times: b1)
        r1.add(a.l0, times: b.l1); r1.add(a.l1, times: b.l0); r1.add(a.l2, times: b4); r1.add(a.l3, times: b3)
        r1.add(a.l4, times: b2)
        r2.add(a.l0, times: b.l2); r2.add(a.l1, times: b.l1); r2.add(a.l2, times: b.l0); r2.add(a.l3, times: b4)
        r2.add(a.l4, times: b3)
        r3.add(a.l0, times: b.l3); r3.add(a.l1, times: b.l2); r3.add(a.l2, times: b.l1); r3.add(a.l3, times: b.l0)
        r3.add(a.l4, times: b4)
        r4.add(a.l0, times: b.l4); r4.add(a.l1, times: b.l3); r4.add(a.l2, times: b.l2); r4.add(a.l3, times: b.l1)
        r4.add(a.l4, times: b.l0)
        r1.add(r0.carry)
        r2.add(r1.carry)
        r3.add(r2.carry)
        r4.add(r3.carry)
        // r4's carry is below 2^64; times 19 it may not be, so it joins limb 0 through a wide sum too.
        var r0Low = Wide(high: 0, low: r0.low & mask)
        r0Low.add(r4.carry, times: 19)
        var result = Self(r0Low.low & mask, r1.low & mask, r2.low & mask, r3.low & mask, r4.low & mask)
        result.l1 += r0Low.carry
        return result.carried()
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
}

extension FieldElement25519 {
    /// The Edwards y-coordinate of the point with Montgomery u-coordinate `u`: `y = (u − 1) / (u + 1)`.
    static func edwardsY(fromMontgomeryU u: [UInt8]) -> [UInt8] {
        let uElement = FieldElement25519(bytes: u)
        return ((uElement - .one) * (uElement + .one).inverse).bytes
    }
}
