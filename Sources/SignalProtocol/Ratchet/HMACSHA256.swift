import Crypto

/// HMAC-SHA256 (RFC 2104) keyed once: the hash states after the inner and outer pads are kept, so every
/// code under the same key costs only its own blocks (a chain key MACs twice, an HKDF PRK three times).
///
/// Built on swift-crypto's concrete `SHA256` rather than the generic `HMAC<H>`, whose unspecialised calls
/// (metadata lookups, `DataProtocol` iteration) cost several times the hashing itself on 1-byte inputs.
struct HMACSHA256 {
    /// SHA-256's block length, the HMAC pad length.
    static let blockLength = 64

    private let innerPadded: SHA256
    private let outerPadded: SHA256

    init(key: [UInt8]) {
        var inner = SHA256()
        var outer = SHA256()
        // The padded key block lives on the stack: three keys are set up per message.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.blockLength) { block in
            block.initialize(repeating: 0)
            if key.count > Self.blockLength {
                SHA256.hash(data: key).withUnsafeBytes { digest in
                    for (index, byte) in digest.enumerated() { block[index] = byte }
                }
            } else {
                for (index, byte) in key.enumerated() { block[index] = byte }
            }
            for index in block.indices { block[index] ^= 0x36 }
            inner.update(bufferPointer: UnsafeRawBufferPointer(block))
            for index in block.indices { block[index] ^= 0x36 ^ 0x5C }
            outer.update(bufferPointer: UnsafeRawBufferPointer(block))
            block.initialize(repeating: 0)  // the padded key is secret
        }
        innerPadded = inner
        outerPadded = outer
    }

    /// The code of `data`.
    func code(_ data: [UInt8]) -> [UInt8] {
        var inner = innerPadded
        data.withUnsafeBytes { inner.update(bufferPointer: $0) }
        return finish(inner)
    }

    /// The code of whatever `feed` passes to the inner hash (several parts, without concatenating them).
    func code(_ feed: (inout SHA256) -> Void) -> [UInt8] {
        var inner = innerPadded
        feed(&inner)
        return finish(inner)
    }

    /// Appends the first `count` (at most 32) bytes of the code of `data` to `output`.
    func code(_ data: UnsafeRawBufferPointer, prefix count: Int, appendingTo output: inout [UInt8]) {
        var inner = innerPadded
        inner.update(bufferPointer: data)
        var outer = outerPadded
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        outer.finalize().withUnsafeBytes { output.append(contentsOf: $0.prefix(count)) }
    }

    private func finish(_ inner: SHA256) -> [UInt8] {
        var outer = outerPadded
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize().withUnsafeBytes { [UInt8]($0) }
    }
}
