/// Comparisons whose running time does not depend on where secret bytes differ: MACs here, and the
/// certificate-chain leaf key in WANoise (whatsmeow uses `subtle.ConstantTimeCompare` for it).
public enum ConstantTime {
    /// `true` when both arrays hold the same bytes; no early exit on the first difference
    /// (the lengths themselves are not secret).
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
