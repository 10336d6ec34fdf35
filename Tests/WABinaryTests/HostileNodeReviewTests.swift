import Testing
@testable import WABinary

/// Hostile-input review regressions for the node decoder (docs/protocol/lower.md §4.3; docs/house-style.md §4, §7).
@Suite struct HostileNodeReviewTests {
    /// A node `LIST_16 (1 + 2n) <tag> n × (NIBBLE_8 key, token value)` with distinct numeric keys.
    private func nodeWithDistinctAttributes(_ count: Int) -> [UInt8] {
        let size = 1 + 2 * count
        var bytes: [UInt8] = [0x00, BinaryTokens.Tag.list16, UInt8(size >> 8), UInt8(size & 0xFF), 0x19]
        for number in 0..<count {
            let packed = PackedString.packIfPossible(String(number), into: &bytes)
            precondition(packed)
            bytes.append(0x19)
        }
        return bytes
    }

    @Test func maximumAttributeCountWithDistinctKeysDecodesInOrder() throws {
        // 32,767 attributes: the most a LIST_16 node can carry. Inserting them one by one through the
        // scanning subscript was quadratic (about 5·10^8 key comparisons for one 130 KB node).
        let count = 32_767
        let node = try BinaryFrame.decode(nodeWithDistinctAttributes(count))
        #expect(node.attributes.count == count)
        #expect(node.attributes.map(\.key).prefix(3) == ["0", "1", "2"])
        #expect(node.string(String(count - 1)) == BinaryTokens.singleByteToken(0x19))
        #expect(try BinaryFrame.decode(try BinaryFrame.encode(node)) == node)
    }

    @Test func repeatedAttributeKeyKeepsItsFirstPositionAndLastValue() throws {
        // <0x19 "1"=tok19 "2"=tok19 "1"=tok1A>
        let node = try BinaryFrame.decode(hexBytes("00 f8 07 19 ff 81 1f 19 ff 81 2f 19 ff 81 1f 1a"))
        #expect(node.attributes.map(\.key) == ["1", "2"])
        #expect(node.string("1") == BinaryTokens.singleByteToken(0x1A))
    }

    @Test func emptyChildListReencodesAsListEmptyAndStaysAnEmptyChildList() throws {
        // Fuzz case FailCases/FuzzBinaryNode/empty-child-list: `<19>` with content `F8 00`. It decodes to an
        // empty child list and encodes as LIST_EMPTY, which decodes as an empty child list again (as Baileys
        // reads it), so decode → encode is a fixed point.
        let node = try BinaryFrame.decode(hexBytes("00 f8 02 19 f8 00"))
        #expect(node.content == .nodes([]))
        let encoded = try BinaryFrame.encode(node)
        #expect(encoded == hexBytes("00 f8 02 19 00"))
        let again = try BinaryFrame.decode(encoded)
        #expect(again == node)
        #expect(try BinaryFrame.encode(again) == encoded)
    }

    @Test func emptyPackedStringContentReencodesAsEmptyBytes() throws {
        // Fuzz case FailCases/FuzzBinaryNode/empty-packed-string-content: content NIBBLE_8 of length 0 is the
        // empty string; the encoder writes "" as BINARY_8 0 (Baileys), which content decoding keeps as bytes.
        let node = try BinaryFrame.decode(hexBytes("00 f8 02 5b ff 00"))
        #expect(node.content == .string(""))
        let encoded = try BinaryFrame.encode(node)
        #expect(encoded == hexBytes("00 f8 02 5b fc 00"))
        #expect(try BinaryFrame.decode(encoded).content == .bytes([]))
    }

    @Test func nodeCountAboveTheLimitIsRejected() {
        // <19> holding two children, each holding two children: 7 nodes.
        let frame = hexBytes("00 f8 02 19 f8 02 f8 02 19 f8 02 f8 01 19 f8 01 19 f8 02 19 f8 02 f8 01 19 f8 01 19")
        var limits = BinaryNodeDecodingLimits()
        limits.maxNodeCount = 7
        #expect(throws: Never.self) { try BinaryFrame.decode(frame, limits: limits) }
        limits.maxNodeCount = 6
        #expect(throws: BinaryNodeDecodingError.nodeCountLimitExceeded(limit: 6)) { try BinaryFrame.decode(frame, limits: limits) }
    }

    @Test func smallZlibFrameOfManyMinimalNodesIsRejectedByTheDefaultNodeLimit() throws {
        // Review case: 15.6 KB of zlib inflating to 15.7 MB of minimal 3-byte nodes (80 × 65,535 children,
        // ~5.2 million nodes) decoded into ~1.6 GB in the fuzz harness. Here 5 × 65,535 children (1 MB) are
        // enough to pass the 250,000 default.
        var oneChild: [UInt8] = [BinaryTokens.Tag.list8, 0x02, 0x19, BinaryTokens.Tag.list16, 0xFF, 0xFF]
        oneChild.reserveCapacity(6 + 3 * 65_535)
        for _ in 0..<65_535 { oneChild.append(contentsOf: [BinaryTokens.Tag.list8, 0x01, 0x19]) }
        var node: [UInt8] = [BinaryTokens.Tag.list8, 0x02, 0x19, BinaryTokens.Tag.list8, 5]
        for _ in 0..<5 { node += oneChild }
        let frame = [BinaryFrame.compressedFlag] + Zlib.deflate(node)
        #expect(frame.count < 8_000)
        #expect(throws: BinaryNodeDecodingError.nodeCountLimitExceeded(limit: 250_000)) { try BinaryFrame.decode(frame) }
    }
}
