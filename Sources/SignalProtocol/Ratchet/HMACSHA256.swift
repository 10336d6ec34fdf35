import Crypto

/// HMAC-SHA256 (RFC 2104) keyed once: the hash states after the inner and outer pads are kept, so every
/// code under the same key costs only its own blocks (a chain key MACs twice, an HKDF PRK three times).
///
/// Built on swift-crypto's concrete `SHA256` rather than the generic `HMAC<H>`, whose unspecialised calls
/// (metadata lookups, `DataProtocol` iteration) cost several times the hashing itself on 1-byte inputs.
/// swift-crypto's `SHA256` keeps its state in a heap object copied on write, so every code that leaves the
/// keyed states for later use pays two allocations; the last code under a key (`finalCode`) hashes in the
/// keyed states themselves and pays none.
struct HMACSHA256 {
    /// SHA-256's block length, the HMAC pad length.
    static let blockLength = 64
    /// The length of a code.
    static let codeLength = 32

    // Optional so that `finalCode` can move them out (a uniquely referenced state is updated in place).
    private var innerPadded: SHA256?
    private var outerPadded: SHA256?

    init(key: [UInt8]) {
        self = key.withUnsafeBytes { HMACSHA256(key: $0) }
    }

    init(key: UnsafeRawBufferPointer) {
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
        code { hash in data.withUnsafeBytes { hash.update(bufferPointer: $0) } }
    }

    /// The code of whatever `feed` passes to the inner hash (several parts, without concatenating them).
    func code(_ feed: (inout SHA256) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.codeLength) { buffer, count in
            var inner = innerPadded!
            feed(&inner)
            var outer = outerPadded!
            Self.finish(inner: inner, outer: &outer, into: UnsafeMutableRawBufferPointer(buffer))
            count = Self.codeLength
        }
    }

    /// Writes the first `output.count` (at most 32) bytes of the code of `data` to `output`; the keyed
    /// states stay for further codes.
    func code(_ data: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        var inner = innerPadded!
        inner.update(bufferPointer: data)
        var outer = outerPadded!
        Self.finish(inner: inner, outer: &outer, into: output)
    }

    /// Like `code(_:into:)`, for the last code under this key: the keyed states are used up, without copies.
    mutating func finalCode(_ data: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        finalCode(into: output) { $0.update(bufferPointer: data) }
    }

    /// Like `code(_:)` with parts, for the last code under this key, into `output` (at most 32 bytes).
    mutating func finalCode(into output: UnsafeMutableRawBufferPointer, _ feed: (inout SHA256) -> Void) {
        var inner = innerPadded.take()!
        feed(&inner)
        var outer = outerPadded.take()!
        Self.finish(inner: inner, outer: &outer, into: output)
    }

    /// The code, under a key of at most 64 bytes used only once, of the `count` bytes `fill` writes, into
    /// `output` (at most 32 bytes). No keyed states are kept: each padded key block is hashed together with
    /// what follows it, one hash update each (a keyed `HMACSHA256` costs two more for its pad blocks).
    static func code(
        key: UnsafeRawBufferPointer, count: Int, filledBy fill: (UnsafeMutableRawBufferPointer) -> Void,
        into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(key.count <= blockLength, "a single-use key is at most one block")
        withUnsafeTemporaryAllocation(byteCount: blockLength + max(count, codeLength), alignment: 16) { buffer in
            let block = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<blockLength])
            block.initializeMemory(as: UInt8.self, repeating: 0)
            UnsafeMutableRawBufferPointer(rebasing: block[0..<key.count]).copyMemory(from: key)
            for index in block.indices { block[index] ^= 0x36 }
            fill(UnsafeMutableRawBufferPointer(rebasing: buffer[blockLength..<(blockLength + count)]))
            var inner = SHA256()
            inner.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<(blockLength + count)]))
            for index in block.indices { block[index] ^= 0x36 ^ 0x5C }
            inner.finalize().withUnsafeBytes {
                UnsafeMutableRawBufferPointer(rebasing: buffer[blockLength..<(blockLength + codeLength)]).copyMemory(from: $0)
            }
            var outer = SHA256()
            outer.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<(blockLength + codeLength)]))
            outer.finalize().withUnsafeBytes {
                output.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(output.count)))
            }
            buffer.initializeMemory(as: UInt8.self, repeating: 0)  // the padded key and the data
        }
    }

    /// Appends the first `count` (at most 32) bytes of the code of `data` to `output`.
    func code(_ data: UnsafeRawBufferPointer, prefix count: Int, appendingTo output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: Self.codeLength, alignment: 1) { block in
            code(data, into: block)
            output.append(contentsOf: UnsafeRawBufferPointer(block).prefix(count))
            block.initializeMemory(as: UInt8.self, repeating: 0)
        }
    }

    private static func finish(inner: SHA256, outer: inout SHA256, into output: UnsafeMutableRawBufferPointer) {
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        outer.finalize().withUnsafeBytes { code in
            output.copyMemory(from: UnsafeRawBufferPointer(rebasing: code.prefix(output.count)))
        }
    }
}
