import WABinary

/// Any bytes through the frame decoder. A decoded node must re-encode, and re-encoding must reach a fixed
/// point: encode(decode(encode(node))) == encode(node). Typed decoding errors are fine.
enum BinaryNodeFuzzBody {
    static func run(_ input: [UInt8]) throws(FuzzFinding) {
        var limits = BinaryNodeDecodingLimits()
        limits.maxInflatedSize = 1 << 20
        guard let node = try? BinaryFrame.decode(input, limits: limits) else { return }
        let first: [UInt8]
        let second: [UInt8]
        do {
            first = try BinaryFrame.encode(node)
            second = try BinaryFrame.encode(try BinaryFrame.decode(first, limits: limits))
        } catch {
            throw FuzzFinding("a decoded node failed to re-encode or decode again: \(error)")
        }
        try FuzzFinding.check(first == second, "re-encoding is not a fixed point")
        _ = node.debugXML()
    }
}
