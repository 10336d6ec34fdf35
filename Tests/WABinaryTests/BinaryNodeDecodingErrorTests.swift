import Testing
@testable import WABinary

/// Every `BinaryNodeDecodingError`, from hostile input (docs/protocol/lower.md §4; docs/house-style.md §4, §7).
@Suite struct BinaryNodeDecodingErrorTests {
    private func decode(_ hex: String, limits: BinaryNodeDecodingLimits = .default) throws(BinaryNodeDecodingError) {
        _ = try BinaryFrame.decode(hexBytes(hex), limits: limits)
    }

    @Test func emptyFrameIsRejected() {
        #expect(throws: BinaryNodeDecodingError.emptyFrame) { try decode("") }
    }

    @Test func frameWithOnlyAFlagIsTruncated() {
        #expect(throws: BinaryNodeDecodingError.truncated(needed: 1, available: 0)) { try decode("00") }
    }

    @Test func nodeNotStartingWithAListIsRejected() {
        #expect(throws: BinaryNodeDecodingError.invalidNodeHeader(tag: 0x19)) { try decode("00 19") }
        #expect(throws: BinaryNodeDecodingError.invalidNodeHeader(tag: 0x00)) { try decode("00 00") }
        #expect(throws: BinaryNodeDecodingError.invalidNodeHeader(tag: 0xF8)) { try decode("00 f8 00") }
    }

    @Test func listSizeAboveTheBytesLeftIsRejectedBeforeReading() {
        #expect(throws: BinaryNodeDecodingError.truncated(needed: 0xFFFF, available: 1)) { try decode("00 f9 ff ff 19") }
    }

    @Test func childCountAboveTheBytesLeftIsRejectedWithoutAllocating() {
        // <iq> with content LIST_16 of 65,535 children and 3 bytes left.
        #expect(throws: BinaryNodeDecodingError.truncated(needed: 0xFFFF * 3, available: 3)) {
            try decode("00 f8 02 19 f9 ff ff f8 01 19")
        }
    }

    @Test func listAboveTheLimitIsRejected() {
        var limits = BinaryNodeDecodingLimits()
        limits.maxListSize = 1
        #expect(throws: BinaryNodeDecodingError.listTooLarge(count: 2, limit: 1)) {
            try decode("00 f8 02 19 f8 02 f8 01 56 f8 01 56", limits: limits)
        }
    }

    @Test func byteLengthAboveTheLimitIsRejectedWithoutBuffering() {
        // BINARY_32 claiming 4 GiB − 1 with nothing behind it.
        #expect(throws: BinaryNodeDecodingError.bytesTooLong(length: 0xFFFF_FFFF, limit: 16 << 20)) {
            try decode("00 f8 02 1d fe ff ff ff ff")
        }
        #expect(throws: BinaryNodeDecodingError.truncated(needed: 0x10000, available: 1)) {
            try decode("00 f8 02 1d fd 01 00 00 aa")
        }
    }

    @Test func twentyBitLengthIgnoresTheHighNibbleOfItsFirstByte() throws {
        let frame = hexBytes("00 f8 02 1d fd f0 01 00") + [UInt8](repeating: 9, count: 256)
        #expect(try BinaryFrame.decode(frame).contentBytes?.count == 256)
    }

    @Test func nestingBeyondTheDepthLimitIsRejected() {
        var limits = BinaryNodeDecodingLimits()
        limits.maxDepth = 3
        // <a><a><a><a/></a></a></a> : four levels.
        let four = "00" + String(repeating: "f8 02 19 f8 01 ", count: 3) + "f8 01 19"
        #expect(throws: BinaryNodeDecodingError.depthLimitExceeded(limit: 3)) { try decode(four, limits: limits) }
        let three = "00" + String(repeating: "f8 02 19 f8 01 ", count: 2) + "f8 01 19"
        #expect(throws: Never.self) { try decode(three, limits: limits) }
    }

    @Test func deepNestingAtTheDefaultLimitDoesNotOverflowTheStack() {
        let depth = 100_000
        var frame: [UInt8] = [0]
        for _ in 0..<depth { frame += [0xF8, 0x02, 0x19, 0xF8, 0x01] }
        #expect(throws: BinaryNodeDecodingError.depthLimitExceeded(limit: 64)) { _ = try BinaryFrame.decode(frame) }
    }

    @Test func emptyOrNonStringTagIsRejected() {
        #expect(throws: BinaryNodeDecodingError.invalidNodeTag) { try decode("00 f8 01 fc 00") }
        #expect(throws: BinaryNodeDecodingError.unexpectedTag(0xFA)) { try decode("00 f8 01 fa 00 03") }
        #expect(throws: BinaryNodeDecodingError.invalidNodeTag) { try decode("00 f8 01 00") }
    }

    @Test func nonStringAttributeKeyIsRejected() {
        #expect(throws: BinaryNodeDecodingError.invalidAttributeKey) { try decode("00 f8 03 19 00 04") }
        #expect(throws: BinaryNodeDecodingError.unexpectedTag(0xFA)) { try decode("00 f8 03 19 fa 00 03 04") }
    }

    @Test func listAsAttributeValueIsRejected() {
        #expect(throws: BinaryNodeDecodingError.unexpectedTag(0xF8)) { try decode("00 f8 03 19 04 f8 01 56") }
    }

    @Test func unassignedTagsAreRejected() {
        for tag in 240...244 {
            #expect(throws: BinaryNodeDecodingError.unexpectedTag(UInt8(tag))) {
                try decode("00 f8 01 " + String(tag, radix: 16))
            }
        }
    }

    @Test func invalidNibbleIsRejected() {
        // NIBBLE_8, one byte: 0xC is not a nibble character.
        #expect(throws: BinaryNodeDecodingError.invalidNibble(0x0C)) { try decode("00 f8 01 ff 01 1c") }
        // The filler 0xF may only be the dropped last nibble.
        #expect(throws: BinaryNodeDecodingError.invalidNibble(0x0F)) { try decode("00 f8 01 ff 01 f1") }
        #expect(throws: Never.self) { try decode("00 f8 01 ff 81 1f") }
    }

    @Test func oddPackedLengthOfZeroIsRejected() {
        #expect(throws: BinaryNodeDecodingError.invalidPackedLength) { try decode("00 f8 01 ff 80") }
        #expect(throws: BinaryNodeDecodingError.invalidPackedLength) { try decode("00 f8 01 fb 80") }
    }

    @Test func rawTagOrKeyThatIsNotUTF8IsRejected() {
        #expect(throws: BinaryNodeDecodingError.invalidUTF8) { try decode("00 f8 01 fc 02 c3 28") }
        #expect(throws: BinaryNodeDecodingError.invalidUTF8) { try decode("00 f8 03 19 fc 01 ff 04") }
    }

    @Test func attributeValueThatIsNotUTF8IsKeptWithReplacementCharacters() throws {
        // <iq type=0xFF>, and <iq type="é" + first byte of "é"> (a value cut inside a character).
        #expect(try BinaryFrame.decode(hexBytes("00 f8 03 19 04 fc 01 ff")).attributes["type"] == .string("\u{FFFD}"))
        let cut = try BinaryFrame.decode(hexBytes("00 f8 03 19 04 fc 03 c3 a9 c3"))
        #expect(cut.attributes["type"] == .string("\u{E9}\u{FFFD}"))
    }

    @Test func rawBytesContentMayBeAnyBytes() throws {
        #expect(try BinaryFrame.decode(hexBytes("00 f8 02 1d fc 02 c3 28")).content == .bytes([0xC3, 0x28]))
    }

    @Test func fbAndInteropJIDsMustNameTheirServer() {
        // FB_JID user "1", device 0, server s.whatsapp.net.
        #expect(throws: BinaryNodeDecodingError.invalidJID) { try decode("00 f8 03 19 0c f6 ff 81 1f 00 00 03") }
        #expect(throws: BinaryNodeDecodingError.invalidJID) {
            try decode("00 f8 03 19 0c f5 ff 81 1f 00 00 00 01 03")
        }
    }

    @Test func jidUserThatIsAJIDIsRejected() {
        #expect(throws: BinaryNodeDecodingError.unexpectedTag(0xFA)) { try decode("00 f8 03 19 0c fa fa 00 03 03") }
    }

    @Test func trailingBytesAfterTheNodeAreRejected() {
        #expect(throws: BinaryNodeDecodingError.trailingBytes(count: 2)) { try decode("00 f8 01 19 00 00") }
    }

    @Test func corruptOrTruncatedZlibIsRejected() throws {
        #expect(throws: BinaryNodeDecodingError.inflateFailed) { try decode("02 01 02 03") }
        #expect(throws: BinaryNodeDecodingError.inflateFailed) { try decode("02") }
        let frame = try BinaryFrame.encodeCompressed(BinaryNode(tag: "iq", bytes: [UInt8](repeating: 1, count: 100)))
        #expect(throws: BinaryNodeDecodingError.inflateFailed) { _ = try BinaryFrame.decode(Array(frame.dropLast(3))) }
    }

    @Test func bytesAfterTheZlibStreamAreIgnored() throws {
        let node = BinaryNode(tag: "iq", bytes: [UInt8](repeating: 1, count: 100))
        let frame = try BinaryFrame.encodeCompressed(node)
        #expect(try BinaryFrame.decode(frame + [0]) == node)
        #expect(try BinaryFrame.decode(frame + [0xF8, 0x01, 0x19, 0xFF]) == node)
    }

    @Test func inflatingBeyondTheLimitIsRejected() throws {
        // 1 MiB of zeros compresses to about 1 KiB.
        let bomb = try BinaryFrame.encodeCompressed(BinaryNode(tag: "iq", bytes: [UInt8](repeating: 0, count: 1 << 20)))
        #expect(bomb.count < 4096)
        var limits = BinaryNodeDecodingLimits()
        limits.maxInflatedSize = 64 << 10
        #expect(throws: BinaryNodeDecodingError.inflatedSizeLimitExceeded(limit: 64 << 10)) {
            _ = try BinaryFrame.decode(bomb, limits: limits)
        }
        #expect(try BinaryFrame.decode(bomb).contentBytes?.count == 1 << 20)
    }

    @Test func truncationAtEveryByteOfAValidFrameIsATypedError() throws {
        let node = BinaryNodeRoundTripTests.corpus[0]
        let frame = try BinaryFrame.encode(node)
        for cut in 0..<frame.count {
            #expect(throws: BinaryNodeDecodingError.self) { _ = try BinaryFrame.decode(Array(frame[0..<cut])) }
        }
    }
}

/// Every `BinaryNodeEncodingError`.
@Suite struct BinaryNodeEncodingErrorTests {
    @Test func emptyTagIsRefused() {
        #expect(throws: BinaryNodeEncodingError.emptyTag) { _ = try BinaryNodeEncoder.encode(BinaryNode(tag: "")) }
    }

    @Test func moreChildrenThanList16HoldsIsRefused() {
        let node = BinaryNode(tag: "list", children: Array(repeating: BinaryNode(tag: "a"), count: 65_536))
        #expect(throws: BinaryNodeEncodingError.listTooLarge(count: 65_536)) { _ = try BinaryNodeEncoder.encode(node) }
    }

    @Test func adJIDDeviceAboveOneByteIsRefused() {
        let node = BinaryNode(tag: "a", attributes: ["jid": .jid(JID(user: "1", device: 256, server: JID.userServer))])
        #expect(throws: BinaryNodeEncodingError.deviceOutOfRange(256)) { _ = try BinaryNodeEncoder.encode(node) }
    }

    @Test func nestingDeeperThanTheDecoderAcceptsIsRefused() {
        var node = BinaryNode(tag: "a")
        for _ in 0..<64 { node = BinaryNode(tag: "a", children: [node]) }
        #expect(throws: BinaryNodeEncodingError.depthLimitExceeded(limit: 64)) { _ = try BinaryNodeEncoder.encode(node) }
    }
}
